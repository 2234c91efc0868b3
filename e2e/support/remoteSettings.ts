/**
 * The `remote` project's description of a deployed environment, read from `NAVMAP_E2E_*` variables. Every problem
 * is collected and reported at once, each naming its variable and what to put in it (docs/e2e.md lists them all).
 */

/** How the suite signs in to the model-driven app. */
export type RemoteSignIn =
  | { readonly kind: 'storageState'; readonly path: string }
  | { readonly kind: 'password'; readonly username: string; readonly password: string; readonly totpSecret?: string };

/**
 * What a measured figure that misses the plan's target does to a `remote` run: `fail` it (the default), or only
 * `report` it (for a run on a shared or throttled machine, whose timings say little about the deployment).
 */
export type MissedTargetsPolicy = 'fail' | 'report';

export interface RemoteSettings {
  /** The Dataverse organisation URL, without a trailing slash (`https://contoso.crm.dynamics.com`). */
  readonly orgUrl: string;
  /** The model-driven app whose forms host UniversalQuickCreate. */
  readonly appId: string;
  /** The BFF base URL the control is configured with (upload API and NavMap endpoint). */
  readonly bffUrl: string;
  /** The scope the control asks for (`api://<bff app>/NavMap.Read`); its resource gets `/.default` for the endpoint checks. */
  readonly bffScope: string;
  /** A client that may call the NavMap endpoint (app role NavMap.Read), for the endpoint rows D1-D5 and 5.x. */
  readonly endpointClient: { readonly tenantId: string; readonly clientId: string; readonly clientSecret: string; readonly authorityHost: string };
  /** A record id per parent table: `NAVMAP_E2E_RECORD_SPRK_MATTER=<guid>` gives `{ sprk_matter: '<guid>' }`. */
  readonly records: Readonly<Record<string, string>>;
  /** The name of the Documents subgrid on the parents' forms (`Xrm.Page.getControl(name)`), for rows 2.1-2.5. */
  readonly documentsSubgrid: string;
  /** A record of a table that has no relationship to the child, for row 3.1 (`lead:<guid>`). */
  readonly unsupportedRecord?: { readonly entity: string; readonly id: string };
  readonly signIn: RemoteSignIn;
  /** NAVMAP_E2E_MISSED_TARGETS. @default 'fail' */
  readonly missedTargets: MissedTargetsPolicy;
}

/** Where the `remote-setup` project saves the signed-in session (relative to the working folder), unless NAVMAP_E2E_STORAGE_STATE names one. */
export const REMOTE_STORAGE_STATE = 'playwright/.auth/remote.json';

const GUID = /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i;
const RECORD_PREFIX = 'NAVMAP_E2E_RECORD_';
const SUBGRID_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;

/** Thrown with every problem of the `NAVMAP_E2E_*` variables, one per line. */
export class RemoteSettingsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`The remote project cannot start; fix these NAVMAP_E2E_* variables (docs/e2e.md lists them all):\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'RemoteSettingsError';
  }
}

function httpsUrl(name: string, value: string | undefined, problems: string[], example: string): string {
  if (!value) {
    problems.push(`${name} is missing: set it to ${example}.`);
    return '';
  }
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:') throw new Error('not https');
    return url.href.replace(/\/+$/, '');
  } catch {
    problems.push(`${name} must be an https URL such as ${example}; it is "${value}".`);
    return '';
  }
}

function required(name: string, value: string | undefined, problems: string[], what: string): string {
  if (!value?.trim()) problems.push(`${name} is missing: set it to ${what}.`);
  return value?.trim() ?? '';
}

function guid(name: string, value: string | undefined, problems: string[], what: string): string {
  const text = required(name, value, problems, what);
  if (text && !GUID.test(text)) problems.push(`${name} must be a GUID (${what}); it is "${text}".`);
  return text.replace(/[{}]/g, '').toLowerCase();
}

function missedTargetsPolicy(value: string | undefined, problems: string[]): MissedTargetsPolicy {
  const text = value?.trim() ?? '';
  if (text === '' || text === 'fail') return 'fail';
  if (text === 'report') return 'report';
  problems.push(
    `NAVMAP_E2E_MISSED_TARGETS must be "fail" (the default: a figure that misses the plan's target fails the run) or "report" (list it in the report without failing); it is "${text}".`,
  );
  return 'fail';
}

/** NAVMAP_E2E_MISSED_TARGETS alone, for the validation report; throws `RemoteSettingsError` when it is malformed. */
export function readMissedTargetsPolicy(env: Readonly<Record<string, string | undefined>>): MissedTargetsPolicy {
  const problems: string[] = [];
  const policy = missedTargetsPolicy(env.NAVMAP_E2E_MISSED_TARGETS, problems);
  if (problems.length > 0) throw new RemoteSettingsError(problems);
  return policy;
}

/**
 * Reads the deployed environment from the variables, or throws `RemoteSettingsError` naming each missing or
 * malformed one.
 *
 * @example
 * const settings = readRemoteSettings(process.env); // throws "NAVMAP_E2E_ORG_URL is missing: ..." when unset
 */
export function readRemoteSettings(env: Readonly<Record<string, string | undefined>>): RemoteSettings {
  const problems: string[] = [];
  const orgUrl = httpsUrl('NAVMAP_E2E_ORG_URL', env.NAVMAP_E2E_ORG_URL, problems, 'the Dataverse organisation URL, e.g. https://contoso.crm.dynamics.com');
  const appId = guid('NAVMAP_E2E_APP_ID', env.NAVMAP_E2E_APP_ID, problems, 'the id of the model-driven app whose forms host the control');
  const bffUrl = httpsUrl('NAVMAP_E2E_BFF_URL', env.NAVMAP_E2E_BFF_URL, problems, 'the BFF base URL, e.g. https://spe-bff-api.azurewebsites.net');
  const bffScope = required('NAVMAP_E2E_BFF_SCOPE', env.NAVMAP_E2E_BFF_SCOPE, problems, 'the scope the control asks for, e.g. api://<bff app id>/NavMap.Read');
  if (bffScope && !/^[a-z][a-z0-9+.-]*:\/\/.+\/[^/]+$/i.test(bffScope)) {
    problems.push(`NAVMAP_E2E_BFF_SCOPE must be "<resource>/<scope>" such as api://<bff app id>/NavMap.Read; it is "${bffScope}".`);
  }
  const endpointClient = {
    tenantId: required('NAVMAP_E2E_TENANT_ID', env.NAVMAP_E2E_TENANT_ID, problems, 'the directory (tenant) id'),
    clientId: guid('NAVMAP_E2E_CLIENT_ID', env.NAVMAP_E2E_CLIENT_ID, problems, 'the app id of a client granted the BFF app role NavMap.Read'),
    clientSecret: required('NAVMAP_E2E_CLIENT_SECRET', env.NAVMAP_E2E_CLIENT_SECRET, problems, "that client's secret"),
    authorityHost: env.NAVMAP_E2E_AUTHORITY_HOST
      ? httpsUrl('NAVMAP_E2E_AUTHORITY_HOST', env.NAVMAP_E2E_AUTHORITY_HOST, problems, 'https://login.microsoftonline.com')
      : 'https://login.microsoftonline.com',
  };

  const records: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(RECORD_PREFIX)) continue;
    const entity = name.slice(RECORD_PREFIX.length).toLowerCase();
    records[entity] = guid(name, value, problems, `the id of a ${entity} record whose form hosts the control`);
  }
  if (!records.sprk_matter) {
    problems.push(`NAVMAP_E2E_RECORD_SPRK_MATTER is missing: set it to the id of a Matter record (one NAVMAP_E2E_RECORD_<TABLE> per parent table to check).`);
  }

  const documentsSubgrid = required(
    'NAVMAP_E2E_DOCUMENTS_SUBGRID',
    env.NAVMAP_E2E_DOCUMENTS_SUBGRID,
    problems,
    "the name of the forms' Documents subgrid (form designer: the subgrid's Name, e.g. Documents)",
  );
  if (documentsSubgrid && !SUBGRID_NAME.test(documentsSubgrid)) {
    problems.push(`NAVMAP_E2E_DOCUMENTS_SUBGRID must be a subgrid's Name as the form designer shows it (letters, digits, underscores, e.g. Documents); it is "${documentsSubgrid}".`);
  }

  let unsupportedRecord: RemoteSettings['unsupportedRecord'];
  if (env.NAVMAP_E2E_UNSUPPORTED_RECORD) {
    const [entity, id] = env.NAVMAP_E2E_UNSUPPORTED_RECORD.split(':');
    if (!entity || !id || !GUID.test(id)) {
      problems.push(`NAVMAP_E2E_UNSUPPORTED_RECORD must be "<table>:<guid>" such as lead:<guid>; it is "${env.NAVMAP_E2E_UNSUPPORTED_RECORD}".`);
    } else {
      unsupportedRecord = { entity: entity.toLowerCase(), id: id.toLowerCase() };
    }
  }

  let signIn: RemoteSignIn;
  if (env.NAVMAP_E2E_STORAGE_STATE) {
    signIn = { kind: 'storageState', path: env.NAVMAP_E2E_STORAGE_STATE };
  } else {
    const username = required(
      'NAVMAP_E2E_USERNAME',
      env.NAVMAP_E2E_USERNAME,
      problems,
      'the test user (or set NAVMAP_E2E_STORAGE_STATE to a saved Playwright storage state instead)',
    );
    const password = required('NAVMAP_E2E_PASSWORD', env.NAVMAP_E2E_PASSWORD, problems, "the test user's password");
    const totpSecret = env.NAVMAP_E2E_TOTP_SECRET?.replace(/\s+/g, '');
    if (totpSecret !== undefined && !/^[A-Z2-7]+=*$/i.test(totpSecret)) {
      problems.push('NAVMAP_E2E_TOTP_SECRET must be the base32 secret shown when the authenticator app was registered.');
    }
    signIn = { kind: 'password', username, password, ...(totpSecret ? { totpSecret } : {}) };
  }

  const missedTargets = missedTargetsPolicy(env.NAVMAP_E2E_MISSED_TARGETS, problems);

  if (problems.length > 0) throw new RemoteSettingsError(problems);
  return { orgUrl, appId, bffUrl, bffScope, endpointClient, records, documentsSubgrid, ...(unsupportedRecord ? { unsupportedRecord } : {}), signIn, missedTargets };
}

/** Set by the main Playwright process for its workers, which load the configuration again without its arguments. */
const REMOTE_SELECTED_MARK = 'NAVMAP_REMOTE_PROJECT_SELECTED';

/**
 * True when this run selected the `remote` project (`--project=remote` / `--project remote`). The main process
 * reads its arguments and marks its environment, which the workers inherit: a worker's own arguments name no project,
 * and a worker whose configuration lacks a project of the run stops with "Project ... not found in the worker process".
 */
export function selectsRemoteProject(argv: readonly string[], env: Record<string, string | undefined> = process.env): boolean {
  const selected = argv.some((arg, index) => arg === '--project=remote' || (arg === '--project' && argv[index + 1] === 'remote')) || env[REMOTE_SELECTED_MARK] === '1';
  if (selected) env[REMOTE_SELECTED_MARK] = '1';
  return selected;
}
