import type { ReviewQueryName } from './reviewQueries.js';

/** The primary table of one query's answer: column names and rows, as the Log Analytics query API returns them. */
export interface ResultTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
}

/** What running one query gave: its table, or why there is none (refused, partial, malformed). */
export type QueryOutcome = { readonly status: 'ok'; readonly table: ResultTable } | { readonly status: 'failed'; readonly reason: string };

export type QueryOutcomes = Readonly<Record<ReviewQueryName, QueryOutcome>>;

export interface LoadFigures {
  readonly loads: number;
  readonly cache: number;
  readonly server: number;
  readonly fallback: number;
  /** Undefined when there were no loads. */
  readonly cacheHitRatePercent: number | undefined;
}

export interface TableDocuments {
  readonly parentEntity: string;
  readonly succeeded: number;
  readonly failed: number;
}

export interface DocumentFigures {
  readonly succeeded: number;
  readonly failed: number;
  /** Undefined when no document was created or failed. */
  readonly successRatePercent: number | undefined;
  readonly byTable: readonly TableDocuments[];
}

export interface EndpointPerformanceFigures {
  readonly requests: number;
  readonly averageMs: number | undefined;
  readonly p95Ms: number | undefined;
}

export interface EndpointUptimeFigures {
  readonly calls: number;
  readonly failures: number;
  readonly uptimePercent: number | undefined;
}

export interface ErrorFigure {
  readonly origin: string;
  readonly code: string;
  readonly count: number;
}

/** Every figure of the review; a group is a string (why it could not be read) when its query failed. */
export interface ReviewFigures {
  readonly loads: LoadFigures | string;
  readonly documents: DocumentFigures | string;
  readonly performance: EndpointPerformanceFigures | string;
  readonly uptime: EndpointUptimeFigures | string;
  readonly errors: readonly ErrorFigure[] | string;
}

class MalformedResult extends Error {}

/**
 * Why a one-row query answered no rows. Every review query's `summarize` without `by` returns one row, zeros when
 * nothing happened; no rows at all is what the service answers when table-level access filters the tables out
 * (https://learn.microsoft.com/azure/azure-monitor/logs/api/azure-resource-queries, "Partial access").
 */
export const NO_ROWS_REASON =
  'the service answered no rows, not even the summary row every review query returns: the identity may read the resource but not its tables (table-level access filters them out without an error), or the resource sends to no workspace; check its Reader or Log Analytics Reader role on the resource and on its workspace';

class NoRows extends Error {}

function columnIndex(table: ResultTable, name: string): number {
  const index = table.columns.indexOf(name);
  if (index < 0) throw new MalformedResult(`the answer has no column "${name}" (columns: ${table.columns.join(', ') || 'none'})`);
  return index;
}

/** A Kusto number: JSON numbers, and the strings the API uses for long values or NaN; undefined for null or NaN. */
function numberOrUndefined(value: unknown): number | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(number) ? number : undefined;
}

function count(value: unknown, column: string): number {
  const number = numberOrUndefined(value);
  if (number === undefined || number < 0 || !Number.isInteger(number)) throw new MalformedResult(`column "${column}" holds ${JSON.stringify(value)}, not a count`);
  return number;
}

/** The single row a `summarize` without `by` returns. */
function onlyRow(table: ResultTable): readonly unknown[] {
  if (table.rows.length === 0) throw new NoRows();
  if (table.rows.length !== 1) throw new MalformedResult(`expected one row, got ${table.rows.length}`);
  return table.rows[0] as readonly unknown[];
}

function cell(table: ResultTable, row: readonly unknown[], name: string): unknown {
  return row[columnIndex(table, name)];
}

function read<T>(outcome: QueryOutcome, name: ReviewQueryName, reader: (table: ResultTable) => T): T | string {
  if (outcome.status === 'failed') return outcome.reason;
  try {
    return reader(outcome.table);
  } catch (error) {
    if (error instanceof MalformedResult) return `query ${name}: ${error.message}`;
    if (error instanceof NoRows) return NO_ROWS_REASON;
    throw error;
  }
}

function roundTo(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/**
 * Turns the answers of the review queries into the review's figures. A rate is undefined when there is nothing to
 * divide by; a failed or malformed answer leaves its group as the reason it could not be read.
 *
 * @example
 * readFigures({ cacheHitRate: { status: 'ok', table: { columns: ['loads', 'cache', ...], rows: [[1000, 970, ...]] } }, ... }).loads;
 * // { loads: 1000, cache: 970, server: 30, fallback: 0, cacheHitRatePercent: 97 }
 */
export function readFigures(outcomes: QueryOutcomes): ReviewFigures {
  const loads = read(outcomes.cacheHitRate, 'cacheHitRate', (table): LoadFigures => {
    const row = onlyRow(table);
    const total = count(cell(table, row, 'loads'), 'loads');
    return {
      loads: total,
      cache: count(cell(table, row, 'cache'), 'cache'),
      server: count(cell(table, row, 'server'), 'server'),
      fallback: count(cell(table, row, 'fallback'), 'fallback'),
      cacheHitRatePercent: total === 0 ? undefined : numberOrUndefined(cell(table, row, 'cacheHitRatePercent')),
    };
  });

  const documents = read(outcomes.documentsByTable, 'documentsByTable', (table): DocumentFigures => {
    const byTable = table.rows.map((row) => ({
      parentEntity: String(cell(table, row, 'parentEntity') ?? ''),
      succeeded: count(cell(table, row, 'succeeded'), 'succeeded'),
      failed: count(cell(table, row, 'failed'), 'failed'),
    }));
    const succeeded = byTable.reduce((sum, entry) => sum + entry.succeeded, 0);
    const failed = byTable.reduce((sum, entry) => sum + entry.failed, 0);
    const total = succeeded + failed;
    return { succeeded, failed, successRatePercent: total === 0 ? undefined : roundTo((100 * succeeded) / total, 2), byTable };
  });

  const performance = read(outcomes.endpointPerformance, 'endpointPerformance', (table): EndpointPerformanceFigures => {
    const row = onlyRow(table);
    const requests = count(cell(table, row, 'requests'), 'requests');
    return {
      requests,
      averageMs: requests === 0 ? undefined : numberOrUndefined(cell(table, row, 'avgMs')),
      p95Ms: requests === 0 ? undefined : numberOrUndefined(cell(table, row, 'p95Ms')),
    };
  });

  const uptime = read(outcomes.endpointUptime, 'endpointUptime', (table): EndpointUptimeFigures => {
    const row = onlyRow(table);
    const calls = count(cell(table, row, 'calls'), 'calls');
    return {
      calls,
      failures: count(cell(table, row, 'failures'), 'failures'),
      uptimePercent: calls === 0 ? undefined : numberOrUndefined(cell(table, row, 'uptimePercent')),
    };
  });

  const errors = read(outcomes.errorsByCode, 'errorsByCode', (table): ErrorFigure[] =>
    table.rows.map((row) => ({
      origin: String(cell(table, row, 'origin') ?? ''),
      code: String(cell(table, row, 'code') ?? ''),
      count: count(cell(table, row, 'errors'), 'errors'),
    })),
  );

  return { loads, documents, performance, uptime, errors };
}
