import { AsyncLocalStorage } from 'node:async_hooks';
import type { LogsQueryClient } from '@azure/monitor-query-logs';
import { parseRetryAfter } from '@sdap/navmap-sdk';
import { LogsAnswerError } from './LogsAnswerError.js';

type PipelinePolicy = Parameters<LogsQueryClient['pipeline']['addPolicy']>[0];

interface RunningQuery {
  readonly signal: AbortSignal;
  /** Epoch milliseconds. */
  readonly deadline: number;
}

const runningQuery = new AsyncLocalStorage<RunningQuery>();

/** Runs one query of the client so that its requests, and the retry policy's waits between them, end at the deadline. */
export function withQueryDeadline<T>(deadlineMs: number, run: () => Promise<T>): Promise<T> {
  return runningQuery.run({ signal: AbortSignal.timeout(deadlineMs), deadline: Date.now() + deadlineMs }, run);
}

function hasErrorObject(bodyAsText: string | null | undefined): boolean {
  try {
    const body = JSON.parse(bodyAsText ?? '') as { error?: unknown } | null;
    return typeof body?.error === 'object' && body.error !== null;
  } catch {
    return false;
  }
}

/**
 * Before the retry policy: gives each request the running query's deadline as its abort signal. monitor-query-logs
 * 1.0 drops the `abortSignal` of `queryResource`'s options (its `convertToInternalOptions` keeps only
 * `requestOptions`), and a per-request `timeout` restarts with every retry.
 */
export const deadlinePolicy: PipelinePolicy = {
  name: 'navmapReviewDeadline',
  sendRequest(request, next) {
    const query = runningQuery.getStore();
    if (query !== undefined) request.abortSignal = query.signal;
    return next(request);
  },
};

/**
 * After the retry policy, so it sees every attempt: turns the answers the client misreads or should not retry into a
 * LogsAnswerError, which the retry policy passes on at once (it retries only RestErrors).
 */
export const serviceAnswerPolicy: PipelinePolicy = {
  name: 'navmapReviewServiceAnswers',
  async sendRequest(request, next) {
    const response = await next(request);
    const { status } = response;
    if (status === 204) throw new LogsAnswerError('no-data', status);
    if (status === 504) throw new LogsAnswerError('ran-past-wait', status);
    if (status === 429) {
      const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'));
      const query = runningQuery.getStore();
      if (retryAfterSeconds !== undefined && query !== undefined && Date.now() + retryAfterSeconds * 1000 > query.deadline) {
        throw new LogsAnswerError('throttled', status, retryAfterSeconds);
      }
    }
    if (status !== 200 && !hasErrorObject(response.bodyAsText)) throw new LogsAnswerError('no-error-object', status);
    return response;
  },
};
