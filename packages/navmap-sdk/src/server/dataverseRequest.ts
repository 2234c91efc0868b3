import { isNavMapError, NavMapError } from '../contract/NavMapError.js';
import { parseRetryAfter } from '../contract/parseRetryAfter.js';
import { quoteText } from '../contract/quoteText.js';
import { readLimitedText } from '../contract/readLimitedText.js';

export interface DataverseRequestOptions {
  readonly fetch: typeof globalThis.fetch;
  readonly token: string;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
  readonly maxThrottleRetries: number;
  readonly maxThrottleWaitMs: number;
  /** Send `Consistency: Strong`, which reads past Dataverse's metadata cache. */
  readonly strongConsistency?: boolean;
}

const DATAVERSE_HEADERS = {
  Accept: 'application/json',
  'OData-MaxVersion': '4.0',
  'OData-Version': '4.0',
} as const;

function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortedError(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortedError(signal: AbortSignal): NavMapError {
  return new NavMapError('aborted', 'The NavMap resolution was aborted by the caller.', { cause: signal.reason });
}

// Dataverse's error codes are hex numbers (0x80040217); anything else is not carried as one.
const DATAVERSE_CODE = /^0x[0-9a-f]{1,8}$/i;

/** Code and message of a Dataverse error answer, read within `errorBodyBytes`; the message quoted and cut. */
async function readDataverseError(response: Response): Promise<{ code?: string; message?: string }> {
  const text = await readLimitedText(response, 'errorBodyBytes', 'The Dataverse error answer').catch(() => '');
  try {
    const body: unknown = JSON.parse(text);
    const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    return {
      ...(typeof error?.code === 'string' && DATAVERSE_CODE.test(error.code) ? { code: error.code } : {}),
      ...(typeof error?.message === 'string' ? { message: quoteText(error.message) } : {}),
    };
  } catch {
    return text ? { message: quoteText(text) } : {};
  }
}

/**
 * One GET to the Dataverse Web API: the OData headers, a timeout, bounded waits on 429, no redirects (an answer from
 * another host was never authorized by the token), the body within `NAVMAP_LIMITS.dataverseResponseBytes`, errors as
 * NavMapError with Dataverse's text quoted and cut.
 */
export async function dataverseGet(url: string, options: DataverseRequestOptions): Promise<{ status: number; body: unknown }> {
  let waitedMs = 0;
  for (let attempt = 0; ; attempt++) {
    if (options.signal?.aborted) throw abortedError(options.signal);
    const timeoutSignal = AbortSignal.timeout(options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeoutSignal]) : timeoutSignal;
    let response: Response;
    try {
      response = await options.fetch(url, {
        method: 'GET',
        headers: {
          ...DATAVERSE_HEADERS,
          ...(options.strongConsistency ? { Consistency: 'Strong' } : {}),
          Authorization: `Bearer ${options.token}`,
        },
        signal,
        // Not 'error': that rejects like an unreachable host. A 3xx is refused below as invalid_response.
        redirect: 'manual',
      });
    } catch (error) {
      if (options.signal?.aborted) throw abortedError(options.signal);
      if (timeoutSignal.aborted) {
        throw new NavMapError('timeout', `Dataverse did not answer within ${options.timeoutMs} ms: GET ${url}`, {
          cause: error,
        });
      }
      throw new NavMapError('network_error', `Could not reach Dataverse: GET ${url}: ${(error as Error).message}`, {
        cause: error,
      });
    }

    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      await response.body?.cancel();
      throw new NavMapError('invalid_response', `Dataverse answered GET ${url} with a redirect (${response.status}); NavMap follows none.`, {
        status: response.status,
      });
    }

    if (response.status === 429) {
      const retryAfterMs = (parseRetryAfter(response.headers.get('retry-after')) ?? 1) * 1000;
      await response.body?.cancel();
      const canRetry =
        attempt < options.maxThrottleRetries && waitedMs + retryAfterMs <= options.maxThrottleWaitMs;
      if (!canRetry) {
        throw new NavMapError(
          'dataverse_throttled',
          `Dataverse answered 429 Too Many Requests ${attempt + 1} time(s) (Retry-After ${retryAfterMs / 1000} s); ` +
            `gave up after waiting ${waitedMs / 1000} s. Try again later or lower the request rate.`,
          { status: 429, retryAfterSeconds: Math.ceil(retryAfterMs / 1000) },
        );
      }
      await wait(retryAfterMs, options.signal);
      waitedMs += retryAfterMs;
      continue;
    }

    if (!response.ok) {
      const { code, message } = await readDataverseError(response);
      throw new NavMapError(
        'dataverse_error',
        `Dataverse answered ${response.status}${code ? ` (${code})` : ''} to GET ${url}${message ? `: ${message}` : ''}`,
        { status: response.status, ...(code === undefined ? {} : { dataverseCode: code }) },
      );
    }

    try {
      return { status: response.status, body: JSON.parse(await readLimitedText(response, 'dataverseResponseBytes', `Dataverse's answer to GET ${url}`)) };
    } catch (error) {
      if (isNavMapError(error)) throw error;
      if (timeoutSignal.aborted) {
        throw new NavMapError('timeout', `Dataverse did not finish its answer within ${options.timeoutMs} ms: GET ${url}`, {
          cause: error,
        });
      }
      throw new NavMapError('invalid_response', `Dataverse answered GET ${url} with a body that is not JSON.`, {
        cause: error,
      });
    }
  }
}
