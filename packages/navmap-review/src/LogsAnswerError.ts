/**
 * An answer of the Log Analytics query API that the review reads itself instead of handing it to the query client:
 *
 * - `no-data`: 204 with no body, the documented answer for a workspace without data
 *   (https://learn.microsoft.com/azure/azure-monitor/logs/api/errors, "No data in workspace");
 * - `no-error-object`: any other answer besides 200 whose body carries no OneAPI `error` (a proxy's page);
 * - `ran-past-wait`: 504, the documented answer for a query that ran past its `Prefer: wait` (.../api/timeouts);
 * - `throttled`: 429 whose `Retry-After` ends after the query's deadline.
 *
 * monitor-query-logs 1.0 reads `body.error` of every answer besides 200, which throws a TypeError on a body without
 * one, and its retry policy retries a 504 (running the whole query again) and waits out any `Retry-After`.
 */
export class LogsAnswerError extends Error {
  override readonly name = 'LogsAnswerError';

  constructor(
    readonly kind: 'no-data' | 'no-error-object' | 'ran-past-wait' | 'throttled',
    readonly status: number,
    /** Seconds the service asked to wait, for `throttled`. */
    readonly retryAfterSeconds?: number,
  ) {
    super(`The Log Analytics query API answered ${status} (${kind}).`);
  }
}
