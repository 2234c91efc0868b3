import { describe, expect, it } from 'vitest';
import { REDIRECT_PAGE, REDIRECT_SCRIPT, solutionZip, type TestSolution } from '../../test/solutionZip.js';
import { DataverseError } from '../dataverse/DataverseError.js';
import { InstalledSolutions } from './InstalledSolutions.js';

const CONTROL = 'sprk_Sdap.UniversalQuickCreate';

/** The Dataverse error an import of `solution` into `solutions` throws. */
function refusal(solution: TestSolution, solutions = new InstalledSolutions()): DataverseError {
  try {
    solutions.import(solutionZip(solution));
  } catch (error) {
    if (error instanceof DataverseError) return error;
    throw error;
  }
  throw new Error('The import was accepted.');
}

describe('InstalledSolutions.import', () => {
  it('installs the control and the web resources of a pac-shaped solution', () => {
    const solutions = new InstalledSolutions();
    expect(solutions.import(solutionZip())).toEqual({
      uniqueName: 'UniversalQuickCreateSolution',
      version: '2.3.0',
      controls: [CONTROL],
      webResources: [REDIRECT_PAGE.name, REDIRECT_SCRIPT.name],
    });
    expect(solutions.control(CONTROL)).toMatchObject({ registeredName: 'Sdap.UniversalQuickCreate', controlType: 'virtual', codePath: 'bundle.js', version: '2.3.0' });
    expect(new TextDecoder().decode(solutions.webResource('SPRK_/navmap/MsalRedirect.html')?.content)).toBe(REDIRECT_PAGE.content);
    expect(solutions.webResource(REDIRECT_SCRIPT.name)).toMatchObject({ id: REDIRECT_SCRIPT.id, type: 3 });
  });

  it('refuses a file that is not a zip, or lacks a root file, with the invalid-file message', () => {
    const notZip = new InstalledSolutions();
    expect(() => notZip.import(new TextEncoder().encode('not a zip'))).toThrow(/The solution file is invalid/);
    const missing = refusal({ omit: ['customizations.xml'] });
    expect(missing).toMatchObject({ status: 400, code: '0x80048060' });
    expect(missing.message).toContain('must contain the following files at its root: solution.xml, customizations.xml, and [Content_Types].xml');
    expect(missing.message).toContain('Missing: customizations.xml');
  });

  it("refuses a control whose prefix is not the solution publisher's, naming both", () => {
    const error = refusal({ controlName: 'Sdap.UniversalQuickCreate' });
    expect(error.message).toMatch(
      /^Import Solution Failed: CustomControls with Name Sdap\.UniversalQuickCreate Import Solution Failed with following error: Publisher prefix Sdap for this control Sdap\.UniversalQuickCreate does not match the prefix sprk for the solution with Id [0-9a-f-]{36}\.$/,
    );
  });

  it('refuses a web resource without its root component, or outside the publisher prefix', () => {
    expect(refusal({ webResources: [{ ...REDIRECT_PAGE, root: false }] }).message).toBe(
      `Import Solution Failed: WebResource with name ${REDIRECT_PAGE.name} failed to import with error: The component ${REDIRECT_PAGE.name} of type 61 is not declared in the solution file as a root component.`,
    );
    expect(refusal({ controlRoot: false }).message).toContain(`The component ${CONTROL} of type 66 is not declared in the solution file as a root component.`);
    expect(refusal({ webResources: [{ ...REDIRECT_PAGE, name: 'new_/navmap/msalredirect.html' }] }).message).toContain("publisher's prefix sprk_");
  });

  it('refuses a control without its manifest or code file', () => {
    expect(refusal({ manifest: false }).message).toBe(
      `Import Solution Failed: CustomControl with name ${CONTROL} failed to import with error: the manifest /Controls/${CONTROL}/ControlManifest.xml is not in the solution file.`,
    );
  });

  it('refuses a control type or platform library the platform does not support', () => {
    expect(refusal({ controlType: 'react' }).message).toContain('control-type "react" is not supported');
    expect(refusal({ platformLibraries: [{ name: 'Fluent', version: '9.68.0' }] }).message).toContain(
      'platform library fluent_9_68_0 with version 9.68.0 is not supported by the platform. (Fluent 9.4.0 to 9.46.2 is accepted.)',
    );
    expect(refusal({ platformLibraries: [{ name: 'Fluent', version: '9.3.0' }] }).message).toContain('fluent_9_3_0');
    expect(refusal({ platformLibraries: [{ name: 'React', version: '17.0.2' }] }).message).toContain('platform library react_17_0_2 with version 17.0.2 is not supported by the platform. (React 16.14.0 is accepted.)');
    expect(refusal({ platformLibraries: [{ name: 'Lodash', version: '4.17.21' }] }).message).toContain('React and Fluent are the platform libraries');
    const solutions = new InstalledSolutions();
    solutions.import(solutionZip({ platformLibraries: [{ name: 'React', version: '16.14.0' }, { name: 'Fluent', version: '9.4.0' }] }));
    expect(solutions.control(CONTROL)).toBeDefined();
  });

  it('refuses a web resource whose id is not a GUID, whose type is unknown or whose file is missing', () => {
    expect(refusal({ webResources: [{ ...REDIRECT_PAGE, id: 'redirect-page' }] }).message).toContain('WebResourceId "{redirect-page}" is not a GUID.');
    expect(refusal({ webResources: [{ ...REDIRECT_PAGE, type: '13' }] }).message).toContain('WebResourceType "13" is not a known type (1 to 12).');
    expect(refusal({ webResources: [{ ...REDIRECT_PAGE, packed: false }] }).message).toMatch(/its file \/WebResources\/sprk_navmapmsalredirecthtml[0-9A-F-]+ is not in the solution file\./);
  });

  it('refuses a version lower than the installed one and accepts the same or a higher one', () => {
    const solutions = new InstalledSolutions();
    solutions.import(solutionZip({ version: '2.3.0' }));
    expect(refusal({ version: '2.2.9' }, solutions).message).toBe(
      'The solution UniversalQuickCreateSolution version 2.2.9 is lower than the installed version 2.3.0. Import a version equal to or higher than 2.3.0.',
    );
    expect(solutions.import(solutionZip({ version: '2.3.0' })).version).toBe('2.3.0');
    expect(solutions.import(solutionZip({ version: '2.10.0' })).version).toBe('2.10.0');
  });

  it('changes nothing when an import is refused, even after components that passed', () => {
    const solutions = new InstalledSolutions();
    solutions.import(solutionZip({ bundle: 'first' }));
    const before = { control: solutions.control(CONTROL), resources: solutions.webResources() };
    // The control and the first web resource are fine; the second web resource fails.
    expect(() => solutions.import(solutionZip({ version: '2.4.0', bundle: 'second', webResources: [{ ...REDIRECT_PAGE, content: 'new page' }, { ...REDIRECT_SCRIPT, type: 'x' }] }))).toThrow(DataverseError);
    expect(solutions.control(CONTROL)).toBe(before.control);
    expect(solutions.webResources()).toEqual(before.resources);
    expect(new TextDecoder().decode(solutions.webResource(REDIRECT_PAGE.name)?.content)).toBe(REDIRECT_PAGE.content);
    // and the refused version was not recorded: 2.3.0 still imports
    expect(solutions.import(solutionZip({ version: '2.3.0' })).version).toBe('2.3.0');
  });

  it('replaces the control and the web resources together when an import is accepted', () => {
    const solutions = new InstalledSolutions();
    solutions.import(solutionZip({ bundle: 'first' }));
    solutions.import(solutionZip({ version: '2.4.0', bundle: 'second', webResources: [{ ...REDIRECT_PAGE, content: 'new page' }, REDIRECT_SCRIPT] }));
    expect(new TextDecoder().decode(solutions.control(CONTROL)?.bundle)).toBe('second');
    expect(new TextDecoder().decode(solutions.webResource(REDIRECT_PAGE.name)?.content)).toBe('new page');
  });
});

describe('InstalledSolutions.deleteWebResource', () => {
  it('deletes a web resource by id and leaves the rest', () => {
    const solutions = new InstalledSolutions();
    solutions.import(solutionZip());
    expect(solutions.deleteWebResource(REDIRECT_PAGE.id.toUpperCase())).toBe(true);
    expect(solutions.webResource(REDIRECT_PAGE.name)).toBeUndefined();
    expect(solutions.webResource(REDIRECT_SCRIPT.name)).toBeDefined();
    expect(solutions.deleteWebResource(REDIRECT_PAGE.id)).toBe(false);
  });
});
