import type { ApiColumn, DataSet, QueryAnswer } from './startLogsQueryApi.js';

// Answers as the service gives them for the review's queries: the columns each query's last operator produces, the
// rates computed as the queries compute them (round(100.0 * a / b, n); NaN for 0 / 0, which the API writes as "NaN").

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const rate = (part: number, whole: number, digits: number) => (whole === 0 ? 'NaN' : round((100 * part) / whole, digits));
const long = (name: string): ApiColumn => ({ name, type: 'long' });
const real = (name: string): ApiColumn => ({ name, type: 'real' });
const text = (name: string): ApiColumn => ({ name, type: 'string' });

export function cacheHitRate(cache: number, server: number, fallback: number): QueryAnswer {
  const loads = cache + server + fallback;
  return {
    columns: [long('loads'), long('cache'), long('server'), long('fallback'), real('cacheHitRatePercent'), real('serverPercent'), real('fallbackPercent')],
    rows: [[loads, cache, server, fallback, rate(cache, loads, 1), rate(server, loads, 1), rate(fallback, loads, 1)]],
  };
}

export function documentsByTable(tables: Record<string, [succeeded: number, failed: number]>): QueryAnswer {
  return {
    columns: [text('parentEntity'), long('succeeded'), long('failed'), real('successRatePercent')],
    rows: Object.entries(tables)
      .sort(([, a], [, b]) => b[0] - a[0])
      .map(([table, [succeeded, failed]]) => [table, succeeded, failed, rate(succeeded, succeeded + failed, 2)]),
  };
}

export function endpointPerformance(requests: number, avgMs: number, p95Ms: number): QueryAnswer {
  return {
    columns: [long('requests'), real('avgMs'), real('p95Ms')],
    rows: [[requests, requests === 0 ? 'NaN' : avgMs, requests === 0 ? 'NaN' : p95Ms]],
  };
}

export function endpointUptime(calls: number, failures: number): QueryAnswer {
  return { columns: [long('calls'), long('failures'), real('uptimePercent')], rows: [[calls, failures, rate(calls - failures, calls, 2)]] };
}

export function errorsByCode(errors: [origin: string, code: string, count: number][]): QueryAnswer {
  return { columns: [text('origin'), text('code'), long('errors')], rows: [...errors].sort((a, b) => b[2] - a[2]) };
}

/** Every target met: 97 % from the cache, no failures, a fast endpoint. */
export const healthy: DataSet = {
  cacheHitRate: cacheHitRate(970, 30, 0),
  documentsByTable: documentsByTable({ sprk_matter: [412, 0], account: [57, 0], sprk_project: [31, 0] }),
  endpointPerformance: endpointPerformance(296, 38.4, 212.7),
  endpointUptime: endpointUptime(296, 0),
  errorsByCode: errorsByCode([]),
};

/** The browser cache answers 80 %: an action item, not a rollback. */
export const lowHitRate: DataSet = { ...healthy, cacheHitRate: cacheHitRate(800, 200, 0) };

/** Creations fail on two parent tables: rollback scenario 3. */
export const failingDocuments: DataSet = {
  ...healthy,
  documentsByTable: documentsByTable({ sprk_matter: [300, 12], account: [50, 5], sprk_project: [31, 0] }),
  errorsByCode: errorsByCode([['document create', '0x80048d19', 17]]),
};

/** Creations fail on one table only: an action item for that table. */
export const failingOneTable: DataSet = {
  ...healthy,
  documentsByTable: documentsByTable({ sprk_matter: [412, 0], account: [50, 7], sprk_project: [31, 0] }),
  errorsByCode: errorsByCode([['document create', '0x80048d19', 7]]),
};

/** The server answers 503 and some calls go unanswered; browsers fall back: rollback scenario 2. */
export const serverOutage: DataSet = {
  cacheHitRate: cacheHitRate(900, 60, 40),
  documentsByTable: documentsByTable({ sprk_matter: [380, 0], account: [40, 0] }),
  endpointPerformance: endpointPerformance(320, 61.2, 940.5),
  endpointUptime: endpointUptime(345, 73),
  errorsByCode: errorsByCode([
    ['endpoint', '503', 48],
    ['client layer server', 'network_error', 25],
    ['client layer server', 'server_unavailable', 48],
    ['server refresh', 'dataverse_error', 14],
  ]),
};

/** Browsers use the bundled map though the endpoint answers every call (a token or CORS problem): scenario 1. */
export const controlFallsBack: DataSet = {
  ...healthy,
  cacheHitRate: cacheHitRate(900, 20, 80),
  errorsByCode: errorsByCode([['client layer server', 'forbidden', 80]]),
};

/** Nothing in the window: telemetry not configured, or the wrong resource. */
export const noData: DataSet = {
  cacheHitRate: cacheHitRate(0, 0, 0),
  documentsByTable: documentsByTable({}),
  endpointPerformance: endpointPerformance(0, 0, 0),
  endpointUptime: endpointUptime(0, 0),
  errorsByCode: errorsByCode([]),
};

function everyQuery(answer: QueryAnswer | readonly QueryAnswer[]): DataSet {
  return { cacheHitRate: answer, documentsByTable: answer, endpointPerformance: answer, endpointUptime: answer, errorsByCode: answer };
}

/** The identity may not read the resource: 403 InsufficientAccessError (api/azure-resource-queries, "No access to resource"). */
export const accessDenied: DataSet = everyQuery({
  status: 403,
  error: {
    code: 'InsufficientAccessError',
    message: 'The provided credentials have insufficient access to perform the requested operation',
    innererror: { code: 'AuthorizationFailedError', message: "User '92eba38a-70da-42b0-ab83-ffe82cce658f' does not have access to read logs for this resource" },
  },
});

/** The service cannot bind a table (a workspace without Application Insights tables): 400 with the cause in `innererror`. */
export const unknownTable: DataSet = {
  ...healthy,
  endpointPerformance: {
    status: 400,
    error: {
      code: 'BadArgumentError',
      message: 'The request had some invalid properties',
      innererror: {
        code: 'SemanticError',
        message: 'A semantic error occurred.',
        innererror: { code: 'SEM0100', message: "'where' operator: Failed to resolve table or column expression named 'requests'" },
      },
    },
  },
};

/** The workspace holds no data at all: 204 No Content with no body (api/errors, "No data in workspace"). */
export const noContent: DataSet = everyQuery({ noContent: true });

/** Table-level access filters every table out: a normal 200 with no rows (api/azure-resource-queries, "Partial access"). */
const withoutRows = (answer: QueryAnswer): QueryAnswer => ('columns' in answer ? { columns: answer.columns, rows: [] } : answer);
export const tablesFilteredOut: DataSet = {
  cacheHitRate: withoutRows(cacheHitRate(0, 0, 0)),
  documentsByTable: withoutRows(documentsByTable({})),
  endpointPerformance: withoutRows(endpointPerformance(0, 0, 0)),
  endpointUptime: withoutRows(endpointUptime(0, 0)),
  errorsByCode: withoutRows(errorsByCode([])),
};

/** Every query runs past its wait: 504 after `Prefer: wait` seconds (api/timeouts). */
export const runsPastWait: DataSet = everyQuery({ runsPastWait: true });

/** The service fails every attempt with a 500, which the client's retry policy retries with growing delays. */
export const failingService: DataSet = everyQuery({ status: 500, error: { code: 'InternalServerError', message: 'Something went wrong while processing the request.' } });

const throttled = (retryAfterSeconds: number): QueryAnswer => ({
  status: 429,
  retryAfterSeconds,
  error: { code: 'ThrottledError', message: 'Your request was throttled: too many requests.' },
});

/** The first query is throttled once for 1 s, then answered: the client waits and retries within the deadline. */
export const throttledBriefly: DataSet = { ...healthy, cacheHitRate: [throttled(1), healthy.cacheHitRate as QueryAnswer] };

/** Every query is throttled for two minutes: more than the deadline of a short --timeout. */
export const throttledLong: DataSet = everyQuery(throttled(120));

/** One query runs out of resources part way: its counts are incomplete. */
export const partialError: DataSet = {
  ...healthy,
  documentsByTable: {
    ...(healthy.documentsByTable as { columns: ApiColumn[]; rows: unknown[][] }),
    partialError: { code: 'QueryExecutionError', message: 'Query execution has exceeded the allowed limits (80DA0003): partial query results.' },
  },
};

/** The service never answers one query. */
export const hanging: DataSet = { ...healthy, endpointUptime: { hang: true } };
