/**
 * Every code a `NavMapError` can carry. What each means and what to do about it is `docs/errors.md`, one heading per
 * code (a test keeps the two in step); an error's own message says what went wrong in that case.
 */
export const navMapErrorCodes = [
  'invalid_response',
  'invalid_config',
  'entity_not_found',
  'parent_not_related',
  'ambiguous_relationship',
  'unsupported_parent',
  'dataverse_error',
  'dataverse_throttled',
  'timeout',
  'aborted',
  'network_error',
  'unauthorized',
  'interaction_required',
  'forbidden',
  'server_unavailable',
  'rate_limited',
  'not_found',
  'bad_request',
  'unsupported_version',
  'invalid_guid',
] as const;

export type NavMapErrorCode = (typeof navMapErrorCodes)[number];

/** True for one of `navMapErrorCodes`. */
export function isNavMapErrorCode(value: unknown): value is NavMapErrorCode {
  return (navMapErrorCodes as readonly unknown[]).includes(value);
}
