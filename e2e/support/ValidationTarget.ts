import { ConfidentialClientApplication } from '@azure/msal-node';
import type { Page } from '@playwright/test';
import type { LocalStack, LocalStackOptions } from '@sdap/local-stack';
import { signInWithAzureAd } from './signInWithAzureAd.js';
import type { RemoteSettings } from './remoteSettings.js';

/**
 * What the specs run against: the local stack (`local` project) or a deployed environment (`remote` project). The
 * specs see only this; `local` is there for the checks that need the local environment's admin endpoint (faults,
 * request counters) or a second server configuration, and those skip on `remote` saying why.
 */
export interface ValidationTarget {
  /** For the report: the org URL, or "local environment". */
  readonly label: string;
  readonly orgUrl: string;
  /** The BFF base URL: upload API, NavMap endpoint, /healthz and /readyz. */
  readonly bffUrl: string;
  /** The scope the control asks for to call the BFF (its token is in the control's MSAL cache). */
  readonly bffScope: string;
  /** The name of the Documents subgrid on the parents' forms (`Xrm.Page.getControl(name)`). */
  readonly documentsSubgrid: string;
  /** A record id per parent table whose form hosts the control. */
  readonly records: Readonly<Record<string, string>>;
  readonly unsupportedRecord?: { readonly entity: string; readonly id: string };
  /** The model-driven form of a record. */
  formUrl(entityName: string, id: string): string;
  /** Signs the user in when the form redirected to the sign-in page; false when the page is not a sign-in page. */
  signInIfAsked(page: Page): Promise<boolean>;
  /** A token the NavMap endpoint accepts (client credentials of a caller with NavMap.Read). */
  endpointToken(): Promise<string>;
  /** A valid token for another audience (Dataverse's), which the endpoint must refuse (row 5.2). */
  foreignAudienceToken(): Promise<string>;
  /** The local stack, when the target is local. */
  readonly local?: LocalStack;
}

/** A local target started for a worker or a test; its starter stops it. */
export interface StartedLocalTarget extends ValidationTarget {
  readonly local: LocalStack;
  stop(): Promise<void>;
}

/**
 * Starts the repository's local stack as a target. The `local` project's configuration injects it (fixture option
 * `localTargets`, e2e/local/startLocalTarget.ts); the installed runner (@sdap/navmap-validate) has no local
 * environment and runs `remote` only. An object, not a bare function: Playwright takes a function option for a fixture.
 */
export interface LocalTargets {
  start(options?: LocalStackOptions): Promise<StartedLocalTarget>;
}

/**
 * Tokens by client credentials through MSAL for Node (what @azure/identity's ClientSecretCredential runs on, without
 * its browser half: the installed runner stays small). The local identity provider answers the same grant.
 */
export function credentialTokens(options: { tenantId: string; clientId: string; clientSecret: string; authorityHost: string }) {
  const client = new ConfidentialClientApplication({
    auth: {
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      authority: `${options.authorityHost}/${options.tenantId}`,
      // The authority is given, not discovered: the local identity provider is not in Microsoft's instance list.
      knownAuthorities: [new URL(options.authorityHost).host],
    },
  });
  return async (scope: string): Promise<string> => {
    const result = await client.acquireTokenByClientCredential({ scopes: [scope] });
    if (!result?.accessToken) throw new Error(`No token for ${scope} from ${options.authorityHost}.`);
    return result.accessToken;
  };
}

/** The `.default` scope of the resource a delegated scope belongs to (`api://x/NavMap.Read` → `api://x/.default`). */
function defaultScopeOf(scope: string): string {
  return `${scope.slice(0, scope.lastIndexOf('/'))}/.default`;
}

/** A deployed environment described by `NAVMAP_E2E_*` variables. */
export function remoteTarget(settings: RemoteSettings): ValidationTarget {
  const tokenFor = credentialTokens(settings.endpointClient);
  return {
    label: settings.orgUrl,
    orgUrl: settings.orgUrl,
    bffUrl: settings.bffUrl,
    bffScope: settings.bffScope,
    documentsSubgrid: settings.documentsSubgrid,
    records: settings.records,
    ...(settings.unsupportedRecord ? { unsupportedRecord: settings.unsupportedRecord } : {}),
    formUrl: (entityName, id) =>
      `${settings.orgUrl}/main.aspx?${new URLSearchParams({ appid: settings.appId, pagetype: 'entityrecord', etn: entityName, id }).toString()}`,
    async signInIfAsked(page) {
      if (settings.signIn.kind !== 'password' || !new URL(page.url()).hostname.startsWith('login.')) return false;
      await signInWithAzureAd(page, settings.signIn);
      return true;
    },
    endpointToken: () => tokenFor(defaultScopeOf(settings.bffScope)),
    foreignAudienceToken: () => tokenFor(`${settings.orgUrl}/.default`),
  };
}
