import type { NavMapErrorCode } from './errorCodes.js';

/** The path of the NavMap endpoint; `docs/contract.md` is the wire contract. */
export const NAVMAP_ENDPOINT_PATH = '/api/pcf/dataverse-navmap';

/**
 * The HTTP status the server answers for each error code it sends, and the code the client reads back from it. One
 * table for both sides of the wire (`docs/contract.md`, "Status and code"; a docs drift test compares the two).
 */
export const NAVMAP_HTTP_STATUS = {
  unsupported_version: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  rate_limited: 429,
  server_unavailable: 503,
} as const satisfies Partial<Record<NavMapErrorCode, number>>;

/** A code the server sends on the wire. */
export type NavMapWireErrorCode = keyof typeof NAVMAP_HTTP_STATUS;

/**
 * The status a server answers for an error code: the table's, else 503 (any other failure means no map now).
 *
 * @example
 * httpStatusForErrorCode('forbidden'); // 403
 */
export function httpStatusForErrorCode(code: NavMapErrorCode): number {
  return (NAVMAP_HTTP_STATUS as Partial<Record<NavMapErrorCode, number>>)[code] ?? NAVMAP_HTTP_STATUS.server_unavailable;
}

/**
 * The error code a client reads from a failed answer's status: the table's, else `server_unavailable` for any 5xx and
 * `invalid_response` for anything else.
 *
 * @example
 * errorCodeForHttpStatus(502); // 'server_unavailable'
 */
export function errorCodeForHttpStatus(status: number): NavMapErrorCode {
  const wire = (Object.keys(NAVMAP_HTTP_STATUS) as NavMapWireErrorCode[]).find((code) => NAVMAP_HTTP_STATUS[code] === status);
  return wire ?? (status >= 500 ? 'server_unavailable' : 'invalid_response');
}

// entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE (RFC 9110 section 8.8.3), ASCII only: a header value fetch can send.
const ENTITY_TAG = /^(?:W\/)?"[\x21\x23-\x7e]*"$/;

/**
 * True for a valid `ETag` value: anything else cannot go back as `If-None-Match` (fetch refuses to send it).
 *
 * @example
 * isEntityTag('W/"3f2a"'); // true
 */
export function isEntityTag(value: unknown): value is string {
  return typeof value === 'string' && ENTITY_TAG.test(value);
}

/**
 * True when a 304's `ETag` confirms the tag that was sent (weak comparison, RFC 9110 section 8.8.3.2); a 304 without
 * one confirms it too, as the RFC lets a server omit it.
 */
export function confirmsEntityTag(sent: string, answered: string | null): boolean {
  return answered === null || answered.replace(/^W\//, '') === sent.replace(/^W\//, '');
}
