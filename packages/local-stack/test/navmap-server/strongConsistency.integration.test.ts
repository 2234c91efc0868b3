import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NavMapResponse } from '@sdap/navmap-sdk';
import { startLocalStack, type LocalEnvironmentStack } from '../../src/index.js';

/**
 * Dataverse caches metadata for about 30 s after a change; `Consistency: Strong` reads past it. The emulator models
 * the lag (here 60 s, longer than the test) and refuses `or` in relationship filters, as real Dataverse may.
 */
let stack: LocalEnvironmentStack;

beforeAll(async () => {
  stack = await startLocalStack({ navMapOnBff: false, fidelity: { metadataLagMs: 60_000, refuseUnverifiedQueries: true } });
});
afterAll(async () => {
  await stack?.admin.reset({ schema: true });
  await stack?.stop();
});

describe('navmap-server against lagging Dataverse metadata', () => {
  it('serves a renamed navigation property after a forced refresh (Consistency: Strong), not after a routine one', async () => {
    const { server, url } = await stack.startServer({ cache: { ttlSeconds: 1, refreshAheadSeconds: 0, minForcedRefreshIntervalSeconds: 0 } });
    const headers = { Authorization: `Bearer ${await stack.callerToken()}` };
    const navProperty = async (extra: Record<string, string> = {}) => {
      const response = await fetch(`${url}/api/pcf/dataverse-navmap?v=1`, { headers: { ...headers, ...extra } });
      return ((await response.json()) as NavMapResponse).parents.sprk_matter?.navProperty;
    };
    expect(await navProperty()).toBe('sprk_Matter');
    await expect(
      stack.admin.changeRelationship('sprk_matter_document', { ReferencingEntityNavigationPropertyName: 'sprk_MatterStrong' }),
    ).resolves.toMatchObject({ ReferencingEntityNavigationPropertyName: 'sprk_MatterStrong' });

    // Routine refreshes (every TTL of 1 s) still read the lagging metadata.
    const refreshedBefore = server.cache.peek()?.loadedAt ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await navProperty()).toBe('sprk_Matter');
    expect(server.cache.peek()?.loadedAt ?? 0).toBeGreaterThan(refreshedBefore);

    // The browser client's reload after 0x80048d19: Cache-Control: no-cache, which the server turns into Consistency: Strong.
    expect(await navProperty({ 'Cache-Control': 'no-cache' })).toBe('sprk_MatterStrong');
    await stack.stopServers();
  });
});
