/** `Authorization: Bearer <token>` (RFC 6750 section 2.1: the b64token syntax), case-insensitive scheme. */
const BEARER = /^Bearer[ ]+([A-Za-z0-9\-_.~+/]+=*)\s*$/i;

/**
 * The token of a `Bearer` Authorization header value, or undefined for any other value: the one reading of the header
 * for every server that takes one (navmap-server's callers and `/metrics` secret, the local environment's services).
 *
 * @example
 * bearerToken('Bearer eyJ...'); // 'eyJ...'
 */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (typeof authorization !== 'string') return undefined;
  return BEARER.exec(authorization)?.[1];
}
