import { NavMapError, type NavMapResponse } from '@sdap/navmap-sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NavMapCache } from './NavMapCache.js';

/** The cache when Dataverse is slow, throttling or down: bounded forced refreshes and an honest state. */
function navMap(navProperty = 'sprk_Matter'): NavMapResponse {
  return {
    version: '1',
    environment: 'https://org.crm.dynamics.com',
    childEntity: 'sprk_document',
    generatedAt: new Date().toISOString(),
    parents: { sprk_matter: { entitySet: 'sprk_matters', lookupAttribute: 'sprk_matter', navProperty, collectionNavProperty: 'sprk_matter_document' } },
    errors: {},
  };
}

/** Loads that settle only when the test says so: a Dataverse that is as slow as the test wants. */
function heldLoader() {
  const pending: { resolve: (map: NavMapResponse) => void; reject: (error: unknown) => void }[] = [];
  const load = vi.fn(() => new Promise<NavMapResponse>((resolve, reject) => pending.push({ resolve, reject })));
  const next = () => {
    const call = pending.shift();
    if (call === undefined) throw new Error('no load in flight');
    return call;
  };
  return { load, answer: (map = navMap()) => next().resolve(map), fail: (error: unknown = new NavMapError('dataverse_throttled', 'throttled')) => next().reject(error) };
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-12-02T10:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('NavMapCache under a slow or throttling Dataverse', () => {
  it('answers a forced refresh with the current map after forcedRefreshTimeoutSeconds, and takes the late map when it comes', async () => {
    const loader = heldLoader();
    const cache = new NavMapCache({ load: loader.load, ttlSeconds: 300, forcedRefreshTimeoutSeconds: 2, minForcedRefreshIntervalSeconds: 0 });
    const warming = cache.warm();
    loader.answer(navMap('sprk_Matter'));
    await warming;

    let settled = false;
    const forced = cache.refreshNow().finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(1_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const answer = await forced;
    expect(answer.origin).toBe('cache');
    expect(answer.entry.map.parents.sprk_matter?.navProperty).toBe('sprk_Matter');

    // The load went on in the background (one load: a second forced refresh joins it) and its map is used.
    const joined = cache.refreshNow();
    expect(loader.load).toHaveBeenCalledTimes(2);
    loader.answer(navMap('sprk_MatterLate'));
    expect((await joined).entry.map.parents.sprk_matter?.navProperty).toBe('sprk_MatterLate');
    cache.close();
  });

  it('answers a forced refresh on a cold cache with server_unavailable after the timeout, not after the load', async () => {
    const loader = heldLoader();
    const cache = new NavMapCache({ load: loader.load, forcedRefreshTimeoutSeconds: 1 });
    const forced = cache.refreshNow().then(
      () => undefined,
      (error: unknown) => error as NavMapError,
    );
    await vi.advanceTimersByTimeAsync(1_000);
    const error = await forced;
    expect(error?.code).toBe('server_unavailable');
    expect(error?.details.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(error?.message).toMatch(/still loading/);
    loader.answer();
    cache.close();
  });

  it('reports ready, degraded and unavailable, and names the expired map rather than "not available yet"', async () => {
    const loader = heldLoader();
    const cache = new NavMapCache({ load: loader.load, ttlSeconds: 10, refreshAheadSeconds: 2, retrySeconds: 1, maxStaleSeconds: 20 });
    const warming = cache.warm();
    expect(cache.state().state).toBe('loading');
    loader.answer();
    await warming;
    expect(cache.state().state).toBe('ready');

    // Every refresh fails from here on.
    loader.load.mockImplementation(() => Promise.reject(new NavMapError('dataverse_error', 'Dataverse answered 500 at https://org.crm.dynamics.com/api/data/v9.2/EntityDefinitions')));
    await vi.advanceTimersByTimeAsync(11_000);
    expect((await cache.get()).origin).toBe('stale');
    const degraded = cache.state();
    expect(degraded.state).toBe('degraded');
    expect(degraded.lastError?.code).toBe('dataverse_error');

    await vi.advanceTimersByTimeAsync(21_000);
    const unavailable = cache.state();
    expect(unavailable.state).toBe('unavailable');
    expect(unavailable.state === 'unavailable' ? unavailable.lastEntry?.map.generatedAt : undefined).toBeDefined();
    const error = await cache.get().then(
      () => undefined,
      (thrown: unknown) => thrown as NavMapError,
    );
    expect(error?.code).toBe('server_unavailable');
    expect(error?.message).toMatch(/expired more than `cache.maxStaleSeconds` \(20 s\) ago/);
    expect(error?.message).not.toMatch(/available yet/);
    cache.close();
  });
});
