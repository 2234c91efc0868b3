import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { unzipSync, strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM build script without types
import { CONTROL_NAME, REDIRECT_PAGE_WEB_RESOURCE, REDIRECT_SCRIPT_WEB_RESOURCE, WEB_RESOURCES, sha256 } from '../scripts/solutionPackage.mjs';
// @ts-expect-error plain ESM build script without types
import { hashSources } from '../scripts/sourceHash.mjs';

const root = join(import.meta.dirname, '..');
const solutionDir = join(root, 'out', 'solution');
const zip = unzipSync(readFileSync(join(solutionDir, 'UniversalQuickCreateSolution.zip')));
const buildInfo = JSON.parse(readFileSync(join(solutionDir, 'build-info.json'), 'utf8')) as {
  version: string;
  sourceHash: string;
  bundleSha256: string;
};
const packageVersion = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
const text = (name: string) => {
  const entry = zip[name];
  if (!entry) throw new Error(`${name} is missing from the solution zip`);
  return strFromU8(entry);
};
const controlFolder = 'Controls/sprk_Sdap.UniversalQuickCreate';
interface WebResource {
  name: string;
  id: string;
  type: number;
  fileName: string;
  builtFile: string;
}
const webResources = WEB_RESOURCES as WebResource[];

describe('the solution zip', () => {
  it('holds every file a Dataverse solution import needs', () => {
    expect(Object.keys(zip).sort()).toEqual(
      expect.arrayContaining([
        '[Content_Types].xml',
        'solution.xml',
        'customizations.xml',
        `${controlFolder}/ControlManifest.xml`,
        `${controlFolder}/bundle.js`,
        `${controlFolder}/strings/UniversalQuickCreate.1033.resx`,
        'WebResources/sprk_navmapmsalredirecthtmlF69BCE2D-C389-426E-8D35-54540DEE8E7B',
        'WebResources/sprk_navmapmsalredirectjs6503DECB-B425-465E-9902-474280E5B43D',
      ]),
    );
    // pac and Dataverse exports write [Content_Types].xml last.
    expect(Object.keys(zip).at(-1)).toBe('[Content_Types].xml');
  });

  it('holds only well-formed XML (Dataverse refuses the import otherwise)', () => {
    const xmlFiles = Object.keys(zip).filter((name) => name.endsWith('.xml') || name.endsWith('.resx'));
    expect(xmlFiles.length).toBeGreaterThanOrEqual(5);
    for (const name of xmlFiles) expect([name, XMLValidator.validate(text(name))]).toEqual([name, true]);
  });

  it('says version 2.3.0 in the package, the manifest and the solution', () => {
    expect(packageVersion).toBe('2.3.0');
    // pac packs the manifest as pcf-scripts built it: namespace and constructor stay without the publisher prefix.
    expect(text(`${controlFolder}/ControlManifest.xml`)).toMatch(
      /<control[^>]*namespace="Sdap"[^>]*constructor="UniversalQuickCreate"[^>]*version="2\.3\.0"/,
    );
    expect(text('solution.xml')).toContain('<Version>2.3.0</Version>');
    expect(buildInfo.version).toBe('2.3.0');
    // What the control shows on its root element (data-control-version), which the e2e report reads.
    expect(readFileSync(join(root, 'UniversalQuickCreate', 'version.ts'), 'utf8')).toContain(`CONTROL_VERSION = '${packageVersion}'`);
  });

  it('names the control <publisher prefix>_<namespace>.<constructor> in its root component, custom control and folder', () => {
    expect(CONTROL_NAME).toBe('sprk_Sdap.UniversalQuickCreate');
    expect(text('solution.xml')).toContain('<RootComponent type="66" schemaName="sprk_Sdap.UniversalQuickCreate" behavior="0" />');
    expect(text('solution.xml')).toContain('<CustomizationPrefix>sprk</CustomizationPrefix>');
    expect(text('customizations.xml')).toMatch(
      /<CustomControl>\s*<Name>sprk_Sdap\.UniversalQuickCreate<\/Name>\s*<FileName>\/Controls\/sprk_Sdap\.UniversalQuickCreate\/ControlManifest\.xml<\/FileName>\s*<\/CustomControl>/,
    );
  });

  it('declares each extension once and each extension-less part by name in [Content_Types].xml, with a BOM', () => {
    // A UTF-8 byte order mark first (TextDecoder, and so strFromU8, drops it from the text).
    expect([...zip['[Content_Types].xml']!.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const contentTypes = text('[Content_Types].xml');
    expect(contentTypes.startsWith('<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">')).toBe(true);
    for (const extension of ['xml', 'js', 'resx']) {
      expect(contentTypes.split(`<Default Extension="${extension}" ContentType="application/octet-stream" />`)).toHaveLength(2);
    }
    const extensionless = Object.keys(zip).filter((name) => !/\.[^./]+$/.test(name));
    expect(extensionless).toHaveLength(2);
    for (const name of extensionless) expect(contentTypes).toContain(`<Override PartName="/${name}" ContentType="application/octet-stream" />`);
  });

  it('ships the redirect page and its script as web resources with fixed ids, as Dataverse exports them', () => {
    expect([REDIRECT_PAGE_WEB_RESOURCE, REDIRECT_SCRIPT_WEB_RESOURCE]).toEqual(['sprk_/navmap/msalredirect.html', 'sprk_/navmap/msalredirect.js']);
    expect(webResources.map(({ name, id, type }) => ({ name, id, type }))).toEqual([
      { name: 'sprk_/navmap/msalredirect.html', id: 'f69bce2d-c389-426e-8d35-54540dee8e7b', type: 1 },
      { name: 'sprk_/navmap/msalredirect.js', id: '6503decb-b425-465e-9902-474280e5b43d', type: 3 },
    ]);
    const customizations = text('customizations.xml');
    for (const resource of webResources) {
      expect(text('solution.xml')).toContain(`<RootComponent type="61" schemaName="${resource.name}" behavior="0" />`);
      const element = new RegExp(`<WebResource>\\s*<WebResourceId>\\{${resource.id}\\}</WebResourceId>\\s*<Name>${resource.name}</Name>[\\s\\S]*?</WebResource>`).exec(customizations)?.[0];
      expect(element).toBeDefined();
      expect(element).toContain(`<WebResourceType>${resource.type}</WebResourceType>`);
      expect(element).toContain('<LanguageCode>1033</LanguageCode>');
      expect(element).toContain(`<FileName>${resource.fileName}</FileName>`);
      expect(resource.fileName).toBe(`/WebResources/${resource.name.replace(/[/.]/g, '')}${resource.id.toUpperCase()}`);
      expect(sha256(zip[resource.fileName.slice(1)])).toBe(sha256(readFileSync(join(root, 'out', 'web-resources', resource.builtFile))));
    }
  });

  it("runs the redirect bridge of the msal-browser version the control bundles", () => {
    const page = text(webResources[0]!.fileName.slice(1));
    expect(page).toContain('<script src="msalredirect.js"></script>');
    const script = text(webResources[1]!.fileName.slice(1));
    // broadcastResponseToMainFrame posts the response on a BroadcastChannel named by the request's state.
    expect(script).toContain('BroadcastChannel');
    const msalVersion = (source: string) => /@azure\/msal-browser v(\d+\.\d+\.\d+)/.exec(source)?.[1];
    const bundleLicense = text(`${controlFolder}/bundle.js.LICENSE.txt`);
    expect(msalVersion(bundleLicense)).toMatch(/^5\./);
    expect(msalVersion(script)).toBe(msalVersion(bundleLicense));
  });

  it('packs the bundle built from the current sources', () => {
    const bundle = zip[`${controlFolder}/bundle.js`];
    expect(bundle).toBeDefined();
    expect(sha256(bundle)).toBe(buildInfo.bundleSha256);
    expect(sha256(readFileSync(join(root, 'out', 'controls', 'UniversalQuickCreate', 'bundle.js')))).toBe(buildInfo.bundleSha256);
    expect(hashSources(root)).toBe(buildInfo.sourceHash);
  });

  it('packs a virtual control that declares React 16.14.0 and Fluent 9.46.2 as platform libraries', () => {
    const manifest = text(`${controlFolder}/ControlManifest.xml`);
    expect(manifest).toMatch(/<control\b[^>]*\scontrol-type="virtual"/);
    const libraries = [...manifest.matchAll(/<platform-library\b[^>]*>/g)].map(([tag]) => ({
      name: /\sname="([^"]*)"/.exec(tag)?.[1],
      version: /\sversion="([^"]*)"/.exec(tag)?.[1],
    }));
    expect(libraries).toEqual([
      { name: 'React', version: '16.14.0' },
      { name: 'Fluent', version: '9.46.2' },
    ]);
    // The bundle reads them from the platform (pcf-scripts' webpack externals) instead of carrying them.
    const bundle = text(`${controlFolder}/bundle.js`);
    expect(bundle).toMatch(/\bReactv16\b/);
    expect(bundle).toMatch(/\bFluentUIReactv940\b/);
  });

  it('registers the constructor with the PCF runtime', () => {
    // The bundle registers namespace.constructor; the platform loads it under the solution's prefixed name.
    expect(text(`${controlFolder}/bundle.js`)).toContain("registerControl('Sdap.UniversalQuickCreate'");
  });
});
