import {
  NAVMAP_CONTRACT_VERSION,
  NavMapError,
  SUPPORTED_CONTRACT_VERSIONS,
  isNavMapError,
  type NavMapErrorCode,
} from '@sdap/navmap-sdk';
import type { NavMapCache, NavMapSource } from '../cache/NavMapCache.js';
import type { TokenVerifier, VerifiedCaller } from '../auth/TokenVerifier.js';

/** The parts of an HTTP request the NavMap endpoint reads. */
export interface NavMapRequest {
  /** The `v` query parameter; absent means 1. */
  readonly version: string | undefined;
  readonly authorization: string | undefined;
  readonly ifNoneMatch: string | undefined;
}

/** What the endpoint answers; an adapter copies it onto its response object. */
export interface NavMapAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Bytes to send (already serialized), or nothing for 304. */
  readonly body: Buffer | undefined;
  /** The caller, when the token was accepted. */
  readonly caller?: VerifiedCaller;
  /** The map's source, when a map was answered. */
  readonly source?: NavMapSource;
  /** The error, for a 4xx/5xx answer. */
  readonly error?: NavMapError;
}

export interface AnswerNavMapRequestContext {
  readonly cache: Pick<NavMapCache, 'get'>;
  readonly verifier: Pick<TokenVerifier, 'verify'>;
}

const JSON_TYPE = 'application/json; charset=utf-8';

const STATUS_BY_CODE: Partial<Record<NavMapErrorCode, number>> = {
  unauthorized: 401,
  forbidden: 403,
  unsupported_version: 400,
  server_unavailable: 503,
};

/** Serializes an error in the one shape every error answer uses: `{ "error": { "code", "message" } }`. */
export function errorBody(error: NavMapError): Buffer {
  return Buffer.from(JSON.stringify({ error: { code: error.code, message: error.message } }));
}

/** Turns anything thrown into the answer the contract prescribes for it (DESIGN.md section 4). */
export function errorAnswer(thrown: unknown): NavMapAnswer {
  const error = isNavMapError(thrown)
    ? thrown
    : new NavMapError('server_unavailable', 'The NavMap server failed to answer.', { cause: thrown });
  const status = isNavMapError(thrown) ? (error.details.status === 429 ? 429 : (STATUS_BY_CODE[error.code] ?? 503)) : 500;
  const headers: Record<string, string> = { 'Content-Type': JSON_TYPE, 'Cache-Control': 'no-store' };
  if (status === 401) {
    const description = error.message.replace(/["\\]/g, "'");
    headers['WWW-Authenticate'] = `Bearer error="invalid_token", error_description="${description}"`;
  }
  if (status === 403) headers['WWW-Authenticate'] = 'Bearer error="insufficient_scope"';
  if (status === 503) headers['Retry-After'] = String(error.details.retryAfterSeconds ?? 5);
  return { status, headers, body: errorBody(error), error };
}

/** True when an `If-None-Match` value (a list, possibly weak, or `*`) matches the ETag. */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined || ifNoneMatch === '') return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
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
    caller = await context.verifier.verify(request.authorization);
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
    lookup = await context.cache.get();
  } catch (error) {
    return { ...errorAnswer(error), caller };
  }
  const { entry, source, secondsLeft } = lookup;
  const headers = {
    ETag: entry.etag,
    'Cache-Control': `private, max-age=${secondsLeft}`,
    'X-NavMap-Source': source,
    Vary: 'Authorization',
  };
  if (etagMatches(request.ifNoneMatch, entry.etag)) return { status: 304, headers, body: undefined, caller, source };
  return {
    status: 200,
    headers: { ...headers, 'Content-Type': JSON_TYPE, 'Content-Length': String(entry.body.length) },
    body: entry.body,
    caller,
    source,
  };
}
