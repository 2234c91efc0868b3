import { readFileSync } from 'node:fs';
import { NavMapError } from '@sdap/navmap-sdk';
import { resolveServerConfig, type ResolvedServerConfig } from './resolveServerConfig.js';
import { isSecretKey } from './secrets.js';

type EnvKind = 'string' | 'integer' | 'boolean' | 'list' | 'booleanOrInteger' | 'parents' | 'audience';

/**
 * Every environment variable the server reads, the config key it sets, and how its text is read. Later entries win
 * when two set the same key.
 */
export const CONFIG_ENVIRONMENT_VARIABLES: Readonly<Record<string, { readonly key: string; readonly kind: EnvKind }>> = {
  NAVMAP_ENVIRONMENT_NAME: { key: 'environmentName', kind: 'string' },
  NAVMAP_PORT: { key: 'port', kind: 'integer' },
  NAVMAP_HOST: { key: 'host', kind: 'string' },
  NAVMAP_LOG_LEVEL: { key: 'logLevel', kind: 'string' },
  NAVMAP_TRUST_PROXY: { key: 'trustProxy', kind: 'booleanOrInteger' },
  NAVMAP_DATAVERSE_URL: { key: 'dataverse.url', kind: 'string' },
  NAVMAP_DATAVERSE_TIMEOUT_MS: { key: 'dataverse.timeoutMs', kind: 'integer' },
  NAVMAP_DATAVERSE_AUTH_KIND: { key: 'dataverse.auth.kind', kind: 'string' },
  NAVMAP_DATAVERSE_TENANT_ID: { key: 'dataverse.auth.tenantId', kind: 'string' },
  NAVMAP_DATAVERSE_CLIENT_ID: { key: 'dataverse.auth.clientId', kind: 'string' },
  NAVMAP_DATAVERSE_CLIENT_SECRET: { key: 'dataverse.auth.clientSecret', kind: 'string' },
  NAVMAP_DATAVERSE_AUTHORITY_HOST: { key: 'dataverse.auth.authorityHost', kind: 'string' },
  NAVMAP_CHILD_ENTITY: { key: 'childEntity', kind: 'string' },
  NAVMAP_PARENTS: { key: 'parents', kind: 'parents' },
  NAVMAP_CACHE_TTL_SECONDS: { key: 'cache.ttlSeconds', kind: 'integer' },
  NAVMAP_CACHE_MAX_STALE_SECONDS: { key: 'cache.maxStaleSeconds', kind: 'integer' },
  NAVMAP_CACHE_REFRESH_AHEAD_SECONDS: { key: 'cache.refreshAheadSeconds', kind: 'integer' },
  NAVMAP_CACHE_RETRY_SECONDS: { key: 'cache.retrySeconds', kind: 'integer' },
  NAVMAP_CACHE_MIN_FORCED_REFRESH_INTERVAL_SECONDS: { key: 'cache.minForcedRefreshIntervalSeconds', kind: 'integer' },
  NAVMAP_CACHE_FORCED_REFRESH_TIMEOUT_SECONDS: { key: 'cache.forcedRefreshTimeoutSeconds', kind: 'integer' },
  NAVMAP_AUTH_ISSUER: { key: 'auth.issuer', kind: 'string' },
  NAVMAP_AUTH_AUDIENCE: { key: 'auth.audience', kind: 'audience' },
  NAVMAP_AUTH_REQUIRED_SCOPES: { key: 'auth.requiredScopes', kind: 'list' },
  NAVMAP_AUTH_REQUIRED_ROLES: { key: 'auth.requiredRoles', kind: 'list' },
  NAVMAP_AUTH_CLOCK_TOLERANCE_SECONDS: { key: 'auth.clockToleranceSeconds', kind: 'integer' },
  NAVMAP_CORS_ORIGINS: { key: 'cors.origins', kind: 'list' },
  // The name Azure App Service and Functions set when Application Insights is enabled; the NAVMAP_ one wins.
  APPLICATIONINSIGHTS_CONNECTION_STRING: { key: 'telemetry.applicationInsightsConnectionString', kind: 'string' },
  NAVMAP_TELEMETRY_APPLICATION_INSIGHTS_CONNECTION_STRING: { key: 'telemetry.applicationInsightsConnectionString', kind: 'string' },
  NAVMAP_RATE_LIMIT_ENABLED: { key: 'rateLimit.enabled', kind: 'boolean' },
  NAVMAP_RATE_LIMIT_WINDOW_SECONDS: { key: 'rateLimit.windowSeconds', kind: 'integer' },
  NAVMAP_RATE_LIMIT_MAX: { key: 'rateLimit.max', kind: 'integer' },
  NAVMAP_HTTP_HEADERS_TIMEOUT_SECONDS: { key: 'http.headersTimeoutSeconds', kind: 'integer' },
  NAVMAP_HTTP_REQUEST_TIMEOUT_SECONDS: { key: 'http.requestTimeoutSeconds', kind: 'integer' },
  NAVMAP_HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: { key: 'http.keepAliveTimeoutSeconds', kind: 'integer' },
  NAVMAP_HTTP_SHUTDOWN_TIMEOUT_SECONDS: { key: 'http.shutdownTimeoutSeconds', kind: 'integer' },
  NAVMAP_METRICS_BEARER_TOKEN: { key: 'metrics.bearerToken', kind: 'string' },
  NAVMAP_METRICS_PORT: { key: 'metrics.port', kind: 'integer' },
};

function list(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * The text of `NAVMAP_PARENTS` as the server reads it: a comma-separated list of logical names, or a JSON array when a
 * parent needs `{ "entity", "relationship" }`. The entries are validated with the rest of the configuration.
 *
 * @throws {NavMapError} `invalid_config` naming the variable when a JSON array does not parse.
 * @example
 * readParentsVariable('sprk_matter, contact'); // ['sprk_matter', 'contact']
 */
export function readParentsVariable(text: string, name = 'NAVMAP_PARENTS'): unknown {
  const trimmed = text.trim();
  if (!trimmed.startsWith('[')) return list(trimmed);
  try {
    return JSON.parse(trimmed) as unknown;
  } catch (error) {
    throw new NavMapError(
      'invalid_config',
      `Invalid configuration: environment variable ${name} must be a comma-separated list of logical names or a JSON array (${(error as Error).message}); received "${text}".`,
    );
  }
}

function envValue(name: string, key: string, kind: EnvKind, text: string): unknown {
  const fail = (expected: string) =>
    new NavMapError('invalid_config', `Invalid configuration: environment variable ${name} must be ${expected}; received "${isSecretKey(key) ? '(hidden)' : text}".`);
  switch (kind) {
    case 'string':
      return text;
    case 'integer': {
      if (!/^\d+$/.test(text.trim())) throw fail('a whole number');
      return Number(text.trim());
    }
    case 'boolean': {
      const lower = text.trim().toLowerCase();
      if (lower === 'true' || lower === '1') return true;
      if (lower === 'false' || lower === '0') return false;
      throw fail('true or false');
    }
    case 'booleanOrInteger': {
      const lower = text.trim().toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
      if (/^\d+$/.test(lower)) return Number(lower);
      throw fail('true, false or a number of proxy hops');
    }
    case 'list':
      return list(text);
    case 'audience': {
      const values = list(text);
      return values.length === 1 ? values[0] : values;
    }
    case 'parents':
      return readParentsVariable(text, name);
  }
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const child = node[key];
    if (typeof child !== 'object' || child === null || Array.isArray(child)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new NavMapError('invalid_config', `Cannot read the configuration file ${file}: ${(error as Error).message}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    // V8's message quotes the start of the text, which may be a secret: only where it broke is shown.
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new NavMapError(
      'invalid_config',
      `The configuration file ${file} is not valid JSON${position === undefined ? '' : ` (at character ${position})`}; check it with a JSON validator.`,
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new NavMapError('invalid_config', `The configuration file ${file} must hold a JSON object at its root.`);
  }
  return json as Record<string, unknown>;
}

export interface LoadConfigOptions {
  /** Path of a JSON configuration file. @default process.env.NAVMAP_CONFIG, else none */
  readonly file?: string | undefined;
  /** Environment variables; `NAVMAP_*` ones override the file. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Reads the configuration file, lays the `NAVMAP_*` environment variables over it, validates the result and fills
 * in the defaults. Errors name the key (and the variable it came from) and the expected form.
 *
 * @throws {NavMapError} `invalid_config`
 * @example
 * const config = loadConfig({ file: 'navmap.config.json' });
 */
export function loadConfig({ file, env = process.env }: LoadConfigOptions = {}): ResolvedServerConfig {
  const path = file ?? env.NAVMAP_CONFIG;
  const raw: Record<string, unknown> = path ? readConfigFile(path) : {};
  const sources = new Map<string, string>();
  for (const [name, { key, kind }] of Object.entries(CONFIG_ENVIRONMENT_VARIABLES)) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    setPath(raw, key, envValue(name, key, kind, text));
    sources.set(key, name);
  }
  return resolveServerConfig(raw, { source: path ?? '', sources });
}
