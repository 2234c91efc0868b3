import { isNavMapError, NavMapError } from '../contract/NavMapError.js';
import { normalizeGuid } from '../contract/normalizeGuid.js';
import { toODataBind } from '../contract/toODataBind.js';
import { createNavMapCacheLayer } from './createNavMapCacheLayer.js';
import { createNavMapClientReporter } from './createNavMapClientReporter.js';
import { describeError } from './describeError.js';
import { decideFreshness, freshnessWindow } from './decideFreshness.js';
import { fetchNavMap, type FetchNavMapResult } from './fetchNavMap.js';
import { findMapMismatch } from './findMapMismatch.js';
import { isUndeclaredPropertyError } from './isUndeclaredPropertyError.js';
import type { NavMapClient, NavMapClientLoadOptions, NavMapLoadResult, NavEntryWithSource } from './NavMapClient.js';
import type { NavMapSource } from '../contract/NavMapClientEvent.js';
import type { NavMapCacheEntry } from './NavMapStorage.js';
import { navEntryOf, requireNavEntryOf } from './navEntryOf.js';
import { resolveNavMapClientOptions, type NavMapClientOptions } from './resolveNavMapClientOptions.js';
import { sharedNavMapState, type HeldNavMap } from './sharedNavMapState.js';

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
 * client.load().catch(() => undefined); // in init, without blocking: a failure comes back at bind()
 * await client.withBindRetry(async (navMap) =>
 *   context.webAPI.createRecord('sprk_document', { ...fields, ...(await navMap.bind('sprk_matter', recordId)) }),
 * );
 */
export function createNavMapClient(options: NavMapClientOptions): NavMapClient {
  const resolved = resolveNavMapClientOptions(options);
  const { environment, childEntity, ttlMs, maxStaleMs, logger } = resolved;
  const state = sharedNavMapState(`${resolved.baseUrl}\n${environment}\n${childEntity}`);
  const reporter = createNavMapClientReporter(resolved);
  const { label } = reporter;
  const cache = createNavMapCacheLayer(resolved, reporter);

  /**
   * A map held in memory. Its freshness counts from `windowFrom`: when the server sent or confirmed it, or, for a map
   * used because the server failed (the fallback, an over-age entry), from now: a cool-down, so the next loads do not
   * each wait for a server that just failed.
   */
  function hold({ map, etag, storedAt }: NavMapCacheEntry, source: NavMapSource, windowFrom = storedAt): HeldNavMap {
    return { map, source, etag, storedAt, ...freshnessWindow(windowFrom, ttlMs, maxStaleMs) };
  }

  function resultOf(held: HeldNavMap): NavMapLoadResult {
    return { map: held.map, source: held.source, ageMs: Math.max(0, Date.now() - held.storedAt) };
  }

  /** Each subscriber in a microtask of its own: one that throws is reported by the browser and fails no load. */
  function notify(): void {
    for (const listener of state.listeners) queueMicrotask(() => state.listeners.has(listener) && listener());
  }

  // Each load from the server or revalidation takes a new generation; only the newest may set the memory copy and
  // the stored entry, so an older answer arriving late never replaces a newer one.
  const isCurrent = (generation: number): boolean => state.generation === generation;

  /** Holds `held` if its load is still the newest (telling the subscribers), and returns the map now held. */
  function commit(held: HeldNavMap, generation: number): HeldNavMap {
    if (isCurrent(generation)) {
      state.held = held;
      notify();
    }
    return state.held ?? held;
  }

  /**
   * Stores the map an answer gives, if its load is still the newest: a new one, or on 304 (`fetchNavMap` accepts one
   * only for the ETag it sent, which came from `known`) the known one, confirmed now. The bundled fallback is never
   * stored: the cache holds only what a server sent or confirmed.
   */
  async function storeAnswer(answer: FetchNavMapResult, known: NavMapCacheEntry | undefined, sourceOn304: NavMapSource, generation: number): Promise<HeldNavMap> {
    let held: HeldNavMap;
    if (answer.status === 304) {
      held = hold({ ...known!, storedAt: Date.now() }, sourceOn304);
    } else {
      const mismatch = findMapMismatch(answer.map, environment, childEntity);
      if (mismatch) throw new NavMapError('invalid_response', `The NavMap server's map ${mismatch.message}.`);
      held = hold({ ...answer, storedAt: Date.now() }, 'server');
    }
    if (isCurrent(generation) && held.source !== 'fallback') await cache.write(held);
    return held;
  }

  function revalidateInBackground(held: HeldNavMap): void {
    if (state.revalidating) return;
    const generation = ++state.generation;
    const started = performance.now();
    state.revalidating = (async () => {
      try {
        const answer = await fetchNavMap({ ...resolved, etag: held.etag });
        const next = await storeAnswer(answer, held, held.source, generation);
        commit(next, generation);
        reporter.revalidated(answer.status, JSON.stringify(next.map) !== JSON.stringify(held.map), started);
      } catch (error) {
        const known = isNavMapError(error);
        const warning = `Revalidation of the ${label} failed (${known ? error.code : describeError(error)}); keeping the map in use.`;
        // A NavMapError is the server layer failing; anything else is a bug, logged as an error.
        if (known) reporter.layerFailed('server', error.code, error.message, warning);
        else logger.error(`[NavMapClient] ${warning}`);
      } finally {
        state.revalidating = undefined;
      }
    })();
  }

  async function resolveLayers(refresh: boolean): Promise<HeldNavMap> {
    const started = performance.now();
    const generation = ++state.generation;
    const inMemory = state.held;
    const cached = await cache.read();
    if (cached && !refresh) {
      const held = hold(cached, 'cache');
      const decision = decideFreshness(held, Date.now());
      if (decision !== 'reload') {
        const current = commit(held, generation);
        reporter.loaded(current, started, 'log', decision === 'use' ? undefined : 'stale, revalidating in the background');
        if (decision === 'revalidate' && current === held) revalidateInBackground(held);
        return current;
      }
    }

    let serverError: NavMapError;
    try {
      const answer = await fetchNavMap({ ...resolved, etag: refresh ? undefined : cached?.etag, noCache: refresh });
      const current = commit(await storeAnswer(answer, cached, 'server', generation), generation);
      reporter.loaded(current, started, 'log');
      return current;
    } catch (error) {
      if (!isNavMapError(error)) throw error;
      serverError = error;
      reporter.layerFailed('server', error.code, error.message);
    }

    // A newer load's map wins over this one's last resort.
    if (!isCurrent(generation) && state.held) return state.held;
    const failure = `The NavMap server failed (${serverError.code}: ${serverError.message})`;
    const now = Date.now();
    // What the page can still use, best first: the stored entry, the server's map held in memory (when storage
    // refused it), the bundled fallback.
    const kept = cached ?? (inMemory?.source !== 'fallback' ? inMemory : undefined);
    const { fallback } = resolved;
    const last = kept ? hold(kept, 'cache', now) : fallback && hold({ map: fallback, etag: null, storedAt: Date.parse(fallback.generatedAt) }, 'fallback', now);
    if (last) {
      const current = commit(last, generation);
      reporter.loaded(current, started, 'warn', `${kept ? 'an old entry, used because ' : ''}Layer 1 failed: ${failure}`);
      return current;
    }
    const message = `${failure}, no cache entry exists and no \`fallback\` is bundled: no ${label}.`;
    logger.error(`[NavMapClient] ${message}`);
    throw new NavMapError('server_unavailable', message, { cause: serverError, ...(serverError.details.status === undefined ? {} : { status: serverError.details.status }) });
  }

  async function load(loadOptions: NavMapClientLoadOptions = {}): Promise<NavMapLoadResult> {
    const refresh = loadOptions.refresh === true;
    if (!refresh) {
      const held = state.held;
      const decision = decideFreshness(held, Date.now());
      if (held && decision !== 'reload') {
        if (decision === 'revalidate') revalidateInBackground(held);
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

  async function requireNavEntry(parent: string): Promise<NavEntryWithSource> {
    return requireNavEntryOf(await load(), parent, label);
  }

  async function invalidate(): Promise<void> {
    state.generation += 1;
    state.held = undefined;
    state.loading = undefined;
    await cache.remove();
    notify();
  }

  function getNavMap(): NavMapLoadResult | undefined {
    return state.held && resultOf(state.held);
  }

  /** One forced reload past every cache, shared by every `withBindRetry` that needs it at the same time. */
  function forceReload(): Promise<NavMapLoadResult> {
    state.forcing ??= (async () => {
      try {
        await invalidate();
        return await load({ refresh: true });
      } finally {
        state.forcing = undefined;
      }
    })();
    return state.forcing;
  }

  const client: NavMapClient = {
    options: resolved,
    load,
    getNavMap,
    subscribe(listener) {
      state.listeners.add(listener);
      return () => void state.listeners.delete(listener);
    },
    getNavEntry: (parent) => {
      const result = getNavMap();
      return result && navEntryOf(result, parent);
    },
    requireNavEntry,
    async bind(parent, id) {
      normalizeGuid(id); // `invalid_guid` before any loading
      return toODataBind(await requireNavEntry(parent), id);
    },
    invalidate,
    async withBindRetry(operation) {
      const usedMap = state.held;
      try {
        return await operation(client);
      } catch (error) {
        if (!isUndeclaredPropertyError(error)) throw error;
        // Another call's forced reload may have replaced the map this operation used since it started: use that one.
        const reloadedMeanwhile = state.held !== undefined && state.held !== usedMap && state.held.source === 'server';
        if (!reloadedMeanwhile) {
          logger.warn(`[NavMapClient] Dataverse refused a bind (0x80048d19: ${describeError(error)}); reloading the ${label} from the server and retrying once.`);
          const reloaded = await forceReload().catch(() => {
            throw error;
          });
          if (reloaded.source !== 'server') {
            logger.error(`[NavMapClient] Could not reload the ${label} from the server; not retrying the bind.`);
            throw error;
          }
        }
        return operation(client);
      }
    },
    track: (event) => reporter.track(event),
  };
  return client;
}
