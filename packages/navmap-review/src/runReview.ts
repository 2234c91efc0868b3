import type { TokenCredential } from '@azure/core-auth';
import { LogsQueryClient, LogsQueryResultStatus, type LogsTable } from '@azure/monitor-query-logs';
import { checkFigures, decideReview } from './decideReview.js';
import { readFigures, type QueryOutcome, type QueryOutcomes, type ResultTable } from './readFigures.js';
import type { ReviewReport } from './renderReview.js';
import { reviewQueries, type ReviewQueryName } from './reviewQueries.js';
import type { ReviewTargets } from './targets.js';

export interface RunReviewOptions {
  /** The Application Insights resource id: `/subscriptions/<id>/resourceGroups/<rg>/providers/microsoft.insights/components/<name>`. */
  readonly resourceId: string;
  readonly from: Date;
  readonly to: Date;
  readonly targets: ReviewTargets;
  readonly credential: TokenCredential;
  /** The Log Analytics query API with its version; Azure's public cloud (`https://api.loganalytics.io/v1`) unless set. */
  readonly endpoint?: string;
  /**
   * How long the service may run one query, in seconds (the API allows up to 600). The client gives up on a query that
   * has not answered after twice that, at most 30 s more, so a hanging connection cannot stall the review.
   * @default 180
   */
  readonly timeoutSeconds?: number;
  readonly now?: () => Date;
}

function primaryTable(tables: readonly LogsTable[]): ResultTable | string {
  const table = tables[0];
  if (table === undefined) return 'the answer has no table';
  return { columns: table.columnDescriptors.map((column) => column.name ?? ''), rows: table.rows };
}

function describeError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const { statusCode, code, message } = error as { statusCode?: unknown; code?: unknown; message?: unknown };
  const status = typeof statusCode === 'number' ? `HTTP ${statusCode}` : undefined;
  const codeText = typeof code === 'string' && code !== '' ? code : undefined;
  const hint =
    statusCode === 401 || statusCode === 403
      ? ' (the signed-in identity needs the Reader role, or Log Analytics Reader, on the Application Insights resource)'
      : '';
  return `${[status, codeText].filter(Boolean).join(' ')}${status || codeText ? ': ' : ''}${typeof message === 'string' ? message : String(error)}${hint}`;
}

export const DEFAULT_TIMEOUT_SECONDS = 180;

/** Milliseconds after which the client abandons a query the service may run for `timeoutSeconds`. */
export function clientDeadlineMs(timeoutSeconds: number): number {
  return timeoutSeconds * 1000 + Math.min(30_000, timeoutSeconds * 1000);
}

async function runQuery(client: LogsQueryClient, name: ReviewQueryName, options: RunReviewOptions): Promise<QueryOutcome> {
  const timeoutSeconds = options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  const deadlineMs = clientDeadlineMs(timeoutSeconds);
  try {
    // The API's path is /v1/subscriptions/...: the client joins the id after a slash of its own.
    const result = await client.queryResource(options.resourceId.replace(/^\/+/, ''), reviewQueries[name], { startTime: options.from, endTime: options.to }, {
      serverTimeoutInSeconds: timeoutSeconds,
      // monitor-query-logs 1.0 passes requestOptions to the pipeline but drops abortSignal; the pipeline's timeout
      // aborts the request with an AbortError, which its retry policy does not retry.
      requestOptions: { timeout: deadlineMs },
    });
    if (result.status === LogsQueryResultStatus.PartialFailure) {
      // Partial results are incomplete counts: never read them as figures.
      return { status: 'failed', reason: `query ${name} returned partial results: ${describeError(result.partialError)}` };
    }
    const table = primaryTable(result.tables);
    return typeof table === 'string' ? { status: 'failed', reason: `query ${name}: ${table}` } : { status: 'ok', table };
  } catch (error) {
    if ((error as { name?: unknown } | null)?.name === 'AbortError') return { status: 'failed', reason: `query ${name} did not answer within ${deadlineMs / 1000} s (--timeout ${timeoutSeconds})` };
    return { status: 'failed', reason: `query ${name} was refused: ${describeError(error)}` };
  }
}

/**
 * Runs the review queries against an Application Insights resource through Azure's Log Analytics query client and
 * returns the figures, the checks against the targets and the plan's decision. Never throws for what the service
 * answers: a refused or partial query becomes a `cannot-review` decision naming it.
 *
 * @example
 * const report = await runReview({ resourceId, from, to, targets: defaultTargets, credential: new DefaultAzureCredential() });
 * process.stdout.write(renderMarkdown(report));
 * process.exitCode = exitCodes[report.decision.kind];
 */
export async function runReview(options: RunReviewOptions): Promise<ReviewReport> {
  // Another endpoint (a sovereign cloud) takes tokens for its own origin.
  const client = new LogsQueryClient(
    options.credential,
    options.endpoint === undefined ? {} : { endpoint: options.endpoint, credentials: { scopes: [`${new URL(options.endpoint).origin}/.default`] } },
  );
  const names = Object.keys(reviewQueries) as ReviewQueryName[];
  // One at a time: five small queries, and the API throttles concurrent queries per user.
  const outcomes: Partial<Record<ReviewQueryName, QueryOutcome>> = {};
  for (const name of names) outcomes[name] = await runQuery(client, name, options);
  const figures = readFigures(outcomes as QueryOutcomes);
  const checks = checkFigures(figures, options.targets);
  return {
    source: options.resourceId,
    from: options.from,
    to: options.to,
    generatedAt: (options.now ?? (() => new Date()))(),
    figures,
    checks,
    decision: decideReview(figures, checks),
  };
}
