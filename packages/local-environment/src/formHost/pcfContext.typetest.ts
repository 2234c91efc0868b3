/// <reference types="powerapps-component-framework" />
/// <reference types="xrm" />
// Type test, compiled by `npm run typecheck` and never run: the form host's context is the ComponentFramework
// context of @types/powerapps-component-framework, and its Xrm the members of @types/xrm it offers (not Xrm.WebApi: its typings want jQuery-style
// promises with fail/always, which Xrm.WebApi no longer returns), without casts.
import { createPcfContext, type PcfContextOptions } from './createPcfContext.js';
import type { FormWebApi } from './createFormWebApi.js';
import { createXrm } from './createXrm.js';
import type { FormHostPageConfig } from './formHostRuntime.js';

type IInputs = Record<string, ComponentFramework.PropertyTypes.Property>;

export function formHostContext(options: PcfContextOptions): ComponentFramework.Context<IInputs> {
  return createPcfContext(options).context;
}

export function formHostGlobalContext(page: FormHostPageConfig, webApi: FormWebApi): Pick<Xrm.GlobalContext, 'getClientUrl' | 'getWebResourceUrl'> & {
  userSettings: Pick<Xrm.UserSettings, 'userId' | 'userName' | 'languageId' | 'securityRoles' | 'getTimeZoneOffsetMinutes'>;
} {
  return createXrm(page, webApi).Utility.getGlobalContext();
}

export function formHostAttribute(page: FormHostPageConfig, webApi: FormWebApi): Pick<Xrm.Attributes.Attribute, 'getName' | 'getValue' | 'getAttributeType' | 'getIsDirty'> | null {
  const found = createXrm(page, webApi).Page.data.entity.attributes.get('sprk_matter');
  return Array.isArray(found) ? null : found;
}

export function formHostLookup(value: ReturnType<typeof formHostAttribute>): Xrm.LookupValue[] | null {
  const lookup: unknown = value?.getValue();
  return Array.isArray(lookup) ? lookup : null;
}
