import { isLogicalName } from '@sdap/navmap-sdk';
import { findParentIssue, type ParentConfig } from '@sdap/navmap-sdk/server';
import * as v from 'valibot';

/**
 * A strict object whose messages say which keys are allowed, so a typo in a config file is reported as
 * "`cache.ttlSecond`: unknown key; expected one of ttlSeconds, maxStaleSeconds, ...".
 */
function strict<const TEntries extends v.ObjectEntries>(entries: TEntries) {
  const allowed = Object.keys(entries).join(', ');
  return v.strictObject(entries, (issue) => {
    if (issue.expected === 'never') return `unknown key; expected one of ${allowed}`;
    if (issue.received === 'undefined') return 'is required';
    return `expected an object with the keys ${allowed}`;
  });
}

const httpUrl = (what: string) =>
  v.pipe(
    v.string(`expected ${what}`),
    v.check((value) => {
      try {
        const url = new URL(value);
        return url.protocol === 'https:' || url.protocol === 'http:';
      } catch {
        return false;
      }
    }, `expected ${what}`),
  );

/**
 * The Dataverse organisation's origin, with nothing after it but an optional `/`: the server adds `/api/data/v9.2`
 * itself, and the map's `environment` is this origin, so a path or query would either break every metadata request or
 * name another environment than the browser client's.
 */
const dataverseOrigin = v.pipe(
  httpUrl('an absolute http(s) URL such as https://org.crm.dynamics.com'),
  v.check((value) => {
    if (!URL.canParse(value)) return true; // reported by httpUrl
    const url = new URL(value);
    return url.pathname === '/' && url.username === '' && url.password === '' && !/[?#]/.test(value);
  }, 'expected the organisation origin such as https://org.crm.dynamics.com (scheme, host and port only: no path such as /api/data/v9.2, no query, no user name)'),
);

const logicalName = v.pipe(
  v.string('expected a lower-case logical name such as sprk_document'),
  v.check((value: string) => isLogicalName(value), 'expected a lower-case logical name matching ^[a-z][a-z0-9_]{0,127}$ (for example sprk_document)'),
);

const nonEmptyString = (what: string) => v.pipe(v.string(`expected ${what}`), v.minLength(1, `expected ${what}`));

const wholeNumber = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  v.pipe(
    v.number(`expected a whole number from ${min} to ${max}`),
    v.integer(`expected a whole number from ${min} to ${max}`),
    v.minValue(min, `expected a whole number from ${min} to ${max}`),
    v.maxValue(max, `expected a whole number from ${min} to ${max}`),
  );

const stringList = (what: string) => v.array(nonEmptyString(what), `expected an array of ${what}`);

/**
 * The parents, checked by the SDK's rule (`findParentIssue`, as `resolveNavMap` applies it): its first issue, at its
 * path below `parents`.
 */
const parentsSchema = v.pipe(
  // Each entry is checked as a whole list below (duplicates need the list), so an entry passes here as it is.
  v.array(
    v.custom<ParentConfig>(() => true),
    'expected an array of parents: logical names or { "entity", "relationship"?, "lookupAttribute"? }',
  ),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const issue = findParentIssue(dataset.value);
    if (issue === undefined) return;
    let input: unknown = dataset.value;
    const path: v.IssuePathItem[] = [];
    for (const key of issue.path) {
      const value = (input as Record<string | number, unknown>)[key];
      path.push(
        typeof key === 'number'
          ? { type: 'array', origin: 'value', input: input as unknown[], key, value }
          : { type: 'object', origin: 'value', input: input as Record<string, unknown>, key, value },
      );
      input = value;
    }
    addIssue({ message: `expected ${issue.expected}`, input: issue.received, path: path as [v.IssuePathItem, ...v.IssuePathItem[]] });
  }),
);

const dataverseAuthSchema = v.variant(
  'kind',
  [
    strict({ kind: v.literal('none') }),
    strict({
      kind: v.literal('clientSecret'),
      tenantId: nonEmptyString('the directory (tenant) id'),
      clientId: nonEmptyString('the application (client) id'),
      clientSecret: nonEmptyString('the client secret'),
      authorityHost: v.exactOptional(httpUrl('an https URL such as https://login.microsoftonline.com')),
    }),
    strict({
      kind: v.literal('managedIdentity'),
      clientId: v.exactOptional(nonEmptyString('the client id of a user-assigned identity')),
    }),
    strict({
      kind: v.literal('azureCli'),
      tenantId: v.exactOptional(nonEmptyString('the directory (tenant) id')),
    }),
  ],
  'expected `kind` to be one of managedIdentity, clientSecret, azureCli, none',
);

const stringOrList = (what: string) =>
  v.union([nonEmptyString(what), v.pipe(stringList(what), v.minLength(1, `expected at least one ${what}`))], `expected ${what} or a list of them`);

const originSchema = v.pipe(
  v.string('expected an origin such as https://org.crm.dynamics.com'),
  v.check((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
    } catch {
      return false;
    }
  }, 'expected an origin such as https://org.crm.dynamics.com (scheme, host and port only, no path or trailing /)'),
);

/** The shape of the configuration file, and of the merged file + environment configuration. */
export const serverConfigSchema = strict({
  $schema: v.exactOptional(v.string()),
  environmentName: v.exactOptional(nonEmptyString('a name for the environment, e.g. production')),
  port: v.exactOptional(wholeNumber(0, 65_535)),
  host: v.exactOptional(nonEmptyString('a host name or address to listen on, e.g. 0.0.0.0')),
  logLevel: v.exactOptional(
    v.picklist(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'expected one of fatal, error, warn, info, debug, trace, silent'),
  ),
  trustProxy: v.exactOptional(v.union([v.boolean(), wholeNumber(0, 100)], 'expected true, false or a number of proxy hops')),
  dataverse: strict({
    url: dataverseOrigin,
    auth: v.exactOptional(dataverseAuthSchema),
    timeoutMs: v.exactOptional(wholeNumber(1, 600_000)),
  }),
  childEntity: v.exactOptional(logicalName),
  parents: parentsSchema,
  cache: v.exactOptional(
    strict({
      ttlSeconds: v.exactOptional(wholeNumber(1, 86_400)),
      maxStaleSeconds: v.exactOptional(wholeNumber(0, 7 * 86_400)),
      refreshAheadSeconds: v.exactOptional(wholeNumber(0, 86_400)),
      retrySeconds: v.exactOptional(wholeNumber(1, 3_600)),
      minForcedRefreshIntervalSeconds: v.exactOptional(wholeNumber(0, 3_600)),
      forcedRefreshTimeoutSeconds: v.exactOptional(wholeNumber(1, 60)),
    }),
  ),
  auth: strict({
    issuer: httpUrl('the token issuer URL, e.g. https://login.microsoftonline.com/<tenant>/v2.0'),
    audience: stringOrList('an audience such as api://navmap-bff'),
    requiredScopes: v.exactOptional(stringList('scope names such as NavMap.Read')),
    requiredRoles: v.exactOptional(stringList('app role names such as NavMap.Read')),
    clockToleranceSeconds: v.exactOptional(wholeNumber(0, 600)),
  }),
  cors: v.exactOptional(
    strict({
      origins: v.array(originSchema, 'expected an array of origins'),
    }),
  ),
  telemetry: v.exactOptional(
    strict({
      applicationInsightsConnectionString: v.exactOptional(
        v.pipe(
          nonEmptyString('an Application Insights connection string (InstrumentationKey=...;IngestionEndpoint=...)'),
          v.check(
            (value) => /(^|;)\s*InstrumentationKey\s*=\s*[^;\s]+/i.test(value),
            'expected an Application Insights connection string with an InstrumentationKey (InstrumentationKey=...;IngestionEndpoint=...)',
          ),
        ),
      ),
    }),
  ),
  http: v.exactOptional(
    strict({
      headersTimeoutSeconds: v.exactOptional(wholeNumber(1, 300)),
      requestTimeoutSeconds: v.exactOptional(wholeNumber(1, 600)),
      keepAliveTimeoutSeconds: v.exactOptional(wholeNumber(1, 600)),
      shutdownTimeoutSeconds: v.exactOptional(wholeNumber(1, 600)),
    }),
  ),
  metrics: v.exactOptional(
    strict({
      bearerToken: v.exactOptional(
        v.pipe(
          v.string('expected a secret of at least 16 characters'),
          v.minLength(16, 'expected a secret of at least 16 characters'),
          v.regex(/^[\x21-\x7e]+$/, 'expected a secret of printable ASCII characters without spaces'),
        ),
      ),
      port: v.exactOptional(wholeNumber(0, 65_535)),
    }),
  ),
  rateLimit: v.exactOptional(
    strict({
      enabled: v.exactOptional(v.boolean('expected true or false')),
      windowSeconds: v.exactOptional(wholeNumber(1, 3_600)),
      max: v.exactOptional(wholeNumber(1, 1_000_000)),
    }),
  ),
});

/** The configuration as a file (or the environment) writes it; every key is documented in docs/configuration.md. */
export type ServerConfig = v.InferInput<typeof serverConfigSchema>;
