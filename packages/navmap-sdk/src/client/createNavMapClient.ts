import { isNavMapError, NavMapError } from '../contract/NavMapError.js';
import { normalizeGuid } from '../contract/normalizeGuid.js';
import { toODataBind } from '../contract/toODataBind.js';
import type { NavMapResponse } from '../contract/types.js';
import { checkServerMap } from './checkServerMap.js';
import { createNavMapCacheLayer } from './createNavMapCacheLayer.js';
import { createNavMapClientReporter } from './createNavMapClientReporter.js';
import { describeError } from './describeError.js';
import { decideFreshness, freshnessWindow } from './decideFreshness.js';
import { fetchNavMap, type FetchNavMapResult } from './fetchNavMap.js';
import { isUndeclaredPropertyError } from './isUndeclaredPropertyError.js';
import type { NavMapClient, NavMapLoadOptions, NavMapLoadResult, NavEntryWithSource } from './NavMapClient.js';
import type { NavMapSource } from './NavMapClientEvent.js';
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
 * void client.load(); // in init, without blocking
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

  function hold(map: NavMapResponse, source: NavMapSource, etag: string | null, storedAt: number): HeldNavMap {
    // The fallback's age is its generatedAt, but its freshness counts from when it was chosen.
    return { map, source, etag, storedAt, ...freshnessWindow(source === 'fallback' ? Date.now() : storedAt, ttlMs, maxStaleMs) };
  }

  function resultOf(held: HeldNavMap): NavMapLoadResult {
    return { map: held.map, source: held.source, ageMs: Math.max(0, Date.now() - held.storedAt) };
  }

  function commit(held: HeldNavMap, generation: number): void {
    if (state.generation === generation) state.held = held;
  }

  /** The map an answer gives: a new one, or on 304 the known one, confirmed now and kept under `sourceOn304`. */
  function heldFromAnswer(answer: FetchNavMapResult, known: Pick<HeldNavMap, 'map' | 'etag'> | undefined, sourceOn304: NavMapSource): HeldNavMap {
    if (answer.status === 200) {
      checkServerMap(answer.map, environment, childEntity);
      return hold(answer.map, 'server', answer.etag, Date.now());
    }
    if (!known) throw new NavMapError('invalid_response', 'The NavMap server answered 304 to a request without If-None-Match.');
    return hold(known.map, sourceOn304, known.etag, Date.now());
  }

  function revalidateInBackground(held: HeldNavMap): void {
    if (state.revalidating) return;
    const generation = state.generation;
    const started = performance.now();
    state.revalidating = (async () => {
      try {
        const answer = await fetchNavMap({ ...resolved, etag: held.etag });
        const next = heldFromAnswer(answer, held, held.source);
        const changed = JSON.stringify(next.map) !== JSON.stringify(held.map);
        await cache.write(next);
        commit(next, generation);
        const durationMs = Math.round((performance.now() - started) * 100) / 100;
        reporter.emit({ name: 'NavMapRevalidated', environment, childEntity, status: answer.status, changed, durationMs });
        logger.log(`[NavMapClient] Revalidated the ${label}: ${answer.status === 304 ? 'not modified (304)' : changed ? 'updated' : 'unchanged'}.`);
      } catch (error) {
        if (!isNavMapError(error)) {
          logger.error(`[NavMapClient] Revalidation of the ${label} failed unexpectedly: ${describeError(error)}`);
          return;
        }
        reporter.layerFailed('server', error.code, error.message);
        logger.warn(`[NavMapClient] Revalidation of the ${label} failed (${error.code}); keeping the map in use.`);
      } finally {
        state.revalidating = undefined;
      }
    })();
  }

  async function resolveLayers(refresh: boolean): Promise<HeldNavMap> {
    const started = performance.now();
    const generation = state.generation;
    const cached = await cache.read();
    if (cached && !refresh) {
      const held = hold(cached.map, 'cache', cached.etag, cached.storedAt);
      const decision = decideFreshness(held, Date.now());
      if (decision !== 'reload') {
        commit(held, generation);
        reporter.loaded(held, started, 'log', decision === 'use' ? undefined : 'stale, revalidating in the background');
        if (decision === 'revalidate') revalidateInBackground(held);
        return held;
      }
    }

    let serverError: NavMapError;
    try {
      const answer = await fetchNavMap({ ...resolved, etag: refresh ? undefined : cached?.etag, noCache: refresh });
      const held = heldFromAnswer(answer, cached, 'server');
      await cache.write(held);
      commit(held, generation);
      reporter.loaded(held, started, 'log');
      return held;
    } catch (error) {
      if (!isNavMapError(error)) throw error;
      serverError = error;
      reporter.layerFailed('server', error.code, error.message);
    }

    const failure = `The NavMap server failed (${serverError.code}: ${serverError.message})`;
    const last = cached
      ? { held: hold(cached.map, 'cache', cached.etag, cached.storedAt), note: `an old entry, used because Layer 1 failed: ${failure}` }
      : resolved.fallback && {
          held: hold(resolved.fallback, 'fallback', null, Date.parse(resolved.fallback.generatedAt)),
          note: `Layer 1 failed: ${failure}`,
        };
    if (last) {
      commit(last.held, generation);
      reporter.loaded(last.held, started, 'warn', last.note);
      return last.held;
    }
    const message = `${failure}, no cache entry exists and no \`fallback\` is bundled: no ${label}.`;
    logger.error(`[NavMapClient] ${message}`);
    throw new NavMapError('server_unavailable', message, { cause: serverError, ...(serverError.details.status === undefined ? {} : { status: serverError.details.status }) });
  }

  async function load(loadOptions: NavMapLoadOptions = {}): Promise<NavMapLoadResult> {
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
  }

  const client: NavMapClient = {
    options: resolved,
    load,
    getNavEntry: (parent) => (state.held ? navEntryOf(resultOf(state.held), parent) : undefined),
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
        logger.warn(`[NavMapClient] Dataverse refused a bind (0x80048d19: ${describeError(error)}); reloading the ${label} from the server and retrying once.`);
        await invalidate();
        const reloaded = await load({ refresh: true }).catch(() => {
          throw error;
        });
        if (reloaded.source !== 'server') {
          logger.error(`[NavMapClient] Could not reload the ${label} from the server; not retrying the bind.`);
          throw error;
        }
        return operation(client);
      }
    },
    track: (event) => reporter.track(event),
  };
  return client;
}
