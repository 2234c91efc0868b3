import * as v from 'valibot';
import { NavMapErrorCode } from './errorCodes.js';
import { LOGICAL_NAME_PATTERN, ODATA_IDENTIFIER_PATTERN } from './identifiers.js';
import { NavMapError } from './NavMapError.js';
import { NAVMAP_CONTRACT_VERSION, type NavMapResponse } from './types.js';

const logicalName = v.pipe(v.string(), v.regex(LOGICAL_NAME_PATTERN, 'expected a lower-case logical name'));
const odataIdentifier = v.pipe(v.string(), v.regex(ODATA_IDENTIFIER_PATTERN, 'expected an OData identifier'));

const navEntrySchema = v.object({
  entitySet: odataIdentifier,
  lookupAttribute: logicalName,
  navProperty: odataIdentifier,
  collectionNavProperty: odataIdentifier,
});

const parentErrorSchema = v.object({
  code: v.picklist(Object.keys(NavMapErrorCode) as (keyof typeof NavMapErrorCode)[], 'expected a NavMap error code'),
  message: v.string(),
});

const navMapResponseSchema = v.object({
  version: v.literal(NAVMAP_CONTRACT_VERSION, `expected "${NAVMAP_CONTRACT_VERSION}"`),
  environment: v.pipe(v.string(), v.minLength(1, 'expected a non-empty string')),
  childEntity: v.exactOptional(logicalName),
  generatedAt: v.pipe(v.string(), v.isoTimestamp('expected an ISO 8601 timestamp')),
  parents: v.record(logicalName, navEntrySchema),
  errors: v.exactOptional(v.record(logicalName, parentErrorSchema)),
});

function describeReceived(issue: v.BaseIssue<unknown>): string {
  return issue.received === 'undefined' ? 'it is missing' : `received ${issue.received}`;
}

/**
 * Validates a NavMap v1 body (from the server, a cache, or a bundled snapshot) and returns it typed.
 * Fields the contract does not know are dropped, so a newer server's additions never break an older client.
 *
 * @throws {NavMapError} `invalid_response`, with the path of the first wrong field in the message.
 * @example
 * const map = parseNavMapResponse(await response.json());
 * map.parents.sprk_matter?.navProperty; // 'sprk_Matter'
 */
export function parseNavMapResponse(json: unknown): NavMapResponse {
  const result = v.safeParse(navMapResponseSchema, json);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = v.getDotPath(issue) ?? '(root)';
  throw new NavMapError(
    'invalid_response',
    `Invalid NavMap response: \`${path}\`: ${issue.message}, ${describeReceived(issue)}.`,
  );
}
