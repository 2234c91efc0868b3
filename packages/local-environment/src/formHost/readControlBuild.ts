import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FormHostPageConfig, PlatformGlobalNames } from './formHostRuntime.js';

/** What the form host needs to know about a built control to host it: its type and the globals its bundle reads. */
export type ControlBuild = Pick<FormHostPageConfig, 'controlType' | 'platformGlobals'>;

/**
 * The platform library globals a pcf-scripts bundle reads. pcf-scripts compiles each declared `<platform-library>`
 * into a webpack external whose global name carries the platform build's version, not the declared one (Fluent
 * 9.46.2 is `FluentUIReactv940`, React 16.14.0 `Reactv16`; node_modules/pcf-scripts/PlatformLibraryVersions.json),
 * so the names are read from the bundle rather than written down here.
 */
export function platformGlobalNames(bundle: string): PlatformGlobalNames {
  const names = (pattern: RegExp) => [...new Set(bundle.match(pattern) ?? [])].sort();
  return { react: names(/\bReactv\d+\w*\b/g), fluent: names(/\bFluentUIReactv\d+\w*\b/g) };
}

/** The built manifest's `control-type` (beside bundle.js) and the bundle's platform globals; a standard control without either. */
export async function readControlBuild(bundlePath: string): Promise<ControlBuild> {
  const [manifest, bundle] = await Promise.all([
    readFile(join(dirname(bundlePath), 'ControlManifest.xml'), 'utf8').catch(() => ''),
    readFile(bundlePath, 'utf8').catch(() => ''),
  ]);
  const controlType = /<control\b[^>]*\scontrol-type="virtual"/.test(manifest) ? 'virtual' : 'standard';
  return { controlType, platformGlobals: controlType === 'virtual' ? platformGlobalNames(bundle) : { react: [], fluent: [] } };
}
