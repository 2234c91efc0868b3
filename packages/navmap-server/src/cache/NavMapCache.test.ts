import { NavMapError, type NavMapResponse } from '@sdap/navmap-sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NavMapCache, type NavMapCacheEvent, type NavMapCacheOptions } from './NavMapCache.js';

function navMap(navProperty = 'sprk_Matter'): NavMapResponse {
  return {
    version: '1',
    environment: 'https://org.crm.dynamics.com',
    childEntity: 'sprk_document',
    generatedAt: new Date().toISOString(),
    parents: {
      sprk_matter: { entitySet: 'sprk_matters', lookupAttribute: 'sprk_matter', navProperty, collectionNavProperty: 'sprk_matter_document' },
    },
    errors: {},
  };
}

/** A resolver whose answers the test controls: each call waits until the test settles it. */
function controlledLoader() {
  const calls: { resolve: (map: NavMapResponse) => void; reject: (error: unknown) => void }[] = [];
  const load = vi.fn(
    () =>
      new Promise<NavMapResponse>((resolve, reject) => {
        calls.push({ resolve, reject });
      }),
  );
  return {
    load,
    calls,
    answer(map: NavMapResponse = navMap()) {
      const call = calls.shift();
      if (call === undefined) throw new Error('no load in flight');
      call.resolve(map);
    },
    fail(error: unknown = new NavMapError('network_error', 'Dataverse down')) {
      const call = calls.shift();
      if (call === undefined) throw new Error('no load in flight');
      call.reject(error);
    },
  };
}

const flush = () => vi.advanceTimersByTimeAsync(0);

/** A cache whose first load answered `map` (the start of most tests), with the loader for the loads after it. */
async function warmCache(options: Omit<NavMapCacheOptions, 'load'>, map: NavMapResponse = navMap()) {
  const loader = controlledLoader();
  const cache = new NavMapCache({ load: loader.load, ...options });
  const warming = cache.warm();
  loader.answer(map);
  await expect(warming).resolves.toBe(true);
  return { loader, cache };
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-11-28T10:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('NavMapCache', () => {
  it('shares one load between every request on a cold cache (single flight)', async () => {
    const loader = controlledLoader();
    const cache = new NavMapCache({ load: loader.load, ttlSeconds: 300 });
    const pending = Array.from({ length: 1000 }, () => cache.get());
    expect(loader.load).toHaveBeenCalledTimes(1);
    loader.answer();
    const results = await Promise.all(pending);
    expect(new Set(results.map((result) => result.entry)).size).toBe(1);
    expect(results.every((result) => result.origin === 'dataverse')).toBe(true);
    cache.close();
  });

  it('serves hits from memory with the same serialized body and ETag, and the seconds left', async () => {
    const { loader, cache } = await warmCache({ ttlSeconds: 300 });
    await vi.advanceTimersByTimeAsync(100_000);
    const first = await cache.get();
    const second = await cache.get();
    expect(first.origin).toBe('cache');
    expect(first.secondsLeft).toBe(200);
    expect(second.entry.body).toBe(first.entry.body);
    expect(first.entry.etag).toMatch(/^W\/"[A-Za-z0-9_-]{32}"$/);
    expect(JSON.parse(first.entry.body.toString())).toEqual(first.entry.map);
    expect(loader.load).toHaveBeenCalledTimes(1);
    cache.close();
  });

  it('refreshes in the background ahead of expiry without making requests wait', async () => {
    const { loader, cache } = await warmCache({ ttlSeconds: 300, refreshAheadSeconds: 30 });
    await vi.advanceTimersByTimeAsync(269_000);
    expect(loader.load).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(loader.load).toHaveBeenCalledTimes(2);
    // The refresh is still in flight: requests get the current map at once.
    const during = await cache.get();
    expect(during.origin).toBe('cache');
    expect(loader.load).toHaveBeenCalledTimes(2);
    cache.close();
  });

  it('shows a changed map after the TTL and not before', async () => {
    const { loader, cache } = await warmCache({ ttlSeconds: 300, refreshAheadSeconds: 30 }, navMap('sprk_Matter'));
    await vi.advanceTimersByTimeAsync(270_000);
    loader.answer(navMap('sprk_MatterRenamed'));
    await flush();
    await vi.advanceTimersByTimeAsync(29_000);
    expect((await cache.get()).entry.map.parents.sprk_matter?.navProperty).toBe('sprk_Matter');
    await vi.advanceTimersByTimeAsync(1_000);
    const after = await cache.get();
    expect(after.entry.map.parents.sprk_matter?.navProperty).toBe('sprk_MatterRenamed');
    expect(after.origin).toBe('cache');
    expect(after.secondsLeft).toBe(300);
    expect(loader.load).toHaveBeenCalledTimes(2);
    cache.close();
  });

  it('makes one load per TTL window however many requests arrive', async () => {
    const load = vi.fn(() => Promise.resolve(navMap()));
    const cache = new NavMapCache({ load, ttlSeconds: 60, refreshAheadSeconds: 10 });
    await cache.warm();
    for (let second = 0; second < 600; second++) {
      await Promise.all(Array.from({ length: 20 }, () => cache.get()));
      await vi.advanceTimersByTimeAsync(1_000);
    }
    // 600 s / 60 s windows: the warm-up plus one refresh per window.
    expect(load.mock.calls.length).toBeGreaterThanOrEqual(10);
    expect(load.mock.calls.length).toBeLessThanOrEqual(11);
    cache.close();
  });

  it('serves the last good map as stale while refreshes fail, up to maxStaleSeconds, then answers unavailable', async () => {
    const events: NavMapCacheEvent['type'][] = [];
    const loader = controlledLoader();
    const cache = new NavMapCache({
      load: loader.load,
      ttlSeconds: 60,
      refreshAheadSeconds: 10,
      maxStaleSeconds: 120,
      retrySeconds: 20,
      onEvent: (event) => events.push(event.type),
    });
    const warming = cache.warm();
    loader.answer();
    await warming;
    await vi.advanceTimersByTimeAsync(50_000);
    loader.fail();
    await flush();
    await vi.advanceTimersByTimeAsync(15_000);
    const stale = await cache.get();
    expect(stale).toMatchObject({ origin: 'stale', secondsLeft: 0 });
    expect(events).toContain('refresh_failed');
    expect(events).toContain('stale');
    // Retries are spaced by retrySeconds: one attempt in flight, none piling up.
    expect(loader.calls.length).toBeLessThanOrEqual(1);
    while (loader.calls.length > 0) loader.fail();
    await vi.advanceTimersByTimeAsync(100_000);
    while (loader.calls.length > 0) loader.fail();
    await flush();
    expect(cache.isReady()).toBe(true);
    await vi.advanceTimersByTimeAsync(20_000);
    while (loader.calls.length > 0) loader.fail();
    await flush();
    // 60 s TTL + 120 s max staleness have passed.
    expect(cache.isReady()).toBe(false);
    await expect(cache.get()).rejects.toMatchObject({ code: 'server_unavailable' });
    cache.close();
  });

  it('recovers from stale when a retry succeeds', async () => {
    const { loader, cache } = await warmCache({ ttlSeconds: 60, refreshAheadSeconds: 10, retrySeconds: 5 }, navMap('sprk_Matter'));
    await vi.advanceTimersByTimeAsync(50_000);
    loader.fail();
    await vi.advanceTimersByTimeAsync(5_000);
    loader.fail();
    await vi.advanceTimersByTimeAsync(6_000);
    expect((await cache.get()).origin).toBe('stale');
    loader.answer(navMap('sprk_Matter2'));
    await flush();
    const fresh = await cache.get();
    expect(fresh.origin).toBe('cache');
    expect(fresh.entry.map.parents.sprk_matter?.navProperty).toBe('sprk_Matter2');
    cache.close();
  });

  it('answers server_unavailable with Retry-After seconds when nothing was ever loaded, without hammering Dataverse', async () => {
    const loader = controlledLoader();
    const cache = new NavMapCache({ load: loader.load, retrySeconds: 10 });
    const warming = cache.warm();
    loader.fail(new NavMapError('dataverse_error', 'Dataverse answered 503'));
    await expect(warming).resolves.toBe(false);
    expect(cache.isReady()).toBe(false);
    const error = (await cache.get().catch((thrown: unknown) => thrown)) as NavMapError;
    expect(error).toMatchObject({ code: 'server_unavailable', details: { retryAfterSeconds: 10 } });
    // Callers get the code; Dataverse's own text (it can be megabytes) stays in the logs.
    expect(error.message).toContain('dataverse_error');
    expect(error.message).not.toContain('Dataverse answered 503');
    expect(loader.load).toHaveBeenCalledTimes(1);
    // After retrySeconds the background retry loads the map and the cache becomes ready by itself.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(loader.load).toHaveBeenCalledTimes(2);
    loader.answer();
    await flush();
    expect(cache.isReady()).toBe(true);
    cache.close();
  });

  it('bounds every cold-start wait by forcedRefreshTimeoutSeconds and lets the load go on in the background', async () => {
    const loader = controlledLoader();
    const cache = new NavMapCache({ load: loader.load, forcedRefreshTimeoutSeconds: 3 });
    const waiting = cache.get().catch((thrown: unknown) => thrown);
    await vi.advanceTimersByTimeAsync(3_000);
    const error = (await waiting) as NavMapError;
    expect(error).toMatchObject({ code: 'server_unavailable', details: { retryAfterSeconds: 3 } });
    expect(loader.load).toHaveBeenCalledTimes(1);
    loader.answer();
    await flush();
    await expect(cache.get()).resolves.toMatchObject({ origin: 'cache' });
    cache.close();
  });

  it('refuses a map larger than the server serves and keeps serving the last one', async () => {
    const { loader, cache } = await warmCache({ ttlSeconds: 10, refreshAheadSeconds: 0, retrySeconds: 1 });
    await vi.advanceTimersByTimeAsync(10_000);
    const huge = navMap();
    loader.answer({ ...huge, errors: { account: { code: 'ambiguous_relationship', message: 'x'.repeat(2_000_000) } } } as NavMapResponse);
    await flush();
    expect(cache.lastError?.code).toBe('invalid_response');
    const lookup = await cache.get();
    expect(lookup.origin).toBe('stale');
    expect(lookup.entry.body.length).toBeLessThan(10_000);
    cache.close();
  });

  it('does not turn a programming error in load into a 503', async () => {
    const cache = new NavMapCache({
      load: () => {
        throw new TypeError('cannot read properties of undefined');
      },
    });
    await expect(cache.get()).rejects.toBeInstanceOf(TypeError);
    cache.close();
  });

  it('validates its options, naming the option', () => {
    expect(() => new NavMapCache({ load: () => Promise.resolve(navMap()), ttlSeconds: 10, refreshAheadSeconds: 10 })).toThrow(/`refreshAheadSeconds`/);
    expect(() => new NavMapCache({ load: () => Promise.resolve(navMap()), ttlSeconds: -1 })).toThrow(/`ttlSeconds`/);
    expect(() => new NavMapCache({} as never)).toThrow(/`load`/);
    expect(() => new NavMapCache({ load: () => Promise.resolve(navMap()), minForcedRefreshIntervalSeconds: -1 })).toThrow(/`minForcedRefreshIntervalSeconds`/);
  });

  it('refreshNow reads Dataverse at once, replaces the map before its TTL, and only once per minimum interval', async () => {
    const { loader, cache } = await warmCache({ ttlSeconds: 300, minForcedRefreshIntervalSeconds: 10 }, navMap('sprk_Matter'));
    await vi.advanceTimersByTimeAsync(1_000);

    const forced = cache.refreshNow();
    const joined = cache.refreshNow(); // during the load: the same load, not a second one
    expect(loader.load).toHaveBeenCalledTimes(2);
    loader.answer(navMap('sprk_MatterRenamed'));
    const [first, second] = await Promise.all([forced, joined]);
    expect(first.origin).toBe('dataverse');
    expect(second.entry).toBe(first.entry);
    expect(first.entry.map.parents.sprk_matter?.navProperty).toBe('sprk_MatterRenamed');
    const now = await cache.get();
    expect(now.origin).toBe('cache');
    expect(now.entry.map.parents.sprk_matter?.navProperty).toBe('sprk_MatterRenamed');

    await vi.advanceTimersByTimeAsync(5_000);
    const limited = await cache.refreshNow();
    expect(loader.load).toHaveBeenCalledTimes(2);
    expect(limited).toMatchObject({ origin: 'cache', entry: first.entry });

    await vi.advanceTimersByTimeAsync(5_000);
    const again = cache.refreshNow();
    expect(loader.load).toHaveBeenCalledTimes(3);
    loader.answer(navMap('sprk_MatterThird'));
    expect((await again).entry.map.parents.sprk_matter?.navProperty).toBe('sprk_MatterThird');
    cache.close();
  });

  it('refreshNow answers the current map when the forced load fails', async () => {
    const { loader, cache } = await warmCache({ ttlSeconds: 300, minForcedRefreshIntervalSeconds: 0 });
    const forced = cache.refreshNow();
    loader.fail();
    const answer = await forced;
    expect(answer.origin).toBe('cache');
    expect(cache.lastError?.code).toBe('network_error');
    cache.close();
  });
});
