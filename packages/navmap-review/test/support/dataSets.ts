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

const forbidden: QueryAnswer = {
  status: 403,
  error: { code: 'InsufficientAccessError', message: 'The provided credentials have insufficient access to perform the requested operation' },
};

/** The identity may not read the resource. */
export const accessDenied: DataSet = {
  cacheHitRate: forbidden,
  documentsByTable: forbidden,
  endpointPerformance: forbidden,
  endpointUptime: forbidden,
  errorsByCode: forbidden,
};

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
