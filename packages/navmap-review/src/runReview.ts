import type { TokenCredential } from '@azure/core-auth';
import { LogsQueryClient, LogsQueryResultStatus, type LogsTable } from '@azure/monitor-query-logs';
import { checkFigures, decideReview } from './decideReview.js';
import { describeQueryFailure, type QueryFailure } from './describeQueryFailure.js';
import { oneLine } from './oneLine.js';
import { deadlinePolicy, serviceAnswerPolicy, withQueryDeadline } from './queryPolicies.js';
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
   * How long the service may run one query, in seconds (the API allows up to 600): sent as `Prefer: wait`, after which
   * the service answers 504. The client gives up on a query, retries included, after twice that, at most 30 s more,
   * so a hanging connection or a retrying client cannot stall the review. A 504 is not retried.
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

export const DEFAULT_TIMEOUT_SECONDS = 180;

/** Milliseconds after which the client abandons a query the service may run for `timeoutSeconds`. */
export function clientDeadlineMs(timeoutSeconds: number): number {
  return timeoutSeconds * 1000 + Math.min(30_000, timeoutSeconds * 1000);
}

interface PartialError {
  readonly code?: string;
  readonly message?: string;
  /** The service puts each cause here (api/response-format, "PartialError"). */
  readonly details?: readonly { readonly code?: string; readonly message?: string }[];
}

function describePartialError(error: PartialError | undefined): string {
  return [error, ...(error?.details ?? [])].map((part) => [part?.code, part?.message].filter(Boolean).join(': ')).filter(Boolean).join('; ');
}

async function runQuery(client: LogsQueryClient, name: ReviewQueryName, options: RunReviewOptions): Promise<QueryOutcome | QueryFailure> {
  const timeoutSeconds = options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  const deadlineMs = clientDeadlineMs(timeoutSeconds);
  try {
    // The API's path is /v1/subscriptions/...: the client joins the id after a slash of its own.
    const result = await withQueryDeadline(deadlineMs, () =>
      client.queryResource(options.resourceId.replace(/^\/+/, ''), reviewQueries[name], { startTime: options.from, endTime: options.to }, { serverTimeoutInSeconds: timeoutSeconds }),
    );
    if (result.status === LogsQueryResultStatus.PartialFailure) {
      // Partial results are incomplete counts: never read them as figures.
      return { status: 'failed', reason: oneLine(`query ${name} returned partial results: ${describePartialError(result.partialError as PartialError)}`) };
    }
    const table = primaryTable(result.tables);
    return typeof table === 'string' ? { status: 'failed', reason: `query ${name}: ${table}` } : { status: 'ok', table };
  } catch (error) {
    return describeQueryFailure(error, { name, timeoutSeconds, deadlineMs });
  }
}

/** The scope of the tokens the query API takes: `https://api.loganalytics.io/.default`, or another endpoint's origin. */
export function logsQueryScope(endpoint: string | undefined): string {
  return `${new URL(endpoint ?? 'https://api.loganalytics.io').origin}/.default`;
}

/**
 * Runs the review queries against an Application Insights resource through Azure's Log Analytics query client and
 * returns the figures, the checks against the targets and the plan's decision. Never throws for what the service
 * answers: a refused or partial query becomes a `cannot-review` decision naming it; a failure every query would meet
 * (sign-in, access, throttling, no data) stops the queries and is reported once.
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
    options.endpoint === undefined ? {} : { endpoint: options.endpoint, credentials: { scopes: [logsQueryScope(options.endpoint)] } },
  );
  client.pipeline.addPolicy(deadlinePolicy);
  client.pipeline.addPolicy(serviceAnswerPolicy, { afterPhase: 'Retry' });
  const names = Object.keys(reviewQueries) as ReviewQueryName[];
  // One at a time: five small queries, and the API throttles concurrent queries per user.
  const outcomes: Partial<Record<ReviewQueryName, QueryOutcome>> = {};
  let stoppedBy: string | undefined;
  for (const name of names) {
    if (stoppedBy !== undefined) {
      outcomes[name] = { status: 'failed', reason: stoppedBy };
      continue;
    }
    const outcome = await runQuery(client, name, options);
    if ('stopsReview' in outcome) {
      outcomes[name] = { status: 'failed', reason: outcome.reason };
      // The sign-in, the access or the service fails every query alike: one line, and no more requests.
      if (outcome.stopsReview) stoppedBy = outcome.reason;
    } else outcomes[name] = outcome;
  }
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
