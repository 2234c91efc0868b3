/**
 * Every code a `NavMapError` can carry, with the sentence that explains it.
 * `docs/errors.md` has one heading per key; a test keeps the two in step.
 */
export const NavMapErrorCode = {
  invalid_response: 'A NavMap or Dataverse answer had the wrong shape.',
  invalid_config: 'An option is missing or malformed.',
  entity_not_found: 'Dataverse has no table of this name.',
  parent_not_related: 'The child table has no lookup to this parent.',
  ambiguous_relationship: 'Several lookups lead to this parent; configuration must name one.',
  unsupported_parent: 'The NavMap has no entry for this parent.',
  dataverse_error: 'Dataverse answered with an error.',
  dataverse_throttled: 'Dataverse kept answering 429.',
  timeout: 'No answer within the configured time.',
  aborted: 'The caller aborted.',
  network_error: 'The server could not be reached.',
  unauthorized: 'No valid access token, or the token was refused.',
  interaction_required: 'Silent sign-in needs the user; sign in from a click.',
  forbidden: 'The token lacks the scope or role required.',
  server_unavailable: 'The NavMap server could not provide a map.',
  rate_limited: 'Too many requests (429); retry after Retry-After.',
  not_found: 'The NavMap server has nothing at this path.',
  bad_request: 'The NavMap server refused a malformed HTTP request.',
  unsupported_version: 'This NavMap contract version is not supported.',
  invalid_guid: 'A record id is not a GUID.',
} as const;

export type NavMapErrorCode = keyof typeof NavMapErrorCode;

/** True for a code of the table (an own key: `toString` is no code). */
export function isNavMapErrorCode(value: unknown): value is NavMapErrorCode {
  return typeof value === 'string' && Object.hasOwn(NavMapErrorCode, value);
}

/** The codes as a list, in the order of the table. */
export const navMapErrorCodes = /* @__PURE__ */ Object.keys(NavMapErrorCode) as NavMapErrorCode[];
