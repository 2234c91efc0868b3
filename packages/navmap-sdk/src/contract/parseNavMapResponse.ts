import { isNavMapErrorCode } from './errorCodes.js';
import { isLogicalName, isODataIdentifier } from './identifiers.js';
import { NAVMAP_LIMITS } from './navMapLimits.js';
import { NavMapError, showValue } from './NavMapError.js';
import { NAVMAP_CONTRACT_VERSION, type NavEntry, type NavMapParentError, type NavMapResponse } from './types.js';

// Hand-written rather than a schema library: the browser client bundles it, and this one shape with its limits costs
// a tenth of valibot's object, record and pipe code (`npm run size -w @sdap/navmap-sdk`).

/** What a string field must be, and the words the message uses for it after "expected". */
type TextRule = readonly [test: (value: string) => boolean, expected: string];

const ANY_TEXT: TextRule = [() => true, 'a string'];
const LOGICAL_NAME: TextRule = [isLogicalName, 'a lower-case logical name'];
const ODATA_IDENTIFIER: TextRule = [isODataIdentifier, 'an OData identifier'];
const ISO_TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)$/;

const NAV_ENTRY_FIELDS: Readonly<Record<keyof NavEntry, TextRule>> = {
  entitySet: ODATA_IDENTIFIER,
  lookupAttribute: LOGICAL_NAME,
  navProperty: ODATA_IDENTIFIER,
  collectionNavProperty: ODATA_IDENTIFIER,
};

function fail(path: string, expected: string, value: unknown): never {
  throw new NavMapError('invalid_response', `Invalid NavMap response: \`${path || '(root)'}\`: expected ${expected}, ${value === undefined ? 'it is missing' : `received ${showValue(value, 60)}`}.`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(value: unknown, path: string): Record<string, unknown> {
  if (!isRecord(value)) fail(path, 'an object', value);
  return value;
}

function text(value: unknown, path: string, [test, expected]: TextRule = ANY_TEXT): string {
  if (typeof value !== 'string' || !test(value)) fail(path, expected, value);
  if (value.length > NAVMAP_LIMITS.textLength) {
    fail(path, `at most ${NAVMAP_LIMITS.textLength} characters (limit \`textLength\`)`, `${value.length} characters`);
  }
  return value;
}

/** Own keys only, through Object.fromEntries: a parent named `constructor` or `__proto__` is data, not a prototype. */
function record<T>(value: unknown, path: string, entry: (value: Record<string, unknown>, path: string) => T): Readonly<Record<string, T>> {
  const input = object(value, path);
  return Object.fromEntries(
    Object.keys(input).map((key) => [text(key, path, LOGICAL_NAME), entry(object(input[key], `${path}.${key}`), `${path}.${key}`)]),
  );
}

function navEntry(entry: Record<string, unknown>, path: string): NavEntry {
  return Object.fromEntries(
    Object.entries(NAV_ENTRY_FIELDS).map(([field, rule]) => [field, text(entry[field], `${path}.${field}`, rule)]),
  ) as Record<keyof NavEntry, string>;
}

function parentError(error: Record<string, unknown>, path: string): NavMapParentError {
  if (!isNavMapErrorCode(error.code)) fail(`${path}.code`, 'a NavMap error code', error.code);
  return { code: error.code, message: text(error.message, `${path}.message`) };
}

/**
 * Validates a NavMap v1 body (from the server, a cache, or a bundled snapshot) within `NAVMAP_LIMITS` and returns it
 * typed. Fields the contract does not know are dropped, so a newer server's additions never break an older client.
 *
 * @throws {NavMapError} `invalid_response`, with the path of the first wrong field (or the limit) in the message.
 * @example
 * const map = parseNavMapResponse(await response.json());
 * map.parents.sprk_matter?.navProperty; // 'sprk_Matter'
 */
export function parseNavMapResponse(json: unknown): NavMapResponse {
  const body = object(json, '');
  if (body.version !== NAVMAP_CONTRACT_VERSION) fail('version', `"${NAVMAP_CONTRACT_VERSION}"`, body.version);
  const map: { -readonly [K in keyof NavMapResponse]: NavMapResponse[K] } = {
    version: NAVMAP_CONTRACT_VERSION,
    environment: text(body.environment, 'environment', [(value) => /\S/.test(value), 'a non-empty string']),
    generatedAt: text(body.generatedAt, 'generatedAt', [(value) => ISO_TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value)), 'an ISO 8601 timestamp']),
    parents: {},
  };
  const count = (value: unknown): number => (isRecord(value) ? Object.keys(value).length : 0);
  const entries = count(body.parents) + count(body.errors);
  if (entries > NAVMAP_LIMITS.parents) fail('parents', `at most ${NAVMAP_LIMITS.parents} parents and errors (limit \`parents\`)`, `${entries} entries`);
  map.parents = record(body.parents, 'parents', navEntry);
  if (body.childEntity !== undefined) map.childEntity = text(body.childEntity, 'childEntity', LOGICAL_NAME);
  if (body.errors !== undefined) map.errors = record(body.errors, 'errors', parentError);
  return map;
}
