/**
 * Every code a `NavMapError` can carry, with the sentence that explains it.
 * `docs/errors.md` has one heading per key; a test keeps the two in step.
 */
export const NavMapErrorCode = {
  invalid_response: 'A NavMap or Dataverse response did not have the expected shape.',
  invalid_config: 'An option or configuration value is missing or malformed.',
  entity_not_found: 'Dataverse has no table with this logical name.',
  parent_not_related: 'The child table has no lookup to this parent table.',
  ambiguous_relationship: 'The child table has several lookups to this parent; configuration must name one.',
  unsupported_parent: 'The NavMap has no entry for this parent table.',
  dataverse_error: 'Dataverse answered with an error.',
  dataverse_throttled: 'Dataverse kept answering 429 Too Many Requests.',
  timeout: 'The request did not complete within the configured time.',
  aborted: 'The caller aborted the operation.',
  network_error: 'The server could not be reached.',
  unauthorized: 'No valid access token was available or the token was refused.',
  interaction_required: 'No token without the user: silent sign-in needs interaction (third-party cookies blocked, session expired); sign in from a click.',
  forbidden: 'The token lacks the scope or role the endpoint requires.',
  server_unavailable: 'The NavMap server could not provide a map.',
  rate_limited: 'The NavMap server answered 429: too many requests from this caller; retry after Retry-After.',
  not_found: 'The NavMap server has nothing at this path.',
  bad_request: 'The NavMap server refused a malformed HTTP request (request line, header or URL).',
  unsupported_version: 'The requested NavMap contract version is not supported.',
  invalid_guid: 'A record id is not a GUID.',
} as const;

export type NavMapErrorCode = keyof typeof NavMapErrorCode;

/** The codes as a list, in the order of the table. */
export const navMapErrorCodes = /* @__PURE__ */ Object.keys(NavMapErrorCode) as NavMapErrorCode[];
