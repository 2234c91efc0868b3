import { describe, expect, it } from 'vitest';
import { navMapCacheKey, validateCacheEntry } from './validateCacheEntry.js';

const environment = 'https://org.crm.dynamics.com';
const now = Date.parse('2026-11-28T12:00:00Z');
const map = {
  version: '1',
  environment,
  childEntity: 'sprk_document',
  generatedAt: '2026-11-27T10:00:00.000Z',
  parents: { sprk_matter: { entitySet: 'sprk_matters', lookupAttribute: 'sprk_matter', navProperty: 'sprk_Matter', collectionNavProperty: 'sprk_matter_document' } },
};

const check = (value: unknown) => validateCacheEntry(value, environment, 'sprk_document', now);

describe('validateCacheEntry', () => {
  it('keys carry the contract version, environment and child entity', () => {
    expect(navMapCacheKey(environment, 'sprk_document')).toBe('navmap:v1:https://org.crm.dynamics.com:sprk_document');
  });

  it('accepts a valid entry', () => {
    expect(check({ map, etag: '"a"', storedAt: now - 1000 })).toEqual({ valid: true, entry: { map, etag: '"a"', storedAt: now - 1000 } });
  });

  it.each([
    ['invalid_entry', 'garbage'],
    ['invalid_entry', { map: null }],
    ['version_mismatch', { map: { ...map, version: '2' }, etag: null, storedAt: now }],
    ['invalid_entry', { map, etag: null, storedAt: 'yesterday' }],
    ['invalid_entry', { map, etag: null, storedAt: now + 3_600_000 }],
    ['invalid_entry', { map, etag: 5, storedAt: now }],
    ['invalid_entry', { map: { ...map, parents: { sprk_matter: { navProperty: 'sprk_Matter' } } }, etag: null, storedAt: now }],
    ['environment_mismatch', { map: { ...map, environment: 'https://other.crm.dynamics.com' }, etag: null, storedAt: now }],
    ['child_entity_mismatch', { map: { ...map, childEntity: 'sprk_note' }, etag: null, storedAt: now }],
  ])('drops with %s: %j', (reason, value) => {
    expect(check(value)).toMatchObject({ valid: false, reason });
  });
});
