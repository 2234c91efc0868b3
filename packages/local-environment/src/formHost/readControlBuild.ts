import type { ImportedControl } from '../solutions/readSolutionPackage.js';
import type { FormHostPageConfig, PlatformGlobalNames } from './formHostRuntime.js';

/** What the form host needs to know about an imported control to host it: its type and the globals its bundle reads. */
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

/** The imported manifest's `control-type` and, for a virtual control, the platform globals its bundle reads. */
export function controlBuild(control: Pick<ImportedControl, 'controlType' | 'bundle'>): ControlBuild {
  const platformGlobals = control.controlType === 'virtual' ? platformGlobalNames(new TextDecoder().decode(control.bundle)) : { react: [], fluent: [] };
  return { controlType: control.controlType, platformGlobals };
}
