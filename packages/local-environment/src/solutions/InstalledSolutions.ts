import { DataverseError } from '../dataverse/DataverseError.js';
import { compareVersions } from './checkPlatformLibraries.js';
import { ImportCode, readSolutionPackage, type ImportedControl, type ImportedWebResource, type SolutionPackage } from './readSolutionPackage.js';

/** Everything imported solutions put on the org, replaced as one value so a reader never sees half an import. */
interface InstalledState {
  readonly versions: ReadonlyMap<string, string>;
  readonly controls: ReadonlyMap<string, ImportedControl>;
  /** By name, the URL path under `/WebResources/`. */
  readonly webResources: ReadonlyMap<string, ImportedWebResource>;
}

const EMPTY: InstalledState = { versions: new Map(), controls: new Map(), webResources: new Map() };

/** What an accepted import installed. */
export interface ImportSummary {
  readonly uniqueName: string;
  readonly version: string;
  readonly controls: readonly string[];
  readonly webResources: readonly string[];
}

/**
 * The solutions imported into the emulated org: their controls (what forms render) and web resources (what
 * `/WebResources/<name>` serves). An import is checked in full first and then swapped in whole, so a refused import
 * changes nothing and an accepted one is never half visible.
 */
export class InstalledSolutions {
  #state: InstalledState = EMPTY;

  /** Imports a solution zip as the ImportSolution action does; throws Dataverse's error and changes nothing when refused. */
  import(zip: Uint8Array): ImportSummary {
    const solution = readSolutionPackage(zip);
    const installed = this.#state.versions.get(solution.uniqueName);
    if (installed !== undefined && compareVersions(solution.version, installed) < 0) {
      throw new DataverseError(
        400,
        ImportCode.importFailed,
        `The solution ${solution.uniqueName} version ${solution.version} is lower than the installed version ${installed}. Import a version equal to or higher than ${installed}.`,
      );
    }
    this.#state = withSolution(this.#state, solution);
    return {
      uniqueName: solution.uniqueName,
      version: solution.version,
      controls: solution.controls.map((control) => control.name),
      webResources: solution.webResources.map((resource) => resource.name),
    };
  }

  /** The imported control named `name` (`CustomControl/Name`), if any. */
  control(name: string): ImportedControl | undefined {
    return this.#state.controls.get(name);
  }

  /** The imported web resource named `name`; Dataverse matches web resource names without regard to case. */
  webResource(name: string): ImportedWebResource | undefined {
    return this.#state.webResources.get(name.toLowerCase());
  }

  /** Every imported web resource. */
  webResources(): readonly ImportedWebResource[] {
    return [...this.#state.webResources.values()];
  }

  /** Deletes the web resource with id `id` (`DELETE webresourceset(<id>)`); false when there is none. */
  deleteWebResource(id: string): boolean {
    const resource = this.webResources().find((candidate) => candidate.id === id.toLowerCase());
    if (resource === undefined) return false;
    const webResources = new Map(this.#state.webResources);
    webResources.delete(resource.name.toLowerCase());
    this.#state = { ...this.#state, webResources };
    return true;
  }
}

function withSolution(state: InstalledState, solution: SolutionPackage): InstalledState {
  const versions = new Map(state.versions).set(solution.uniqueName, solution.version);
  const controls = new Map(state.controls);
  for (const control of solution.controls) controls.set(control.name, control);
  const webResources = new Map(state.webResources);
  for (const resource of solution.webResources) webResources.set(resource.name.toLowerCase(), resource);
  return { versions, controls, webResources };
}
