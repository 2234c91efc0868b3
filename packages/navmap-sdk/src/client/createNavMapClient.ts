import { isNavMapError, NavMapError } from '../contract/NavMapError.js';
import { normalizeGuid } from '../contract/normalizeGuid.js';
import { toODataBind, type ODataBind } from '../contract/toODataBind.js';
import type { NavEntry, NavMapResponse } from '../contract/types.js';
import { createDegradingStorage } from './createDegradingStorage.js';
import { fetchNavMap } from './fetchNavMap.js';
import { isUndeclaredPropertyError } from './isUndeclaredPropertyError.js';
import type {
  NavMapClientEvent,
  NavMapLayerFailureReason,
  NavMapSource,
  NavMapTrackedEvent,
} from './NavMapClientEvent.js';
import type { NavMapCacheEntry, NavMapStorage } from './NavMapStorage.js';
import {
  resolveNavMapClientOptions,
  type NavMapClientOptions,
  type ResolvedNavMapClientOptions,
} from './resolveNavMapClientOptions.js';
import { sharedNavMapState, type HeldNavMap } from './sharedNavMapState.js';
import { isQuotaExceededError } from './storageErrors.js';
import { navMapCacheKey, validateCacheEntry } from './validateCacheEntry.js';

/** A map as `load()` returns it. */
export interface NavMapLoadResult {
  readonly map: NavMapResponse;
  readonly source: NavMapSource;
  /** Since the server sent or confirmed the map; for the fallback, since its `generatedAt`. */
  readonly ageMs: number;
}

/** One parent's entry with where its map came from. */
export interface NavEntryWithSource extends NavEntry {
  readonly source: NavMapSource;
  readonly ageMs: number;
}

export interface NavMapLoadOptions {
  /** Skip the memory copy and the persistent cache and ask the server (the cache stays the fallback). @default false */
  readonly refresh?: boolean;
}

export interface NavMapClient {
  /** The validated, frozen options. */
  readonly options: ResolvedNavMapClientOptions;
  /**
   * Resolves the map: memory, persistent cache, server, a stale cache entry, the bundled fallback. Every client on
   * the page with the same baseUrl, environment and child entity shares one load and one memory copy.
   * @throws {NavMapError} `server_unavailable` when no layer has a map.
   */
  load(options?: NavMapLoadOptions): Promise<NavMapLoadResult>;
  /** The entry for a parent from the map already in memory; `undefined` before a load or for an unknown parent. */
  getNavEntry(parent: string): NavEntryWithSource | undefined;
  /**
   * The entry for a parent, loading the map first if needed.
   * @throws {NavMapError} `unsupported_parent` naming the parent and listing those available.
   */
  requireNavEntry(parent: string): Promise<NavEntryWithSource>;
  /**
   * The `@odata.bind` property linking a new child record to `parent` record `id`.
   * @throws {NavMapError} `invalid_guid` (checked before any loading) or `unsupported_parent`.
   */
  bind(parent: string, id: string): Promise<ODataBind>;
  /** Forgets the map: the page's memory copy and the persistent cache entry. */
  invalidate(): Promise<void>;
  /**
   * Runs `operation`; if it fails with Dataverse's 400 `0x80048d19` (the bind's navigation property does not exist),
   * invalidates, reloads from the server past all caches and runs it exactly once more. Other errors pass through.
   */
  withBindRetry<T>(operation: (client: NavMapClient) => Promise<T>): Promise<T>;
  /** Reports a `DocumentCreated` or `DocumentCreateFailed` event through `onEvent` and the logger. */
  track(event: NavMapTrackedEvent): void;
}

function describe(error: unknown): string {
  if (error instanceof DOMException) return `${error.name}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 1000)} s`;
}

function parentList(map: NavMapResponse): string {
  return Object.keys(map.parents).sort().join(', ') || '(none)';
}

/**
 * Creates the browser client a PCF control uses to get `@odata.bind` keys. Options are validated here, once.
 *
 * @throws {NavMapError} `invalid_config` naming the bad option.
 * @example
 * const client = createNavMapClient({
 *   baseUrl: 'https://bff.contoso.com',
 *   getAccessToken: createMsalTokenProvider({ msal, scopes: ['api://navmap-bff/NavMap.Read'] }),
 *   environment: 'https://org.crm.dynamics.com',
 *   fallback: bundledNavMap,
 * });
 * void client.load(); // in init, without blocking
 * await client.withBindRetry(async (navMap) =>
 *   context.webAPI.createRecord('sprk_document', { ...fields, ...(await navMap.bind('sprk_matter', recordId)) }),
 * );
 */
export function createNavMapClient(options: NavMapClientOptions): NavMapClient {
  const resolved = resolveNavMapClientOptions(options);
  const { environment, childEntity, ttlMs, maxStaleMs, logger } = resolved;
  const cacheKey = navMapCacheKey(environment, childEntity);
  const state = sharedNavMapState(`${resolved.baseUrl}\n${environment}\n${childEntity}`);
  const label = `${childEntity} map for ${environment}`;

  function emit(event: NavMapClientEvent): void {
    try {
      resolved.onEvent?.(event);
    } catch {
      // Telemetry must never break a load.
    }
  }

  function layerFailed(layer: NavMapSource, reason: NavMapLayerFailureReason, message: string): void {
    emit({ name: 'NavMapLayerFailed', environment, childEntity, layer, reason, message });
  }

  const storage: NavMapStorage =
    typeof resolved.storage === 'string'
      ? createDegradingStorage(resolved.storage, (from, to, error) => {
          const message = `${from} storage is unavailable (${describe(error)}); caching in ${to} instead`;
          logger.warn(`[NavMapClient] ${message}.`);
          layerFailed('cache', 'storage_unavailable', message);
        })
      : resolved.storage;

  function storageFailed(action: string, error: unknown): void {
    if (!(error instanceof DOMException)) throw error;
    const reason = isQuotaExceededError(error) ? 'quota_exceeded' : 'storage_unavailable';
    const message = `could not ${action} the cached ${label} (${describe(error)})`;
    logger.warn(`[NavMapClient] Warning: ${message}; the map stays in memory.`);
    layerFailed('cache', reason, message);
  }

  async function removeCache(): Promise<void> {
    try {
      await storage.del(cacheKey);
    } catch (error) {
      storageFailed('remove', error);
    }
  }

  async function readCache(): Promise<NavMapCacheEntry | undefined> {
    let value: unknown;
    try {
      value = await storage.get(cacheKey);
    } catch (error) {
      storageFailed('read', error);
      return undefined;
    }
    if (value === undefined) return undefined;
    const check = validateCacheEntry(value, environment, childEntity, Date.now());
    if (check.valid) return check.entry;
    logger.warn(`[NavMapClient] Dropped the cached ${label}: ${check.message}.`);
    layerFailed('cache', check.reason, check.message);
    await removeCache();
    return undefined;
  }

  async function writeCache(held: HeldNavMap): Promise<void> {
    try {
      await storage.set(cacheKey, { map: held.map, etag: held.etag, storedAt: held.storedAt });
    } catch (error) {
      storageFailed('store', error);
    }
  }

  function hold(map: NavMapResponse, source: NavMapSource, etag: string | null, storedAt: number): HeldNavMap {
    // The fallback's age is its generatedAt, but its freshness counts from when it was chosen.
    const base = source === 'fallback' ? Date.now() : storedAt;
    return { map, source, etag, storedAt, freshUntil: base + ttlMs, staleUntil: base + maxStaleMs };
  }

  function ageOf(held: HeldNavMap): number {
    return Math.max(0, Date.now() - held.storedAt);
  }

  function resultOf(held: HeldNavMap): NavMapLoadResult {
    return { map: held.map, source: held.source, ageMs: ageOf(held) };
  }

  function commit(held: HeldNavMap, generation: number): void {
    if (state.generation === generation) state.held = held;
  }

  function checkServerMap(map: NavMapResponse): void {
    if (map.environment !== environment) {
      throw new NavMapError(
        'invalid_response',
        `The NavMap server serves environment ${map.environment}, but the client's \`environment\` is ${environment}.`,
      );
    }
    if (map.childEntity !== undefined && map.childEntity !== childEntity) {
      throw new NavMapError('invalid_response', `The NavMap server serves child entity ${map.childEntity}, not ${childEntity}.`);
    }
    // A map without parents could resolve nothing (validation matrix 8.1): the next layer is a better answer.
    if (Object.keys(map.parents).length === 0) {
      const reasons = Object.entries(map.errors ?? {}).map(([parent, error]) => `${parent}: ${error.code}`);
      throw new NavMapError(
        'invalid_response',
        `The NavMap server sent a map with no parents${reasons.length > 0 ? ` (${reasons.join(', ')})` : ''}; check the server's \`parents\` configuration.`,
      );
    }
  }

  function reportLoaded(held: HeldNavMap, started: number, note: string, level: 'log' | 'warn'): void {
    const durationMs = Math.round((performance.now() - started) * 100) / 100;
    const ageMs = ageOf(held);
    const entityCount = Object.keys(held.map.parents).length;
    emit({ name: 'NavMapLoaded', environment, childEntity, layer: held.source, durationMs, entityCount, ageMs });
    logger[level](
      `[NavMapClient] ${note} in ${seconds(durationMs)}: ${label}, ${entityCount} parents (${parentList(held.map)}), age ${seconds(ageMs)}.`,
    );
  }

  function revalidateInBackground(held: HeldNavMap): void {
    if (state.revalidating) return;
    const generation = state.generation;
    const started = performance.now();
    const run = (async () => {
      try {
        const response = await fetchNavMap({ ...resolved, etag: held.etag });
        let next: HeldNavMap;
        if (response.status === 304) {
          next = hold(held.map, held.source, held.etag, Date.now());
        } else {
          checkServerMap(response.map);
          next = hold(response.map, 'server', response.etag, Date.now());
        }
        const changed = JSON.stringify(next.map) !== JSON.stringify(held.map);
        await writeCache(next);
        commit(next, generation);
        const durationMs = Math.round((performance.now() - started) * 100) / 100;
        emit({ name: 'NavMapRevalidated', environment, childEntity, status: response.status, changed, durationMs });
        logger.log(
          `[NavMapClient] Revalidated the ${label}: ${response.status === 304 ? 'not modified (304)' : changed ? 'updated' : 'unchanged'}.`,
        );
      } catch (error) {
        if (!isNavMapError(error)) {
          logger.error(`[NavMapClient] Revalidation of the ${label} failed unexpectedly: ${describe(error)}`);
          return;
        }
        layerFailed('server', error.code, error.message);
        logger.warn(`[NavMapClient] Revalidation of the ${label} failed (${error.code}); keeping the map in use.`);
      } finally {
        state.revalidating = undefined;
      }
    })();
    state.revalidating = run;
  }

  async function resolveLayers(refresh: boolean): Promise<HeldNavMap> {
    const started = performance.now();
    const generation = state.generation;
    const cached = await readCache();
    if (cached && !refresh) {
      const held = hold(cached.map, 'cache', cached.etag, cached.storedAt);
      const now = Date.now();
      if (now <= held.staleUntil) {
        commit(held, generation);
        const fresh = now <= held.freshUntil;
        reportLoaded(held, started, fresh ? 'Loaded from the cache' : 'Loaded a stale map from the cache, revalidating', 'log');
        if (!fresh) revalidateInBackground(held);
        return held;
      }
    }

    let serverError: NavMapError;
    try {
      const response = await fetchNavMap({ ...resolved, etag: refresh ? undefined : cached?.etag, noCache: refresh });
      let held: HeldNavMap;
      if (response.status === 304) {
        if (!cached) throw new NavMapError('invalid_response', 'The NavMap server answered 304 to a request without If-None-Match.');
        held = hold(cached.map, 'server', cached.etag, Date.now());
      } else {
        checkServerMap(response.map);
        held = hold(response.map, 'server', response.etag, Date.now());
      }
      await writeCache(held);
      commit(held, generation);
      reportLoaded(held, started, 'Loaded from the server', 'log');
      return held;
    } catch (error) {
      if (!isNavMapError(error)) throw error;
      serverError = error;
      layerFailed('server', error.code, error.message);
    }

    const failure = `The NavMap server failed (${serverError.code}: ${serverError.message})`;
    if (cached) {
      const held = hold(cached.map, 'cache', cached.etag, cached.storedAt);
      commit(held, generation);
      reportLoaded(held, started, `${failure}; using an old cache entry`, 'warn');
      return held;
    }
    if (resolved.fallback) {
      const fallback = resolved.fallback;
      const held = hold(fallback, 'fallback', null, Date.parse(fallback.generatedAt));
      commit(held, generation);
      reportLoaded(held, started, `${failure}; using the bundled fallback`, 'warn');
      return held;
    }
    const message = `${failure}, no cache entry exists and no \`fallback\` is bundled: no ${label}.`;
    logger.error(`[NavMapClient] ${message}`);
    throw new NavMapError('server_unavailable', message, { cause: serverError, ...(serverError.details.status === undefined ? {} : { status: serverError.details.status }) });
  }

  async function load(loadOptions: NavMapLoadOptions = {}): Promise<NavMapLoadResult> {
    const refresh = loadOptions.refresh === true;
    if (!refresh) {
      const held = state.held;
      const now = Date.now();
      if (held && now <= held.freshUntil) return resultOf(held);
      if (held && now <= held.staleUntil) {
        revalidateInBackground(held);
        return resultOf(held);
      }
      if (state.loading) return resultOf(await state.loading);
    }
    const loading = resolveLayers(refresh);
    state.loading = loading;
    const clear = (): void => {
      if (state.loading === loading) state.loading = undefined;
    };
    loading.then(clear, clear);
    return resultOf(await loading);
  }

  function entryOf(result: NavMapLoadResult | HeldNavMap, parent: string): NavEntryWithSource | undefined {
    const name = typeof parent === 'string' ? parent.trim().toLowerCase() : '';
    if (!Object.hasOwn(result.map.parents, name)) return undefined;
    const entry = result.map.parents[name] as NavEntry;
    const ageMs = 'ageMs' in result ? result.ageMs : ageOf(result);
    return { ...entry, source: result.source, ageMs };
  }

  async function requireNavEntry(parent: string): Promise<NavEntryWithSource> {
    const result = await load();
    const entry = entryOf(result, parent);
    if (entry) return entry;
    const name = typeof parent === 'string' ? parent.trim().toLowerCase() : String(parent);
    const unresolved = result.map.errors?.[name];
    const available = Object.keys(result.map.parents).sort();
    throw new NavMapError(
      'unsupported_parent',
      `NavMap has no entry for parent \`${String(parent)}\`${unresolved ? ` (${unresolved.code}: ${unresolved.message})` : ''}` +
        ` in the ${label} (from ${result.source}). Available parents: ${available.join(', ') || '(none)'}.`,
      { entity: name, available },
    );
  }

  async function invalidate(): Promise<void> {
    state.generation += 1;
    state.held = undefined;
    state.loading = undefined;
    await removeCache();
  }

  const client: NavMapClient = {
    options: resolved,
    load,
    getNavEntry: (parent) => (state.held ? entryOf(state.held, parent) : undefined),
    requireNavEntry,
    async bind(parent, id) {
      const guid = normalizeGuid(id);
      return toODataBind(await requireNavEntry(parent), guid);
    },
    invalidate,
    async withBindRetry(operation) {
      try {
        return await operation(client);
      } catch (error) {
        if (!isUndeclaredPropertyError(error)) throw error;
        logger.warn(
          `[NavMapClient] Dataverse refused a bind (0x80048d19: ${describe(error)}); reloading the ${label} from the server and retrying once.`,
        );
        await invalidate();
        let reloaded: NavMapLoadResult;
        try {
          reloaded = await load({ refresh: true });
        } catch {
          throw error;
        }
        if (reloaded.source !== 'server') {
          logger.error(`[NavMapClient] Could not reload the ${label} from the server; not retrying the bind.`);
          throw error;
        }
        return operation(client);
      }
    },
    track(event) {
      if (event.name !== 'DocumentCreated' && event.name !== 'DocumentCreateFailed') {
        throw new NavMapError('invalid_config', `track() takes DocumentCreated or DocumentCreateFailed events; received ${String((event as { name?: unknown }).name)}.`);
      }
      emit({ ...event, environment, childEntity } as NavMapClientEvent);
      if (event.name === 'DocumentCreated') {
        logger.log(`[NavMapClient] Created a ${childEntity} bound to ${event.parentEntity}${event.source ? ` (map from ${event.source})` : ''}.`);
      } else {
        logger.error(`[NavMapClient] Could not create a ${childEntity} for ${event.parentEntity}: ${event.errorCode} ${event.message}`);
      }
    },
  };
  return client;
}
