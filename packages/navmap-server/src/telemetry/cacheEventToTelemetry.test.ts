import { NavMapError, type NavMapResponse } from '@sdap/navmap-sdk';
import { describe, expect, it } from 'vitest';
import { cacheEventToTelemetry } from './cacheEventToTelemetry.js';
import { navMapServerTelemetry } from './navMapServerTelemetry.js';

const map: NavMapResponse = {
  version: '1',
  environment: 'https://org.crm.dynamics.com',
  childEntity: 'sprk_document',
  generatedAt: '2026-11-28T10:00:00.000Z',
  parents: {
    sprk_matter: { entitySet: 'sprk_matters', lookupAttribute: 'sprk_matter', navProperty: 'sprk_Matter', collectionNavProperty: 'sprk_matter_document' },
    contact: { entitySet: 'contacts', lookupAttribute: 'sprk_contact', navProperty: 'sprk_Contact', collectionNavProperty: 'sprk_contact_document' },
  },
  errors: { lead: { code: 'parent_not_related', message: 'no lookup' } },
};
const context = { environment: 'https://org.crm.dynamics.com', environmentName: 'production', childEntity: 'sprk_document', staleAgeMs: undefined };

describe('cacheEventToTelemetry', () => {
  it('turns a refresh into NavMapRefreshed with the counts and the duration', () => {
    expect(cacheEventToTelemetry({ type: 'refresh', durationMs: 42, map }, context)).toEqual({
      name: 'NavMapRefreshed',
      properties: { environment: 'https://org.crm.dynamics.com', environmentName: 'production', childEntity: 'sprk_document' },
      measurements: { entityCount: 2, errorCount: 1, durationMs: 42 },
    });
  });

  it('turns a failed refresh into NavMapRefreshFailed with the error code and how stale the served map is', () => {
    const event = cacheEventToTelemetry(
      { type: 'refresh_failed', durationMs: 15_000, error: new NavMapError('timeout', 'Dataverse did not answer.') },
      { ...context, staleAgeMs: 65_000 },
    );
    expect(event).toEqual({
      name: 'NavMapRefreshFailed',
      properties: { environment: 'https://org.crm.dynamics.com', environmentName: 'production', childEntity: 'sprk_document', errorCode: 'timeout' },
      measurements: { durationMs: 15_000, staleAgeMs: 65_000 },
    });
  });

  it('emits nothing for per-request cache events (metrics count those)', () => {
    for (const type of ['hit', 'miss', 'stale'] as const) expect(cacheEventToTelemetry({ type }, context)).toBeUndefined();
  });

  it('uses exactly the names navMapServerTelemetry describes', () => {
    const refreshed = cacheEventToTelemetry({ type: 'refresh', durationMs: 1, map }, context);
    const failed = cacheEventToTelemetry({ type: 'refresh_failed', durationMs: 1, error: new NavMapError('network_error', 'x') }, { ...context, staleAgeMs: 1 });
    for (const event of [refreshed, failed]) {
      if (event === undefined) throw new Error('expected an event');
      const spec = navMapServerTelemetry.events[event.name];
      expect(Object.keys(event.properties).sort()).toEqual([...spec.properties].sort());
      expect(Object.keys(event.measurements).sort()).toEqual([...spec.measurements].sort());
    }
  });
});
