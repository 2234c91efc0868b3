import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NavMapResponse } from '@sdap/navmap-sdk';
import { startHarness, type Harness } from './support/localNavMap.js';

/**
 * Dataverse caches metadata for about 30 s after a change; `Consistency: Strong` reads past it. The emulator models
 * the lag (here 60 s, longer than the test) and refuses `or` in relationship filters, as real Dataverse may.
 */
let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({ metadataLagMs: 60_000, refuseUnverifiedQueries: true });
});
afterAll(async () => {
  await harness?.admin('POST', '/reset', { schema: true });
  await harness?.stop();
});

describe('navmap-server against lagging Dataverse metadata', () => {
  it('serves a renamed navigation property after a forced refresh (Consistency: Strong), not after a routine one', async () => {
    const { server, url } = await harness.start({ cache: { ttlSeconds: 1, refreshAheadSeconds: 0, minForcedRefreshIntervalSeconds: 0 } });
    const headers = { Authorization: `Bearer ${await harness.callerToken()}` };
    const navProperty = async (extra: Record<string, string> = {}) => {
      const response = await fetch(`${url}/api/pcf/dataverse-navmap?v=1`, { headers: { ...headers, ...extra } });
      return ((await response.json()) as NavMapResponse).parents.sprk_matter?.navProperty;
    };
    expect(await navProperty()).toBe('sprk_Matter');
    const rename = await harness.admin('PATCH', '/schema/relationships/sprk_matter_document', { ReferencingEntityNavigationPropertyName: 'sprk_MatterStrong' });
    expect(rename.status).toBe(200);

    // Routine refreshes (every TTL of 1 s) still read the lagging metadata.
    const refreshedBefore = server.cache.peek()?.loadedAt ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await navProperty()).toBe('sprk_Matter');
    expect(server.cache.peek()?.loadedAt ?? 0).toBeGreaterThan(refreshedBefore);

    // The browser client's reload after 0x80048d19: Cache-Control: no-cache, which the server turns into Consistency: Strong.
    expect(await navProperty({ 'Cache-Control': 'no-cache' })).toBe('sprk_MatterStrong');
    await harness.closeServers();
  });
});
