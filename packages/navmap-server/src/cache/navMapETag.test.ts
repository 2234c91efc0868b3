import type { NavMapResponse } from '@sdap/navmap-sdk';
import { describe, expect, it } from 'vitest';
import { etagMatches } from '../http/answerNavMapRequest.js';
import { NavMapCache, serializeNavMap } from './NavMapCache.js';
import { navMapETag } from './navMapETag.js';

const map: NavMapResponse = {
  version: '1',
  environment: 'https://org.crm.dynamics.com',
  childEntity: 'sprk_document',
  generatedAt: '2026-11-27T10:00:00.000Z',
  parents: {
    sprk_matter: { entitySet: 'sprk_matters', lookupAttribute: 'sprk_matter', navProperty: 'sprk_Matter', collectionNavProperty: 'sprk_matter_document' },
    contact: { entitySet: 'contacts', lookupAttribute: 'sprk_primarycontact', navProperty: 'sprk_PrimaryContact', collectionNavProperty: 'sprk_contact_document' },
  },
  errors: { lead: { code: 'parent_not_related', message: "'sprk_document' has no lookup to 'lead'." } },
};

describe('navMapETag', () => {
  it('is a weak ETag that ignores generatedAt', () => {
    const etag = navMapETag(map);
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]{32}"$/);
    expect(navMapETag({ ...map, generatedAt: '2026-11-28T11:11:11.111Z' })).toBe(etag);
  });

  it('does not depend on key order (canonical JSON)', () => {
    const reordered: NavMapResponse = {
      errors: { lead: { message: "'sprk_document' has no lookup to 'lead'.", code: 'parent_not_related' } },
      parents: {
        contact: { collectionNavProperty: 'sprk_contact_document', navProperty: 'sprk_PrimaryContact', lookupAttribute: 'sprk_primarycontact', entitySet: 'contacts' },
        sprk_matter: { navProperty: 'sprk_Matter', entitySet: 'sprk_matters', collectionNavProperty: 'sprk_matter_document', lookupAttribute: 'sprk_matter' },
      },
      generatedAt: map.generatedAt,
      childEntity: 'sprk_document',
      environment: map.environment,
      version: '1',
    };
    expect(navMapETag(reordered)).toBe(navMapETag(map));
  });

  it.each([
    ['a navigation property', { parents: { ...map.parents, sprk_matter: { ...map.parents.sprk_matter, navProperty: 'sprk_MatterV2' } } }],
    ['an entity set', { parents: { ...map.parents, contact: { ...map.parents.contact, entitySet: 'contactsv2' } } }],
    ['a parent fewer', { parents: { sprk_matter: map.parents.sprk_matter } }],
    ['an error', { errors: {} }],
    ['the environment', { environment: 'https://other.crm.dynamics.com' }],
    ['the child', { childEntity: 'sprk_note' }],
  ] as const)('changes when %s changes', (_what, change) => {
    expect(navMapETag({ ...map, ...change } as NavMapResponse)).not.toBe(navMapETag(map));
  });

  it('gives equal ETags to two serializations at different times, so a revalidation after a refresh matches', () => {
    const first = serializeNavMap(map, 0, 1000);
    const refreshed = serializeNavMap({ ...map, generatedAt: '2026-11-27T10:05:00.000Z' }, 300_000, 1000);
    expect(refreshed.body.equals(first.body)).toBe(false);
    expect(refreshed.etag).toBe(first.etag);
    expect(etagMatches(first.etag, refreshed.etag)).toBe(true);
    expect(etagMatches(first.etag.slice(2), refreshed.etag)).toBe(true);
  });
});

describe('NavMapCache load consistency', () => {
  it("asks for strong consistency on a forced refresh only", async () => {
    const seen: string[] = [];
    const cache = new NavMapCache({
      load: (_signal, { consistency }) => {
        seen.push(consistency);
        return Promise.resolve(map);
      },
      minForcedRefreshIntervalSeconds: 0,
    });
    await cache.warm();
    await cache.refreshNow();
    expect(seen).toEqual(['eventual', 'strong']);
    cache.close();
  });
});
