import type { ODataBind } from '../contract/toODataBind.js';
import type { NavEntry, NavMapResponse } from '../contract/types.js';
import type { NavMapSource, NavMapTrackedEvent } from '../contract/NavMapClientEvent.js';
import type { ResolvedNavMapClientOptions } from './resolveNavMapClientOptions.js';

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

/** Options of `NavMapClient.load()`. */
export interface NavMapClientLoadOptions {
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
  load(options?: NavMapClientLoadOptions): Promise<NavMapLoadResult>;
  /** The map already in memory (shared by the page's clients); `undefined` before a load or after `invalidate()`. */
  getNavMap(): NavMapLoadResult | undefined;
  /**
   * Calls `listener` after the map in memory changed: a load or revalidation kept a map, or `invalidate()` forgot it
   * (then after the persistent entry is gone too), in a microtask. Every client on the page with the same baseUrl,
   * environment and child entity notifies. Returns the unsubscribe function. Read the new state with `getNavMap()`.
   */
  subscribe(listener: () => void): () => void;
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
