import {
  NAVMAP_CONTRACT_VERSION,
  NavMapError,
  SUPPORTED_CONTRACT_VERSIONS,
  httpStatusForErrorCode,
  isNavMapError,
} from '@sdap/navmap-sdk';
import type { CachedMapOrigin, NavMapCache } from '../cache/NavMapCache.js';
import type { TokenVerifier, VerifiedCaller } from '../auth/TokenVerifier.js';

/** The parts of an HTTP request the NavMap endpoint reads. */
export interface NavMapRequest {
  /** The `v` query parameter; absent means 1. */
  readonly version: string | undefined;
  readonly authorization: string | undefined;
  readonly ifNoneMatch: string | undefined;
  /**
   * The `Cache-Control` request header; `no-cache` without `ifNoneMatch` asks for a map read from Dataverse now
   * (see `NavMapCache.refreshNow`).
   */
  readonly cacheControl?: string | undefined;
  /** The verification of `authorization` already started for this request (by a rate limiter), so it runs once. */
  readonly verification?: Promise<VerifiedCaller>;
}

/** What the endpoint answers; an adapter copies it onto its response object. */
export interface NavMapAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Bytes to send (already serialized), or nothing for 304. */
  readonly body: Buffer | undefined;
  /** The caller, when the token was accepted. */
  readonly caller?: VerifiedCaller;
  /** Where the answered map came from (`X-NavMap-Source`), when a map was answered. */
  readonly origin?: CachedMapOrigin;
  /** The error, for a 4xx/5xx answer. */
  readonly error?: NavMapError;
}

export interface AnswerNavMapRequestContext {
  /** `refreshNow` answers `Cache-Control: no-cache`; a cache without it answers such requests from `get`. */
  readonly cache: Pick<NavMapCache, 'get'> & Partial<Pick<NavMapCache, 'refreshNow'>>;
  readonly verifier: Pick<TokenVerifier, 'verify'>;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** True when a `Cache-Control` request header says `no-cache` (RFC 9111 section 5.2.1.4). */
export function wantsNoCache(cacheControl: string | undefined): boolean {
  if (cacheControl === undefined) return false;
  return cacheControl.split(',').some((directive) => directive.trim().toLowerCase() === 'no-cache');
}

/** Serializes an error in the one shape every error answer uses: `{ "error": { "code", "message" } }`. */
export function errorBody(error: NavMapError): Buffer {
  return Buffer.from(JSON.stringify({ error: { code: error.code, message: error.message } }));
}

/**
 * Turns anything thrown into the answer the contract prescribes for it (docs/contract.md). `status` refines the code's
 * status for HTTP-level refusals that share a code (`bad_request` as 405, 414 or 417).
 */
export function errorAnswer(thrown: unknown, status?: number): NavMapAnswer {
  const error = isNavMapError(thrown)
    ? thrown
    : new NavMapError('server_unavailable', 'The NavMap server failed to answer.', { cause: thrown });
  status ??= isNavMapError(thrown) ? httpStatusForErrorCode(error.code) : 500;
  const headers: Record<string, string> = { 'Content-Type': JSON_TYPE, 'Cache-Control': 'no-store' };
  if (status === 401) {
    const description = error.message.replace(/["\\]/g, "'");
    headers['WWW-Authenticate'] = `Bearer error="invalid_token", error_description="${description}"`;
  }
  if (status === 403) headers['WWW-Authenticate'] = 'Bearer error="insufficient_scope"';
  if (status === 503 || status === 429) headers['Retry-After'] = String(error.details.retryAfterSeconds ?? 5);
  return { status, headers, body: errorBody(error), error };
}

const opaqueTag = (etag: string): string => etag.trim().replace(/^W\//, '');

/**
 * True when an `If-None-Match` value (a list, possibly weak, or `*`) matches the ETag by weak comparison
 * (RFC 9110 section 13.1.2: `W/"a"` matches `"a"` and `W/"a"`).
 */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined || ifNoneMatch === '') return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((candidate) => opaqueTag(candidate) === opaqueTag(etag));
}

/**
 * The NavMap endpoint as a plain function: token, then contract version, then the cached map, then the
 * conditional request. No framework types, so it is tested and reused without Express.
 *
 * @example
 * const answer = await answerNavMapRequest({ version: req.query.v, authorization, ifNoneMatch }, { cache, verifier });
 * res.writeHead(answer.status, answer.headers).end(answer.body);
 */
export async function answerNavMapRequest(request: NavMapRequest, context: AnswerNavMapRequestContext): Promise<NavMapAnswer> {
  let caller: VerifiedCaller;
  try {
    caller = await (request.verification ?? context.verifier.verify(request.authorization));
  } catch (error) {
    return errorAnswer(error);
  }
  const version = request.version === undefined || request.version === '' ? NAVMAP_CONTRACT_VERSION : request.version;
  if (!SUPPORTED_CONTRACT_VERSIONS.includes(version)) {
    return {
      ...errorAnswer(
        new NavMapError(
          'unsupported_version',
          `NavMap contract version "${version.slice(0, 20)}" is not supported; supported versions: ${SUPPORTED_CONTRACT_VERSIONS.join(', ')}.`,
        ),
      ),
      caller,
    };
  }
  let lookup;
  try {
    // Only a request without If-None-Match forces a reload: the Fetch standard (HTTP-network-or-cache fetch) adds
    // `Cache-Control: no-cache` by itself to every conditional request made with the default cache mode, so
    // revalidations would otherwise all read Dataverse.
    const force = wantsNoCache(request.cacheControl) && (request.ifNoneMatch === undefined || request.ifNoneMatch === '');
    lookup = force && context.cache.refreshNow !== undefined ? await context.cache.refreshNow() : await context.cache.get();
  } catch (error) {
    return { ...errorAnswer(error), caller };
  }
  const { entry, origin, secondsLeft } = lookup;
  const headers = {
    ETag: entry.etag,
    'Cache-Control': `private, max-age=${secondsLeft}`,
    'X-NavMap-Source': origin,
    Vary: 'Authorization',
  };
  if (etagMatches(request.ifNoneMatch, entry.etag)) return { status: 304, headers, body: undefined, caller, origin };
  return {
    status: 200,
    headers: { ...headers, 'Content-Type': JSON_TYPE, 'Content-Length': String(entry.body.length) },
    body: entry.body,
    caller,
    origin,
  };
}
