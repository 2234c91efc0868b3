import { confirmsEntityTag, errorCodeForHttpStatus, isEntityTag } from '../contract/http.js';
import { isNavMapError, NavMapError } from '../contract/NavMapError.js';
import { parseRetryAfter } from '../contract/parseRetryAfter.js';
import { parseNavMapResponse } from '../contract/parseNavMapResponse.js';
import { quoteText } from '../contract/quoteText.js';
import { readLimitedText } from '../contract/readLimitedText.js';
import type { NavMapResponse } from '../contract/types.js';
import { describeError } from './describeError.js';
import { withTimeout } from './withTimeout.js';

export interface FetchNavMapRequest {
  readonly endpoint: string;
  readonly getAccessToken: () => string | Promise<string>;
  /** Budget for the token and the response headers together. */
  readonly timeoutMs: number;
  /** Sent as `If-None-Match`; a 304 is accepted only for it. */
  readonly etag?: string | null | undefined;
  /**
   * Send `Cache-Control: no-cache`, asking the server to answer from Dataverse rather than its own cache: only for a
   * reload past the caches (`load({ refresh: true })`, `withBindRetry`), so ordinary loads keep their headers.
   */
  readonly noCache?: boolean | undefined;
}

export type FetchNavMapResult =
  | { readonly status: 200; readonly map: NavMapResponse; readonly etag: string | null }
  | { readonly status: 304 };

// A bearer token is token68 (RFC 6750 section 2.1); anything else fetch refuses to send before any request is made.
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

async function accessToken(request: FetchNavMapRequest): Promise<string> {
  let token: unknown;
  try {
    token = await withTimeout(
      request.getAccessToken,
      request.timeoutMs,
      () => new NavMapError('timeout', `getAccessToken did not return within ${request.timeoutMs} ms.`),
    );
  } catch (error) {
    if (isNavMapError(error) && error.code === 'timeout') throw error;
    throw new NavMapError('unauthorized', `No access token for the NavMap server: ${describeError(error)}`, { cause: error });
  }
  if (typeof token === 'string' && TOKEN68.test(token)) return token;
  const got = typeof token === 'string' ? `a string of ${token.length} characters that is not a bearer token` : String(token);
  throw new NavMapError('unauthorized', `No access token for the NavMap server: getAccessToken returned ${got}.`);
}

/**
 * One request to the NavMap server: bearer token, optional `If-None-Match`, one timeout for token and response
 * (body included), no retries, no redirects, the body within `NAVMAP_LIMITS`. Every failure is a `NavMapError` whose
 * code names the layer failure.
 */
export async function fetchNavMap(request: FetchNavMapRequest): Promise<FetchNavMapResult> {
  const { endpoint, etag: sent, noCache, timeoutMs } = request;
  const started = Date.now();
  const token = await accessToken(request);
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
  if (sent) headers['if-none-match'] = sent;
  if (noCache) headers['cache-control'] = 'no-cache';
  // What is left of the budget; it aborts the request and the reading of its body.
  const signal = AbortSignal.timeout(Math.max(1, timeoutMs - (Date.now() - started)));
  // What a failure other than a NavMapError means at this step; a NavMapError passes through.
  let step: [code: 'network_error' | 'invalid_response', message: string, status?: number] = [
    'network_error',
    `The NavMap server at ${endpoint} could not be reached`,
  ];
  try {
    const response = await fetch(endpoint, {
      headers,
      signal,
      // Never an answer from the HTTP cache without asking the server. Not 'no-store' for ordinary loads: the Fetch
      // standard (HTTP-network-or-cache fetch) makes 'no-store' and 'reload' add `Cache-Control: no-cache`, which
      // tells the NavMap server to skip its own cache; 'no-cache' adds only `max-age=0` (Chromium 156, checked).
      cache: noCache ? 'no-store' : 'no-cache',
      // A map from wherever the server redirects was never checked against the user's token: refused below. Not
      // 'error': a browser reports that as the same TypeError as an unreachable server.
      redirect: 'manual',
    });
    const { status } = response;
    // A browser hides a redirect as an 'opaqueredirect' response with status 0; Node shows the 3xx itself.
    if (response.type === 'opaqueredirect' || (status >= 300 && status < 400 && status !== 304)) {
      throw new NavMapError('invalid_response', `The NavMap server answered with a redirect (${status || 'opaque'}); the client follows none.`);
    }
    const etag = response.headers.get('etag');
    if (status === 304) {
      if (!sent || !confirmsEntityTag(sent, etag)) {
        throw new NavMapError('invalid_response', `The NavMap server answered 304 for an ETag the client did not send.`, { status });
      }
      return { status };
    }
    if (!response.ok) {
      const body = await readLimitedText(response, 'errorBodyBytes', 'The error answer').catch(() => '');
      // Sent with 429 and 503 (docs/contract.md); readable cross-origin only when the server lists Retry-After in
      // Access-Control-Expose-Headers.
      const retryAfterSeconds = status === 429 || status === 503 ? parseRetryAfter(response.headers.get('retry-after')) : undefined;
      const wait = retryAfterSeconds === undefined ? '' : ` (retry after ${retryAfterSeconds} s)`;
      throw new NavMapError(
        errorCodeForHttpStatus(status),
        `The NavMap server answered ${status}${status === 404 ? ` for ${endpoint}` : ''}${wait}${body ? `: ${quoteText(body)}` : ''}`,
        { status, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) },
      );
    }
    // invalid_response, as a body cut by a proxy (a Content-Length it did not keep) is an answer of the wrong shape.
    step = ['invalid_response', 'The NavMap server closed the connection before the body ended', 200];
    const text = await readLimitedText(response, 'responseBytes', 'The NavMap body');
    step = ['invalid_response', 'The NavMap server sent a body that is not JSON', 200];
    return { status: 200, map: parseNavMapResponse(JSON.parse(text)), etag: isEntityTag(etag) ? etag : null };
  } catch (error) {
    if (isNavMapError(error)) throw error;
    if (signal.aborted) throw new NavMapError('timeout', `The NavMap server did not answer within ${timeoutMs} ms.`, { cause: error });
    // fetch rejects with a TypeError when the server is unreachable or CORS refuses the response.
    const [code, message, status] = step;
    throw new NavMapError(code, `${message}: ${describeError(error)}`, { cause: error, ...(status === undefined ? {} : { status }) });
  }
}
