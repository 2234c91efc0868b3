import { unzipSync } from 'fflate';
import { XMLParser } from 'fast-xml-parser';
import { DataverseError } from '../dataverse/DataverseError.js';
import { stableGuid } from '../dataverse/DataverseStore.js';
import { checkPlatformLibraries } from './checkPlatformLibraries.js';

/** A code component as an imported solution holds it: its manifest and the files of its `Controls/<name>/` folder. */
export interface ImportedControl {
  /** `CustomControl/Name`, e.g. `sprk_Sdap.UniversalQuickCreate`. */
  readonly name: string;
  /** `<namespace>.<constructor>` of the manifest: the name the bundle registers itself under. */
  readonly registeredName: string;
  readonly version: string;
  readonly controlType: 'standard' | 'virtual';
  readonly manifestXml: string;
  /** The manifest's `<code path>`, e.g. `bundle.js`. */
  readonly codePath: string;
  /** The `<code path>` file's content. */
  readonly bundle: Uint8Array;
  /** Every file of the control's folder by its path there (bundle.js, strings/X.1033.resx, ...). */
  readonly files: ReadonlyMap<string, Uint8Array>;
  /** Each manifest `<property>` with its `of-type`. */
  readonly properties: readonly { readonly name: string; readonly ofType: string }[];
  /** The manifest's `<resx path>` files. */
  readonly resx: readonly string[];
}

/** A web resource as an imported solution holds it. */
export interface ImportedWebResource {
  readonly id: string;
  /** `WebResource/Name`, e.g. `sprk_/navmap/msalredirect.html`: its URL path under `/WebResources/`. */
  readonly name: string;
  readonly displayName: string;
  /** `WebResourceType`, 1 (HTML) to 12 (RESX). */
  readonly type: WebResourceType;
  readonly content: Uint8Array;
}

/** The web resource types Dataverse knows (webresource.webresourcetype) and the Content-Type each is served with. */
export const WEB_RESOURCE_CONTENT_TYPES = {
  1: 'text/html; charset=utf-8',
  2: 'text/css; charset=utf-8',
  3: 'text/javascript; charset=utf-8',
  4: 'text/xml; charset=utf-8',
  5: 'image/png',
  6: 'image/jpeg',
  7: 'image/gif',
  8: 'application/x-silverlight-app',
  9: 'text/xml; charset=utf-8',
  10: 'image/x-icon',
  11: 'image/svg+xml',
  12: 'text/xml; charset=utf-8',
} as const;
export type WebResourceType = keyof typeof WEB_RESOURCE_CONTENT_TYPES;

/** What `readSolutionPackage` found in a solution zip that passed every check. */
export interface SolutionPackage {
  readonly uniqueName: string;
  readonly version: string;
  readonly publisherPrefix: string;
  readonly controls: readonly ImportedControl[];
  readonly webResources: readonly ImportedWebResource[];
}

/** Dataverse's codes for a refused import. */
export const ImportCode = {
  /** "The solution file is invalid." (powerapps-tools#193: the three root files missing, error 80048060). */
  invalidSolutionFile: '0x80048060',
  /** A component failed to import (Microsoft.Crm.CrmException from an import handler). Code not seen publicly. */
  importFailed: '0x80040216',
} as const;

const ROOT_FILES = ['solution.xml', 'customizations.xml', '[Content_Types].xml'] as const;
const INVALID_FILE =
  'The solution file is invalid. The compressed file must contain the following files at its root: solution.xml, customizations.xml, and [Content_Types].xml. Customization files exported from previous versions of Microsoft Dynamics 365 are not supported.';
const GUID = /^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$/;
const VERSION = /^\d+(\.\d+){1,3}$/;

export const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => ['RootComponent', 'CustomControl', 'WebResource', 'platform-library', 'code', 'property', 'resx', 'data'].includes(name),
});

type XmlNode = Record<string, unknown>;
const node = (value: unknown): XmlNode => (typeof value === 'object' && value !== null ? (value as XmlNode) : {});
const nodes = (value: unknown): XmlNode[] => (Array.isArray(value) ? value.map(node) : []);
const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : typeof value === 'object' && value !== null ? text((value as XmlNode)['#text']) : '');

const invalidFile = (detail?: string) => new DataverseError(400, ImportCode.invalidSolutionFile, detail === undefined ? INVALID_FILE : `${INVALID_FILE} ${detail}`);

/** "Import Solution Failed: <Kind> with name <name> failed to import with error: <reason>", as Dataverse words it. */
export const componentFailed = (kind: 'CustomControl' | 'WebResource', name: string, reason: string) =>
  new DataverseError(400, ImportCode.importFailed, `Import Solution Failed: ${kind} with name ${name} failed to import with error: ${reason}`);

function parseXml(files: Readonly<Record<string, Uint8Array>>, path: string): XmlNode {
  try {
    return node(xml.parse(new TextDecoder().decode(files[path])));
  } catch (error) {
    throw invalidFile(`${path} is not well-formed XML: ${(error as Error).message}`);
  }
}

/** A zip entry named by a `FileName` element (`/Controls/...`, `/WebResources/...`), found without the leading slash. */
function entry(files: Readonly<Record<string, Uint8Array>>, fileName: string): Uint8Array | undefined {
  return files[fileName.replace(/^\/+/, '')];
}

/**
 * The prefix a component name carries: the part before the first `_` (`sprk_Sdap.UniversalQuickCreate`,
 * `sprk_/navmap/msalredirect.html`), or the whole namespace when there is none (`hdn.SelectView` has `hdn`).
 */
export function componentPrefix(name: string): string {
  const underscore = name.indexOf('_');
  if (underscore > 0) return name.slice(0, underscore);
  return name.split('.')[0] ?? name;
}

function readControl(files: Readonly<Record<string, Uint8Array>>, control: XmlNode, solution: { prefix: string; id: string }): ImportedControl {
  const name = text(control.Name);
  const fileName = text(control.FileName);
  const prefix = componentPrefix(name);
  if (prefix !== solution.prefix) {
    throw new DataverseError(
      400,
      ImportCode.importFailed,
      `Import Solution Failed: CustomControls with Name ${name} Import Solution Failed with following error: Publisher prefix ${prefix} for this control ${name} does not match the prefix ${solution.prefix} for the solution with Id ${solution.id}.`,
    );
  }
  const manifestBytes = fileName === '' ? undefined : entry(files, fileName);
  if (manifestBytes === undefined) throw componentFailed('CustomControl', name, `the manifest ${fileName || '(no FileName)'} is not in the solution file.`);
  const manifestXml = new TextDecoder().decode(manifestBytes);
  let manifest: XmlNode;
  try {
    manifest = node(node(xml.parse(manifestXml)).manifest);
  } catch (error) {
    throw componentFailed('CustomControl', name, `the manifest is not well-formed XML: ${(error as Error).message}`);
  }
  const element = node(manifest.control);
  const controlType = text(element['@control-type']) || 'standard';
  if (controlType !== 'standard' && controlType !== 'virtual') {
    throw componentFailed('CustomControl', name, `control-type "${controlType}" is not supported; a code component is "standard" or "virtual".`);
  }
  const resources = node(element.resources);
  const platformLibraries = nodes(resources['platform-library']).map((library) => ({ name: text(library['@name']), version: text(library['@version']) }));
  const refusal = checkPlatformLibraries(platformLibraries);
  if (refusal !== undefined) throw componentFailed('CustomControl', name, refusal);
  const codePath = text(nodes(resources.code)[0]?.['@path']);
  const folder = fileName.replace(/^\/+/, '').replace(/[^/]*$/, '');
  const bundle = codePath === '' ? undefined : files[`${folder}${codePath}`];
  if (bundle === undefined) throw componentFailed('CustomControl', name, `the code file ${codePath || '(no <code path>)'} is not in ${folder || 'the solution file'}.`);
  const controlFiles = new Map(Object.entries(files).filter(([path]) => path.startsWith(folder) && !path.endsWith('/')).map(([path, bytes]) => [path.slice(folder.length), bytes] as const));
  return {
    name,
    registeredName: `${text(element['@namespace'])}.${text(element['@constructor'])}`,
    version: text(element['@version']),
    controlType,
    manifestXml,
    codePath,
    bundle,
    files: controlFiles,
    properties: nodes(element.property).map((item) => ({ name: text(item['@name']), ofType: text(item['@of-type']) })),
    resx: nodes(resources.resx).map((item) => text(item['@path'])),
  };
}

function readWebResource(files: Readonly<Record<string, Uint8Array>>, resource: XmlNode, prefix: string): ImportedWebResource {
  const name = text(resource.Name);
  const id = GUID.exec(text(resource.WebResourceId))?.[1];
  if (id === undefined) throw componentFailed('WebResource', name, `WebResourceId "${text(resource.WebResourceId)}" is not a GUID.`);
  if (componentPrefix(name) !== prefix) throw componentFailed('WebResource', name, `the name must start with the solution publisher's prefix ${prefix}_.`);
  const type = Number(text(resource.WebResourceType));
  if (!Object.hasOwn(WEB_RESOURCE_CONTENT_TYPES, type)) throw componentFailed('WebResource', name, `WebResourceType "${text(resource.WebResourceType)}" is not a known type (1 to 12).`);
  const fileName = text(resource.FileName);
  const content = fileName === '' ? undefined : entry(files, fileName);
  if (content === undefined) throw componentFailed('WebResource', name, `its file ${fileName || '(no FileName)'} is not in the solution file.`);
  return { id: id.toLowerCase(), name, displayName: text(resource.DisplayName) || name, type: type as WebResourceType, content };
}

/**
 * Reads and checks a solution zip as Dataverse's ImportSolution does before it changes anything: the three root
 * files, each component's publisher prefix against the solution's, root components for every control (type 66) and
 * web resource (type 61), the control manifest (control type, platform libraries, code file), web resource ids, types
 * and files. Throws the `DataverseError` Dataverse answers with.
 */
export function readSolutionPackage(zip: Uint8Array): SolutionPackage {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip);
  } catch (error) {
    throw invalidFile(`The file is not a readable zip archive (${(error as Error).message}).`);
  }
  const missing = ROOT_FILES.filter((name) => files[name] === undefined);
  if (missing.length > 0) throw invalidFile(`Missing: ${missing.join(', ')}.`);

  const manifest = node(node(parseXml(files, 'solution.xml').ImportExportXml).SolutionManifest);
  const uniqueName = text(manifest.UniqueName);
  const version = text(manifest.Version);
  const publisherPrefix = text(node(manifest.Publisher).CustomizationPrefix);
  if (uniqueName === '' || publisherPrefix === '') throw invalidFile('solution.xml has no SolutionManifest with a UniqueName and a Publisher/CustomizationPrefix.');
  if (!VERSION.test(version)) throw invalidFile(`solution.xml's Version "${version}" is not a version number (major.minor[.build[.revision]]).`);
  // Dataverse names the solution by its id in messages; a zip carries none, so the emulator derives a stable one.
  const solution = { prefix: publisherPrefix, id: stableGuid(`solution:${uniqueName}`) };
  const roots = nodes(node(manifest.RootComponents).RootComponent).map((root) => `${text(root['@type'])}:${text(root['@schemaName'])}`);

  const customizations = node(parseXml(files, 'customizations.xml').ImportExportXml);
  const controls = nodes(node(customizations.CustomControls).CustomControl).map((control) => readControl(files, control, solution));
  const webResources = nodes(node(customizations.WebResources).WebResource).map((resource) => readWebResource(files, resource, publisherPrefix));
  for (const [type, names] of [['66', controls.map((control) => control.name)], ['61', webResources.map((resource) => resource.name)]] as const) {
    for (const name of names) {
      if (!roots.includes(`${type}:${name}`)) {
        throw componentFailed(type === '66' ? 'CustomControl' : 'WebResource', name, `The component ${name} of type ${type} is not declared in the solution file as a root component.`);
      }
    }
  }
  for (const root of roots) {
    const [type, name = ''] = root.split(/:(.*)/s) as [string, string?];
    const present = type === '66' ? controls.some((control) => control.name === name) : type === '61' ? webResources.some((resource) => resource.name === name) : true;
    if (!present) throw invalidFile(`The root component ${name} of type ${type} is not in customizations.xml.`);
  }
  return { uniqueName, version, publisherPrefix, controls, webResources };
}
