import ky, { TimeoutError } from 'ky';
import { isNavMapError, NavMapError } from '../contract/NavMapError.js';
import { parseNavMapResponse } from '../contract/parseNavMapResponse.js';
import type { NavMapResponse } from '../contract/types.js';

export interface FetchNavMapRequest {
  readonly endpoint: string;
  readonly getAccessToken: () => string | Promise<string>;
  /** Budget for the token and the response headers together. */
  readonly timeoutMs: number;
  /** Sent as `If-None-Match`. */
  readonly etag?: string | null | undefined;
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

const statusCodes = { 401: 'unauthorized', 403: 'forbidden', 400: 'unsupported_version' } as const;

/**
 * One request to the NavMap server: bearer token, optional `If-None-Match`, one timeout for token and response,
 * no retries. Every failure is a `NavMapError` whose code names the layer failure.
 */
export async function fetchNavMap(request: FetchNavMapRequest): Promise<FetchNavMapResult> {
  const started = Date.now();
  const token = await accessToken(request);
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
  if (request.etag) headers['if-none-match'] = request.etag;
  let response: Response;
  try {
    response = await ky.get(request.endpoint, {
      headers,
      timeout: Math.max(1, request.timeoutMs - (Date.now() - started)),
      retry: 0,
      throwHttpErrors: false,
      // The client keeps its own cache and sends its own If-None-Match; the HTTP cache would hide both.
      cache: 'no-store',
    });
  } catch (error) {
    if (error instanceof TimeoutError) {
      throw new NavMapError('timeout', `The NavMap server did not answer within ${request.timeoutMs} ms.`, { cause: error });
    }
    // fetch rejects with a TypeError when the server is unreachable or CORS refuses the response.
    if (error instanceof TypeError) {
      throw new NavMapError('network_error', `The NavMap server at ${request.endpoint} could not be reached: ${error.message}`, { cause: error });
    }
    throw error;
  }
  if (response.status === 304) return { status: 304 };
  if (!response.ok) {
    const code = statusCodes[response.status as keyof typeof statusCodes] ?? (response.status >= 500 ? 'server_unavailable' : 'invalid_response');
    const body = await response.text().catch(() => '');
    throw new NavMapError(code, `The NavMap server answered ${response.status}${body ? `: ${body.slice(0, 200)}` : ''}`, { status: response.status });
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch (error) {
    throw new NavMapError('invalid_response', `The NavMap server sent a body that is not JSON: ${errorMessage(error)}`, { status: 200, cause: error });
  }
  return { status: 200, map: parseNavMapResponse(json), etag: response.headers.get('etag') };
}
