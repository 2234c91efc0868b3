import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { platformGlobalNames, readControlBuild } from './readControlBuild.js';

const folder = mkdtempSync(join(tmpdir(), 'control-build-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function build(name: string, controlType: string, bundle: string): string {
  const directory = join(folder, name);
  mkdirSync(directory);
  writeFileSync(join(directory, 'ControlManifest.xml'), `<manifest><control namespace="Sdap" constructor="X" version="1.0.0" control-type="${controlType}"></control></manifest>`);
  writeFileSync(join(directory, 'bundle.js'), bundle);
  return join(directory, 'bundle.js');
}

describe('readControlBuild', () => {
  it('finds the platform globals a virtual control\'s bundle reads', async () => {
    const bundlePath = build('virtual', 'virtual', 'var e=Reactv16;module.exports=FluentUIReactv940,window["Reactv16"];');
    await expect(readControlBuild(bundlePath)).resolves.toEqual({ controlType: 'virtual', platformGlobals: { react: ['Reactv16'], fluent: ['FluentUIReactv940'] } });
  });

  it('hosts a standard control, or a bundle without a manifest, with its container and no platform globals', async () => {
    await expect(readControlBuild(build('standard', 'standard', 'Reactv16'))).resolves.toEqual({ controlType: 'standard', platformGlobals: { react: [], fluent: [] } });
    await expect(readControlBuild(join(folder, 'missing', 'bundle.js'))).resolves.toEqual({ controlType: 'standard', platformGlobals: { react: [], fluent: [] } });
  });
});

describe('platformGlobalNames', () => {
  it('reads each name once, and not React or Fluent mentioned in other words', () => {
    expect(platformGlobalNames('Reactv18 Reactv16 Reactv16 ReactDOM React FluentUIReactv81211 MyReactv16x')).toEqual({ react: ['Reactv16', 'Reactv18'], fluent: ['FluentUIReactv81211'] });
  });
});
