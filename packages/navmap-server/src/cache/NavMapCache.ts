import { NavMapError, isNavMapError, type NavMapResponse } from '@sdap/navmap-sdk';
import NodeCache from 'node-cache';
import { SERVER_LIMITS } from '../limits.js';
import { resolveCacheTiming, type CacheTiming } from './cacheTiming.js';
import { navMapETag } from './navMapETag.js';

/** Where an answered map came from, as `X-NavMap-Source` says. */
export type CachedMapOrigin = 'dataverse' | 'cache' | 'stale';

/** A map with its body and ETag, serialized once when it was loaded. */
export interface CachedNavMap {
  readonly map: NavMapResponse;
  /** The exact bytes every 200 answer sends. */
  readonly body: Buffer;
  /** Weak ETag of the map's content, without `generatedAt` (see `navMapETag`). */
  readonly etag: string;
  /** When the map was read from Dataverse (epoch ms). */
  readonly loadedAt: number;
  /** When the map stops being fresh (epoch ms); after that it is served as stale. */
  readonly expiresAt: number;
}

export interface NavMapLookup {
  readonly entry: CachedNavMap;
  readonly origin: CachedMapOrigin;
  /** Whole seconds until the map expires; 0 when stale. */
  readonly secondsLeft: number;
}

/**
 * What the cache can serve now, as `/readyz` reports it: `ready` (a fresh map), `degraded` (only a map past its TTL,
 * served as stale while refreshes fail), `loading` (no map yet, the first load runs), `unavailable` (no map can be
 * served: none was ever loaded, or the last one is older than `maxStaleSeconds`).
 */
export type NavMapCacheState =
  | { readonly state: 'ready'; readonly entry: CachedNavMap; readonly lastError: NavMapError | undefined }
  | { readonly state: 'degraded'; readonly entry: CachedNavMap; readonly lastError: NavMapError | undefined }
  | {
      readonly state: 'loading' | 'unavailable';
      /** The last map this cache held, when it held one: dropped after `maxStaleSeconds`. */
      readonly lastEntry: CachedNavMap | undefined;
      readonly lastError: NavMapError | undefined;
    };

export type NavMapCacheEvent =
  | { readonly type: 'hit' | 'miss' | 'stale' }
  | { readonly type: 'refresh'; readonly durationMs: number; readonly map: NavMapResponse }
  | { readonly type: 'refresh_failed'; readonly durationMs: number; readonly error: NavMapError };

/** How a load must read Dataverse: `strong` reads past Dataverse's ~30 s metadata cache. */
export interface NavMapLoadOptions {
  readonly consistency: 'eventual' | 'strong';
}

export interface NavMapCacheOptions {
  /**
   * Reads the map from Dataverse; typically `(signal, { consistency }) => resolveNavMap({ ..., signal, consistency })`.
   * `consistency` is `strong` for a forced refresh (`refreshNow`), `eventual` for routine refreshes.
   */
  readonly load: (signal: AbortSignal, options: NavMapLoadOptions) => Promise<NavMapResponse>;
  /** Cache key: environment, child, contract version and parent list. @default 'navmap' */
  readonly key?: string;
  /** How long a map is fresh. @default 300 */
  readonly ttlSeconds?: number;
  /** How long after expiry the last good map is still served (as stale) while refreshes fail. @default 3600 */
  readonly maxStaleSeconds?: number;
  /** How long before expiry the background refresh starts. @default min(30, ttlSeconds / 5) */
  readonly refreshAheadSeconds?: number;
  /** Wait after a failed refresh before the next attempt. @default 10 */
  readonly retrySeconds?: number;
  /**
   * `refreshNow()` (a caller's `Cache-Control: no-cache`) reads Dataverse at most once per this many seconds; within
   * the interval it answers the current map. @default 10
   */
  readonly minForcedRefreshIntervalSeconds?: number;
  /**
   * Most time `refreshNow()` waits for Dataverse. A load still running then (a throttle's Retry-After, a slow
   * Dataverse) goes on in the background, and the caller gets the current map (origin `cache` or `stale`), or
   * `server_unavailable` when there is none. @default 3
   */
  readonly forcedRefreshTimeoutSeconds?: number;
  /** Called for every cache event; feeds metrics and logs. */
  readonly onEvent?: (event: NavMapCacheEvent) => void;
  /** The clock (epoch ms). @default Date.now */
  readonly now?: () => number;
}

function toNavMapError(error: unknown): NavMapError {
  if (isNavMapError(error)) return error;
  return new NavMapError('server_unavailable', `Loading the NavMap failed: ${(error as Error).message}`, { cause: error });
}

/** A programming error in `load` (not a Dataverse failure): reported, never turned into a 503. */
function isBug(error: unknown): boolean {
  return error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError || error instanceof SyntaxError;
}

/** Serializes a map once: the body bytes and the ETag of its content. */
export function serializeNavMap(map: NavMapResponse, loadedAt: number, ttlMs: number): CachedNavMap {
  const body = Buffer.from(JSON.stringify(map));
  const etag = navMapETag(map);
  return Object.freeze({ map, body, etag, loadedAt, expiresAt: loadedAt + ttlMs });
}

/**
 * The server's copy of the NavMap. Loads once at warm-up, then refreshes in the background `refreshAheadSeconds`
 * before expiry, one load at a time (single flight), so after warm-up no request waits on Dataverse. The refreshed
 * map takes over when the current one expires, so a schema change shows after the TTL and not before. When refreshes
 * fail, the last good map is served as `stale` for up to `maxStaleSeconds`; with no map at all, `get()` throws
 * `server_unavailable` with a `retryAfterSeconds`.
 *
 * @example
 * const cache = new NavMapCache({ load: (signal) => resolveNavMap({ ...options, signal }), ttlSeconds: 300 });
 * await cache.warm();
 * const { entry, origin } = await cache.get();
 */
export class NavMapCache {
  /** The timings in force (the options over `CACHE_DEFAULTS`). */
  readonly timing: CacheTiming;
  readonly #load: NavMapCacheOptions['load'];
  readonly #key: string;
  readonly #onEvent: (event: NavMapCacheEvent) => void;
  readonly #now: () => number;
  // node-cache holds the current map and drops it once it is older than ttl + maxStale.
  readonly #store: NodeCache;
  #next: CachedNavMap | undefined;
  /** The last map installed, kept after the store dropped it, so readiness and errors can say how old it was. */
  #lastInstalled: CachedNavMap | undefined;
  #inFlight: Promise<CachedNavMap> | undefined;
  #abort = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #lastFailureAt = Number.NEGATIVE_INFINITY;
  #lastForcedAt = Number.NEGATIVE_INFINITY;
  #lastError: NavMapError | undefined;
  #closed = false;

  constructor(options: NavMapCacheOptions) {
    if (typeof options?.load !== 'function') throw NavMapError.invalidOption('load', 'a function returning a Promise of a NavMap', options?.load);
    this.timing = resolveCacheTiming(options);
    this.#load = options.load;
    this.#key = options.key ?? 'navmap';
    this.#onEvent = options.onEvent ?? (() => undefined);
    this.#now = options.now ?? Date.now;
    this.#store = new NodeCache({ useClones: false, checkperiod: 0, deleteOnExpire: true });
  }

  /** The current map (fresh or stale within `maxStaleSeconds`), without loading anything. */
  peek(): CachedNavMap | undefined {
    const entry = this.#store.get<CachedNavMap>(this.#key);
    if (entry === undefined) return undefined;
    if (this.#now() >= entry.expiresAt + this.timing.maxStaleSeconds * 1000) {
      this.#store.del(this.#key);
      return undefined;
    }
    return entry;
  }

  /** True once a map exists that may be served: what `/readyz` reports. */
  isReady(): boolean {
    return this.peek() !== undefined;
  }

  /** What can be served now and why: the readiness `/readyz` reports. No loading, no events. */
  state(): NavMapCacheState {
    const entry = this.peek();
    const lastError = this.#lastError;
    if (entry !== undefined) return { state: this.#now() < entry.expiresAt || this.#next !== undefined ? 'ready' : 'degraded', entry, lastError };
    const loading = this.#inFlight !== undefined && this.#lastInstalled === undefined && lastError === undefined;
    return { state: loading ? 'loading' : 'unavailable', lastEntry: this.#lastInstalled, lastError };
  }

  /** The error of the last failed load, if the last load failed. */
  get lastError(): NavMapError | undefined {
    return this.#lastError;
  }

  /** Loads the first map. Resolves even when the load fails (the error is kept and requests get 503 meanwhile). */
  async warm(): Promise<boolean> {
    try {
      await this.#refresh();
      return true;
    } catch {
      return false;
    }
  }

  /**
   * The map to answer a request with. Waits on Dataverse only when no map exists yet (cold start), and then shares
   * the one load in flight with every other waiting request.
   *
   * @throws {NavMapError} `server_unavailable` (with `retryAfterSeconds`) when no map can be served.
   */
  async get(): Promise<NavMapLookup> {
    const now = this.#now();
    let entry = this.peek();
    if (entry !== undefined && now >= entry.expiresAt) entry = this.#promote(now) ?? entry;
    if (entry !== undefined) {
      if (now < entry.expiresAt) {
        if (now >= entry.expiresAt - this.timing.refreshAheadSeconds * 1000) this.#refreshInBackground(now);
        this.#onEvent({ type: 'hit' });
        return { entry, origin: 'cache', secondsLeft: Math.floor((entry.expiresAt - now) / 1000) };
      }
      this.#refreshInBackground(now);
      this.#onEvent({ type: 'stale' });
      return { entry, origin: 'stale', secondsLeft: 0 };
    }
    this.#onEvent({ type: 'miss' });
    if (this.#inFlight === undefined && now - this.#lastFailureAt < this.timing.retrySeconds * 1000) throw this.#unavailable(now);
    let loaded: CachedNavMap | undefined;
    try {
      // Cold start: every caller waits at most forcedRefreshTimeoutSeconds; the load goes on in the background.
      loaded = await this.#withinForcedRefreshTimeout(this.#refresh());
    } catch (error) {
      if (isNavMapError(error)) throw this.#unavailable(this.#now());
      throw error;
    }
    if (loaded === undefined) throw this.#unavailable(this.#now(), this.timing.forcedRefreshTimeoutSeconds);
    return { entry: loaded, origin: 'dataverse', secondsLeft: Math.floor((loaded.expiresAt - this.#now()) / 1000) };
  }

  /**
   * The map read from Dataverse now, for a caller that knows its copy is out of date (`Cache-Control: no-cache`, sent
   * by the browser client after Dataverse refused a navigation property). Joins a load in flight (single flight);
   * otherwise loads at most once per `minForcedRefreshIntervalSeconds`, and within that interval answers like
   * `get()`, so callers cannot hammer Dataverse. A loaded map replaces the current one at once (origin `dataverse`).
   * When the load fails, answers like `get()` (the stale map, or `server_unavailable`).
   *
   * @example
   * const { entry, origin } = await cache.refreshNow(); // origin 'dataverse' when this call read Dataverse
   */
  async refreshNow(): Promise<NavMapLookup> {
    const now = this.#now();
    if (this.#inFlight === undefined && now - this.#lastForcedAt < this.timing.minForcedRefreshIntervalSeconds * 1000) return this.get();
    if (this.#inFlight === undefined) this.#lastForcedAt = now;
    let loaded: CachedNavMap | undefined;
    try {
      loaded = await this.#withinForcedRefreshTimeout(this.#refresh('strong'));
    } catch (error) {
      if (isBug(error)) throw error;
      return this.get();
    }
    if (loaded === undefined) {
      // Dataverse is slow or throttling: the load goes on in the background; this caller gets what there is now.
      if (this.peek() === undefined) throw this.#unavailable(this.#now(), this.timing.forcedRefreshTimeoutSeconds);
      return this.get();
    }
    // A load that ran ahead of expiry waits as `next`; a forced one takes over now.
    if (this.#next === loaded) {
      this.#next = undefined;
      this.#install(loaded);
    }
    return { entry: loaded, origin: 'dataverse', secondsLeft: Math.floor((loaded.expiresAt - this.#now()) / 1000) };
  }

  /** The load's map, or undefined when it takes longer than `forcedRefreshTimeoutSeconds`. */
  #withinForcedRefreshTimeout(flight: Promise<CachedNavMap>): Promise<CachedNavMap | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.timing.forcedRefreshTimeoutSeconds * 1000);
      timer.unref();
    });
    return Promise.race([flight, timeout]).finally(() => clearTimeout(timer));
  }

  /** Forgets the map so the next `get()` loads a new one (for an operator's "reload now"). */
  invalidate(): void {
    this.#store.del(this.#key);
    this.#next = undefined;
  }

  /** Stops timers and aborts a load in flight. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#abort.abort(new Error('NavMapCache closed'));
    this.#store.close();
  }

  #unavailable(now: number, minimumRetryAfterSeconds = 1): NavMapError {
    const waitMs = Math.max(0, this.#lastFailureAt + this.timing.retrySeconds * 1000 - now);
    const retryAfterSeconds = Math.max(minimumRetryAfterSeconds, Math.ceil(waitMs / 1000));
    // The code only: upstream text (a Dataverse message, URL or query) goes to the logs, not to every caller.
    const reason = this.#lastError ? ` Last error: ${this.#lastError.code}; the server logs say more.` : '';
    const last = this.#lastInstalled;
    const what =
      last === undefined
        ? this.#lastError === undefined
          ? 'No NavMap is available yet: the first one is still loading from Dataverse.'
          : 'No NavMap is available yet: Dataverse could not be read.'
        : `No NavMap can be served: the last one (generated at ${last.map.generatedAt}) expired more than \`cache.maxStaleSeconds\` (${this.timing.maxStaleSeconds} s) ago and Dataverse could not be read since.`;
    return new NavMapError('server_unavailable', `${what}${reason}`, {
      retryAfterSeconds,
      ...(this.#lastError ? { cause: this.#lastError } : {}),
    });
  }

  /** At expiry, the prefetched map (if any) becomes current. */
  #promote(now: number): CachedNavMap | undefined {
    const next = this.#next;
    const current = this.#store.get<CachedNavMap>(this.#key);
    if (next === undefined || current === undefined || now < current.expiresAt) return undefined;
    this.#next = undefined;
    const start = Math.max(now, current.expiresAt);
    const promoted = Object.freeze({ ...next, expiresAt: start + this.timing.ttlSeconds * 1000 });
    this.#install(promoted);
    return promoted;
  }

  #install(entry: CachedNavMap): void {
    this.#lastInstalled = entry;
    this.#store.set(this.#key, entry, (entry.expiresAt - this.#now()) / 1000 + this.timing.maxStaleSeconds + 1);
    this.#schedule(entry.expiresAt - this.timing.refreshAheadSeconds * 1000);
  }

  #schedule(at: number): void {
    if (this.#closed) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#tick(), Math.max(0, at - this.#now()));
    this.#timer.unref();
  }

  #tick(): void {
    const now = this.#now();
    const current = this.#store.get<CachedNavMap>(this.#key);
    if (current !== undefined && now >= current.expiresAt && this.#promote(now) !== undefined) return;
    if (this.#next !== undefined && current !== undefined) {
      this.#schedule(current.expiresAt);
      return;
    }
    // A timer may fire a millisecond before Date.now() says the retry wait is over; without a new timer the
    // retries would stop until a request came in.
    const retryAt = this.#lastFailureAt + this.timing.retrySeconds * 1000;
    if (this.#inFlight === undefined && now < retryAt) {
      this.#schedule(retryAt + 1);
      return;
    }
    this.#refreshInBackground(now);
  }

  #refreshInBackground(now: number): void {
    if (this.#inFlight !== undefined || this.#next !== undefined || this.#closed) return;
    if (now - this.#lastFailureAt < this.timing.retrySeconds * 1000) return;
    this.#refresh().catch(() => undefined);
  }

  /** One load at a time: every caller during a load gets the same promise (a forced call joins a routine load). */
  #refresh(consistency: NavMapLoadOptions['consistency'] = 'eventual'): Promise<CachedNavMap> {
    if (this.#inFlight !== undefined) return this.#inFlight;
    const started = this.#now();
    const flight = (async () => {
      try {
        const map = await this.#load(this.#abort.signal, { consistency });
        const now = this.#now();
        const durationMs = now - started;
        const entry = serializeNavMap(map, now, this.timing.ttlSeconds * 1000);
        if (entry.body.length > SERVER_LIMITS.maxMapBytes) {
          throw new NavMapError(
            'invalid_response',
            `The NavMap read from Dataverse is ${entry.body.length} bytes; the server serves at most ${SERVER_LIMITS.maxMapBytes}. Check \`parents\` and the relationships Dataverse returns.`,
          );
        }
        const current = this.#store.get<CachedNavMap>(this.#key);
        this.#lastError = undefined;
        this.#lastFailureAt = Number.NEGATIVE_INFINITY;
        this.#onEvent({ type: 'refresh', durationMs, map });
        if (current !== undefined && now < current.expiresAt) {
          // Loaded ahead of expiry: it takes over when the current map expires.
          this.#next = entry;
          this.#schedule(current.expiresAt);
          return entry;
        }
        this.#next = undefined;
        this.#install(entry);
        return entry;
      } catch (error) {
        const navMapError = toNavMapError(error);
        const now = this.#now();
        this.#lastError = navMapError;
        this.#lastFailureAt = now;
        this.#onEvent({ type: 'refresh_failed', durationMs: now - started, error: navMapError });
        this.#schedule(now + this.timing.retrySeconds * 1000);
        throw isBug(error) ? error : navMapError;
      } finally {
        this.#inFlight = undefined;
      }
    })();
    this.#inFlight = flight;
    return flight;
  }
}
