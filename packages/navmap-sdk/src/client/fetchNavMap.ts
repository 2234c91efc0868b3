import { errorCodeForHttpStatus } from '../contract/http.js';
import { isNavMapError, NavMapError } from '../contract/NavMapError.js';
import { parseRetryAfter } from '../contract/parseRetryAfter.js';
import { parseNavMapResponse } from '../contract/parseNavMapResponse.js';
import type { NavMapResponse } from '../contract/types.js';

export interface FetchNavMapRequest {
  readonly endpoint: string;
  readonly getAccessToken: () => string | Promise<string>;
  /** Budget for the token and the response headers together. */
  readonly timeoutMs: number;
  /** Sent as `If-None-Match`. */
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

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function accessToken(request: FetchNavMapRequest): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new NavMapError('timeout', `getAccessToken did not return within ${request.timeoutMs} ms.`)),
      request.timeoutMs,
    );
  });
  try {
    const token = await Promise.race([Promise.resolve().then(request.getAccessToken), deadline]);
    if (typeof token !== 'string' || token === '') throw new Error(`it returned ${JSON.stringify(token) ?? String(token)}`);
    return token;
  } catch (error) {
    if (isNavMapError(error) && error.code === 'timeout') throw error;
    throw new NavMapError('unauthorized', `No access token for the NavMap server: ${errorMessage(error)}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One request to the NavMap server: bearer token, optional `If-None-Match`, one timeout for token and response
 * (body included), no retries. Every failure is a `NavMapError` whose code names the layer failure.
 */
export async function fetchNavMap(request: FetchNavMapRequest): Promise<FetchNavMapResult> {
  const started = Date.now();
  const token = await accessToken(request);
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
  if (request.etag) headers['if-none-match'] = request.etag;
  if (request.noCache) headers['cache-control'] = 'no-cache';
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), Math.max(1, request.timeoutMs - (Date.now() - started)));
  const timedOut = (cause: unknown): NavMapError =>
    new NavMapError('timeout', `The NavMap server did not answer within ${request.timeoutMs} ms.`, { cause });
  try {
    let response: Response;
    try {
      response = await fetch(request.endpoint, {
        headers,
        signal: deadline.signal,
        // Never an answer from the HTTP cache without asking the server. Not 'no-store' for ordinary loads: the Fetch
        // standard (HTTP-network-or-cache fetch) makes 'no-store' and 'reload' add `Cache-Control: no-cache`, which
        // tells the NavMap server to skip its own cache; 'no-cache' adds only `max-age=0` (Chromium 156, checked).
        cache: request.noCache ? 'no-store' : 'no-cache',
      });
    } catch (error) {
      if (deadline.signal.aborted) throw timedOut(error);
      // fetch rejects with a TypeError when the server is unreachable or CORS refuses the response.
      if (error instanceof TypeError) {
        throw new NavMapError('network_error', `The NavMap server at ${request.endpoint} could not be reached: ${error.message}`, { cause: error });
      }
      throw error;
    }
    if (response.status === 304) return { status: 304 };
    if (!response.ok) {
      const code = errorCodeForHttpStatus(response.status);
      const body = await response.text().catch(() => '');
      // Sent with 429 and 503 (docs/contract.md); readable cross-origin only when the server lists Retry-After in
      // Access-Control-Expose-Headers.
      const retryAfterSeconds = response.status === 429 || response.status === 503 ? parseRetryAfter(response.headers.get('retry-after')) : undefined;
      const wait = retryAfterSeconds === undefined ? '' : ` (retry after ${retryAfterSeconds} s)`;
      const where = response.status === 404 ? ` for ${request.endpoint}` : '';
      throw new NavMapError(code, `The NavMap server answered ${response.status}${where}${wait}${body ? `: ${body.slice(0, 200)}` : ''}`, {
        status: response.status,
        ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
      });
    }
    let json: unknown;
    try {
      json = await response.json();
    } catch (error) {
      if (deadline.signal.aborted) throw timedOut(error);
      throw new NavMapError('invalid_response', `The NavMap server sent a body that is not JSON: ${errorMessage(error)}`, { status: 200, cause: error });
    }
    return { status: 200, map: parseNavMapResponse(json), etag: response.headers.get('etag') };
  } finally {
    clearTimeout(timer);
  }
}
