import { navMapEnvironment, NavMapError } from '@sdap/navmap-sdk';
import { DEFAULT_CHILD_ENTITY, DEFAULT_DATAVERSE_TIMEOUT_MS, resolveParents, type ParentSpec } from '@sdap/navmap-sdk/server';
import * as v from 'valibot';
import { resolveCacheTiming, type CacheTiming } from '../cache/cacheTiming.js';
import { serverConfigSchema, type ServerConfig } from './configSchema.js';
import { isSecretKey, maskSecrets, maskUrlCredentials } from './secrets.js';

/** How the server gets its token for Dataverse. */
export type DataverseAuthConfig =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'clientSecret';
      readonly tenantId: string;
      readonly clientId: string;
      readonly clientSecret: string;
      readonly authorityHost: string;
    }
  | { readonly kind: 'managedIdentity'; readonly clientId?: string }
  | { readonly kind: 'azureCli'; readonly tenantId?: string };

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** The configuration after validation, with every default filled in; frozen. */
export interface ResolvedServerConfig {
  readonly environmentName: string;
  readonly port: number;
  readonly host: string;
  readonly logLevel: LogLevel;
  readonly trustProxy: boolean | number;
  readonly dataverse: {
    readonly url: string;
    readonly auth: DataverseAuthConfig;
    readonly timeoutMs: number;
  };
  readonly childEntity: string;
  readonly parents: readonly ParentSpec[];
  readonly cache: CacheTiming;
  readonly auth: {
    readonly issuer: string;
    readonly audience: readonly string[];
    readonly requiredScopes: readonly string[];
    readonly requiredRoles: readonly string[];
    readonly clockToleranceSeconds: number;
  };
  readonly cors: { readonly origins: readonly string[] };
  /** Application Insights; without a connection string no telemetry code is loaded. */
  readonly telemetry: { readonly applicationInsightsConnectionString?: string };
  readonly rateLimit: { readonly enabled: boolean; readonly windowSeconds: number; readonly max: number };
  /** Socket limits and the shutdown limit of the HTTP server. */
  readonly http: {
    readonly headersTimeoutSeconds: number;
    readonly requestTimeoutSeconds: number;
    readonly keepAliveTimeoutSeconds: number;
    readonly shutdownTimeoutSeconds: number;
  };
  /**
   * Who may read `/metrics`: with `port`, it is served there only (not on the main port); with `bearerToken`, only to
   * `Authorization: Bearer <bearerToken>`. With neither, `/metrics` is not served.
   */
  readonly metrics: { readonly bearerToken?: string; readonly port?: number };
}

export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';

function shown(path: string, value: unknown): string {
  if (isSecretKey(path)) return '(hidden)';
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') value = maskUrlCredentials(value);
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/** Where each key came from, so an error can say "from NAVMAP_PORT" instead of pointing at the file. */
export type ConfigSources = ReadonlyMap<string, string>;

function describeIssues(issues: readonly v.BaseIssue<unknown>[], source: string, sources: ConfigSources): string {
  const lines = issues.map((issue) => {
    const path = (v.getDotPath(issue) ?? '(root)').replace(/\.(\d+)(?=\.|$)/g, '[$1]');
    const from = [...sources].find(([key]) => path === key || path.startsWith(`${key}.`) || path.startsWith(`${key}[`))?.[1];
    // For an unknown key the "received" value is the key's name, already in the path.
    const received = issue.expected === 'never' ? '' : `; received ${shown(path, issue.input)}`;
    return `  \`${path}\`${from ? ` (from ${from})` : ''}: ${issue.message}${received}.`;
  });
  return `Invalid configuration${source ? ` in ${source}` : ''}:\n${lines.join('\n')}`;
}

function invalid(message: string): NavMapError {
  return new NavMapError('invalid_config', message);
}

/**
 * Validates a configuration object once and merges it over the defaults. Throws `invalid_config` naming every bad
 * key with the expected form; secrets are never echoed.
 *
 * @example
 * const config = resolveServerConfig({
 *   dataverse: { url: 'https://org.crm.dynamics.com', auth: { kind: 'managedIdentity' } },
 *   auth: { issuer: 'https://login.microsoftonline.com/<tenant>/v2.0', audience: 'api://navmap-bff' },
 * });
 * config.cache.ttlSeconds; // 300
 */
export function resolveServerConfig(
  input: unknown,
  { source = '', sources = new Map<string, string>() }: { source?: string; sources?: ConfigSources } = {},
): ResolvedServerConfig {
  const result = v.safeParse(serverConfigSchema, input);
  if (!result.success) throw invalid(describeIssues(result.issues, source, sources));
  const config: ServerConfig = result.output;
  const where = source ? ` in ${source}` : '';

  // Checked by the schema with the SDK's rule (findParentIssue); this only normalizes.
  const parents = resolveParents(config.parents);
  let cache: CacheTiming;
  try {
    cache = resolveCacheTiming(config.cache ?? {}, (key) => `cache.${key}`);
  } catch (error) {
    throw invalid(`Invalid configuration${where}: ${(error as Error).message}`);
  }

  const headersTimeoutSeconds = config.http?.headersTimeoutSeconds ?? 10;
  const requestTimeoutSeconds = config.http?.requestTimeoutSeconds ?? Math.max(15, headersTimeoutSeconds);
  if (requestTimeoutSeconds < headersTimeoutSeconds) {
    throw invalid(
      `Invalid configuration${where}: \`http.requestTimeoutSeconds\`: expected at least \`http.headersTimeoutSeconds\` (${headersTimeoutSeconds}); received ${requestTimeoutSeconds}.`,
    );
  }
  const port = config.port ?? 8080;
  if (config.metrics?.port !== undefined && config.metrics.port !== 0 && config.metrics.port === port) {
    throw invalid(`Invalid configuration${where}: \`metrics.port\`: expected another port than \`port\` (${port}), or no \`metrics.port\` to serve /metrics on the main port behind \`metrics.bearerToken\`.`);
  }

  const auth = config.dataverse.auth ?? { kind: 'managedIdentity' as const };
  const dataverseAuth: DataverseAuthConfig =
    auth.kind === 'clientSecret' ? { ...auth, authorityHost: auth.authorityHost ?? DEFAULT_AUTHORITY_HOST } : auth;
  const audience = typeof config.auth.audience === 'string' ? [config.auth.audience] : config.auth.audience;

  const resolved: ResolvedServerConfig = {
    environmentName: config.environmentName ?? navMapEnvironment(config.dataverse.url),
    port,
    host: config.host ?? '0.0.0.0',
    logLevel: config.logLevel ?? 'info',
    trustProxy: config.trustProxy ?? false,
    dataverse: Object.freeze({
      url: config.dataverse.url,
      auth: Object.freeze(dataverseAuth),
      timeoutMs: config.dataverse.timeoutMs ?? DEFAULT_DATAVERSE_TIMEOUT_MS,
    }),
    childEntity: config.childEntity ?? DEFAULT_CHILD_ENTITY,
    parents,
    cache,
    auth: Object.freeze({
      issuer: config.auth.issuer,
      audience: Object.freeze([...audience]),
      requiredScopes: Object.freeze([...(config.auth.requiredScopes ?? [])]),
      requiredRoles: Object.freeze([...(config.auth.requiredRoles ?? [])]),
      clockToleranceSeconds: config.auth.clockToleranceSeconds ?? 30,
    }),
    cors: Object.freeze({ origins: Object.freeze([...(config.cors?.origins ?? [])]) }),
    telemetry: Object.freeze(
      config.telemetry?.applicationInsightsConnectionString === undefined
        ? {}
        : { applicationInsightsConnectionString: config.telemetry.applicationInsightsConnectionString },
    ),
    rateLimit: Object.freeze({
      enabled: config.rateLimit?.enabled ?? true,
      windowSeconds: config.rateLimit?.windowSeconds ?? 60,
      max: config.rateLimit?.max ?? 600,
    }),
    http: Object.freeze({
      headersTimeoutSeconds,
      requestTimeoutSeconds,
      keepAliveTimeoutSeconds: config.http?.keepAliveTimeoutSeconds ?? 5,
      shutdownTimeoutSeconds: config.http?.shutdownTimeoutSeconds ?? 10,
    }),
    metrics: Object.freeze({
      ...(config.metrics?.bearerToken === undefined ? {} : { bearerToken: config.metrics.bearerToken }),
      ...(config.metrics?.port === undefined ? {} : { port: config.metrics.port }),
    }),
  };
  return Object.freeze(resolved);
}

/** A copy of the configuration that is safe to print or log: secrets replaced by `********`, URL credentials hidden. */
export function maskConfig(config: ResolvedServerConfig): ResolvedServerConfig {
  return maskSecrets(config);
}
