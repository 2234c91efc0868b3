import { NavMapErrorCode } from './errorCodes.js';
import { LOGICAL_NAME_PATTERN, ODATA_IDENTIFIER_PATTERN } from './identifiers.js';
import { NAVMAP_LIMITS } from './navMapLimits.js';
import { NavMapError } from './NavMapError.js';
import { quoteText } from './quoteText.js';
import { NAVMAP_CONTRACT_VERSION, type NavEntry, type NavMapParentError, type NavMapResponse } from './types.js';

// Hand-written rather than a schema library: the browser client bundles it, and this one shape with its limits costs
// a tenth of valibot's object, record and pipe code (`npm run size -w @sdap/navmap-sdk`).

const ISO_TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)$/;

function received(value: unknown): string {
  if (value === undefined) return 'it is missing';
  if (typeof value === 'string') return `received ${quoteText(value, 40)}`;
  return `received ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : String(value)}`;
}

function fail(path: string, expected: string, value: unknown): never {
  throw new NavMapError('invalid_response', `Invalid NavMap response: \`${path || '(root)'}\`: ${expected}, ${received(value)}.`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown, path: string, pattern?: RegExp, expected = 'expected a string'): string {
  if (typeof value !== 'string' || (pattern !== undefined && !pattern.test(value))) fail(path, expected, value);
  if (value.length > NAVMAP_LIMITS.textLength) {
    fail(path, `expected at most ${NAVMAP_LIMITS.textLength} characters (limit \`textLength\`)`, `${value.length} characters`);
  }
  return value;
}

const logicalName = (value: unknown, path: string): string => text(value, path, LOGICAL_NAME_PATTERN, 'expected a lower-case logical name');
const odataIdentifier = (value: unknown, path: string): string => text(value, path, ODATA_IDENTIFIER_PATTERN, 'expected an OData identifier');

/** Own keys only, written with defineProperty: a parent named `constructor` or `__proto__` is data, not a prototype. */
function record<T>(value: unknown, path: string, entry: (value: unknown, path: string) => T): Readonly<Record<string, T>> {
  if (!isRecord(value)) fail(path, 'expected an object', value);
  const output: Record<string, T> = {};
  for (const key of Object.keys(value)) {
    logicalName(key, path);
    Object.defineProperty(output, key, { value: entry(value[key], `${path}.${key}`), enumerable: true, writable: true, configurable: true });
  }
  return output;
}

function object(value: unknown, path: string): Record<string, unknown> {
  if (!isRecord(value)) fail(path, 'expected an object', value);
  return value;
}

function navEntry(value: unknown, path: string): NavEntry {
  const entry = object(value, path);
  return {
    entitySet: odataIdentifier(entry.entitySet, `${path}.entitySet`),
    lookupAttribute: logicalName(entry.lookupAttribute, `${path}.lookupAttribute`),
    navProperty: odataIdentifier(entry.navProperty, `${path}.navProperty`),
    collectionNavProperty: odataIdentifier(entry.collectionNavProperty, `${path}.collectionNavProperty`),
  };
}

function parentError(value: unknown, path: string): NavMapParentError {
  const error = object(value, path);
  if (typeof error.code !== 'string' || !Object.hasOwn(NavMapErrorCode, error.code)) fail(`${path}.code`, 'expected a NavMap error code', error.code);
  return { code: error.code as NavMapParentError['code'], message: text(error.message, `${path}.message`) };
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
  if (body.version !== NAVMAP_CONTRACT_VERSION) fail('version', `expected "${NAVMAP_CONTRACT_VERSION}"`, body.version);
  const environment = text(body.environment, 'environment', /\S/, 'expected a non-empty string');
  const generatedAt = text(body.generatedAt, 'generatedAt', ISO_TIMESTAMP, 'expected an ISO 8601 timestamp');
  if (Number.isNaN(Date.parse(generatedAt))) fail('generatedAt', 'expected an ISO 8601 timestamp', generatedAt);
  const count = (value: unknown): number => (isRecord(value) ? Object.keys(value).length : 0);
  const entries = count(body.parents) + count(body.errors);
  if (entries > NAVMAP_LIMITS.parents) {
    fail('parents', `expected at most ${NAVMAP_LIMITS.parents} parents and errors (limit \`parents\`)`, `${entries} entries`);
  }
  const map: { -readonly [K in keyof NavMapResponse]: NavMapResponse[K] } = {
    version: NAVMAP_CONTRACT_VERSION,
    environment,
    generatedAt,
    parents: record(body.parents, 'parents', navEntry),
  };
  if (body.childEntity !== undefined) map.childEntity = logicalName(body.childEntity, 'childEntity');
  if (body.errors !== undefined) map.errors = record(body.errors, 'errors', parentError);
  return map;
}
