import { isLogicalName } from '@sdap/navmap-sdk';
import { clientUrl } from '../host/clientUrl';
import { defaultRedirectUri } from '../host/redirectPage';
import { parseConnectionString } from '../telemetry/parseConnectionString';
import type { IInputs } from '../generated/ManifestTypes';

export interface ControlConfig {
  readonly bffBaseUrl: string;
  readonly bffScope: string;
  readonly clientId: string;
  readonly authority: string;
  readonly containerIdColumn: string;
  readonly uploadSessionThresholdBytes: number;
  /** The page whose msal-browser redirect bridge receives sign-in responses. */
  readonly msalRedirectUri: string;
  /** Whether `msalRedirectUri` is the default, the solution's web resource on this org. */
  readonly msalRedirectUriIsDefault: boolean;
  /** Where NavMap events go; none when the property is empty. */
  readonly appInsightsConnectionString?: string;
}

const DEFAULT_THRESHOLD_BYTES = 4 * 1024 * 1024;

/** Reads the manifest properties once; the first missing or malformed one is named so a maker can fix the form. */
export function readControlConfig(context: ComponentFramework.Context<IInputs>): ControlConfig | { readonly problem: string } {
  const text = (name: 'bffBaseUrl' | 'bffScope' | 'clientId' | 'authority') => context.parameters[name]?.raw?.trim() ?? '';
  for (const name of ['bffBaseUrl', 'bffScope', 'clientId', 'authority'] as const) {
    if (!text(name)) return { problem: `The control property "${name}" is empty. Set it in the form designer.` };
  }
  for (const name of ['bffBaseUrl', 'authority'] as const) {
    try {
      const url = new URL(text(name));
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http');
    } catch {
      return { problem: `The control property "${name}" must be an absolute URL; it is "${text(name)}".` };
    }
  }
  const column = context.parameters.containerIdColumn?.raw?.trim() || 'sprk_containerid';
  if (!isLogicalName(column)) {
    return { problem: `The control property "containerIdColumn" must be a column logical name; it is "${column}".` };
  }
  const threshold = context.parameters.uploadSessionThresholdBytes?.raw ?? DEFAULT_THRESHOLD_BYTES;
  if (!Number.isInteger(threshold) || threshold < 0) {
    return { problem: `The control property "uploadSessionThresholdBytes" must be a whole number of bytes; it is "${threshold}".` };
  }
  // Default: the redirect page the solution ships, on this org (Dataverse serves web resources at /WebResources/).
  const redirectProperty = context.parameters.msalRedirectUri?.raw?.trim() ?? '';
  const redirect = redirectProperty || defaultRedirectUri(clientUrl(context));
  let msalRedirectUri: string;
  try {
    msalRedirectUri = new URL(redirect, window.location.href).href;
  } catch {
    return { problem: `The control property "msalRedirectUri" must be a URL; it is "${redirect}".` };
  }
  const appInsightsConnectionString = context.parameters.appInsightsConnectionString?.raw?.trim() ?? '';
  if (appInsightsConnectionString) {
    try {
      parseConnectionString(appInsightsConnectionString);
    } catch (error) {
      return {
        problem: `The control property "appInsightsConnectionString" must be an Application Insights connection string ("InstrumentationKey=<guid>;IngestionEndpoint=https://..."), copied from the resource's Overview page; or leave it empty. ${(error as Error).message}`,
      };
    }
  }
  return {
    ...(appInsightsConnectionString ? { appInsightsConnectionString } : {}),
    msalRedirectUri,
    msalRedirectUriIsDefault: !redirectProperty,
    bffBaseUrl: text('bffBaseUrl').replace(/\/+$/, ''),
    bffScope: text('bffScope'),
    clientId: text('clientId'),
    authority: text('authority').replace(/\/+$/, ''),
    containerIdColumn: column,
    uploadSessionThresholdBytes: threshold,
  };
}
