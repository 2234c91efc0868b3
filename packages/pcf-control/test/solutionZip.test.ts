import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { unzipSync, strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM build script without types
import { sha256 } from '../scripts/solutionPackage.mjs';
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

describe('the solution zip', () => {
  it('holds every file a Dataverse solution import needs', () => {
    expect(Object.keys(zip).sort()).toEqual(
      expect.arrayContaining([
        '[Content_Types].xml',
        'solution.xml',
        'customizations.xml',
        'Controls/Sdap.UniversalQuickCreate/ControlManifest.xml',
        'Controls/Sdap.UniversalQuickCreate/bundle.js',
        'Controls/Sdap.UniversalQuickCreate/strings/UniversalQuickCreate.1033.resx',
      ]),
    );
  });

  it('holds only well-formed XML (Dataverse refuses the import otherwise)', () => {
    const xmlFiles = Object.keys(zip).filter((name) => name.endsWith('.xml') || name.endsWith('.resx'));
    expect(xmlFiles.length).toBeGreaterThanOrEqual(5);
    for (const name of xmlFiles) expect([name, XMLValidator.validate(text(name))]).toEqual([name, true]);
  });

  it('says version 2.3.0 in the package, the manifest and the solution', () => {
    expect(packageVersion).toBe('2.3.0');
    expect(text('Controls/Sdap.UniversalQuickCreate/ControlManifest.xml')).toMatch(
      /<control[^>]*namespace="Sdap"[^>]*constructor="UniversalQuickCreate"[^>]*version="2\.3\.0"/,
    );
    expect(text('solution.xml')).toContain('<Version>2.3.0</Version>');
    expect(buildInfo.version).toBe('2.3.0');
    // What the control shows on its root element (data-control-version), which the e2e report reads.
    expect(readFileSync(join(root, 'UniversalQuickCreate', 'version.ts'), 'utf8')).toContain(`CONTROL_VERSION = '${packageVersion}'`);
  });

  it('registers the control as a root component and a custom control', () => {
    expect(text('solution.xml')).toContain('<RootComponent type="66" schemaName="Sdap.UniversalQuickCreate"');
    expect(text('customizations.xml')).toContain('<FileName>/Controls/Sdap.UniversalQuickCreate/ControlManifest.xml</FileName>');
    for (const extension of ['xml', 'js', 'resx']) {
      expect(text('[Content_Types].xml')).toContain(`Extension="${extension}"`);
    }
  });

  it('packs the bundle built from the current sources', () => {
    const bundle = zip['Controls/Sdap.UniversalQuickCreate/bundle.js'];
    expect(bundle).toBeDefined();
    expect(sha256(bundle)).toBe(buildInfo.bundleSha256);
    expect(sha256(readFileSync(join(root, 'out', 'controls', 'UniversalQuickCreate', 'bundle.js')))).toBe(buildInfo.bundleSha256);
    expect(hashSources(root)).toBe(buildInfo.sourceHash);
  });

  it('packs a virtual control that declares React 16.14.0 and Fluent 9.46.2 as platform libraries', () => {
    const manifest = text('Controls/Sdap.UniversalQuickCreate/ControlManifest.xml');
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
    const bundle = text('Controls/Sdap.UniversalQuickCreate/bundle.js');
    expect(bundle).toMatch(/\bReactv16\b/);
    expect(bundle).toMatch(/\bFluentUIReactv940\b/);
  });

  it('registers the constructor with the PCF runtime', () => {
    expect(text('Controls/Sdap.UniversalQuickCreate/bundle.js')).toContain("registerControl('Sdap.UniversalQuickCreate'");
  });
});
