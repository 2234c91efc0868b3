import { NavMapError } from './NavMapError.js';

const GUID_PATTERN = /^[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$/;

/**
 * Returns a record id in the form Dataverse URLs use: no braces, lower case.
 * Forms hand out ids like `{3A785F76-C773-F011-B4CB-6045BDD8B757}`.
 *
 * @throws {NavMapError} `invalid_guid` when the value is not a GUID.
 * @example
 * normalizeGuid('{3A785F76-C773-F011-B4CB-6045BDD8B757}'); // '3a785f76-c773-f011-b4cb-6045bdd8b757'
 */
export function normalizeGuid(id: unknown): string {
  const normalized = typeof id === 'string' ? id.trim().replace(/^\{(.*)\}$/, '$1').toLowerCase() : '';
  if (GUID_PATTERN.test(normalized)) return normalized;
  throw new NavMapError(
    'invalid_guid',
    `Record id ${typeof id === 'string' ? `"${id}"` : String(id)} is not a GUID; expected the form 3a785f76-c773-f011-b4cb-6045bdd8b757 (braces allowed).`,
  );
}
