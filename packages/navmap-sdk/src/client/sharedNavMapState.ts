import type { NavMapResponse } from '../contract/types.js';
import type { NavMapLoadResult } from './NavMapClient.js';
import type { NavMapSource } from '../contract/NavMapClientEvent.js';

/** The map a page holds in memory for one baseUrl + environment + child entity. */
export interface HeldNavMap {
  readonly map: NavMapResponse;
  readonly source: NavMapSource;
  readonly etag: string | null;
  /** When the server sent or confirmed the map; for the fallback, its `generatedAt`. */
  readonly storedAt: number;
  /** When this copy stops being fresh (epoch milliseconds). */
  readonly freshUntil: number;
  /** When this copy may no longer be served without waiting for the server. */
  readonly staleUntil: number;
}

export interface SharedNavMapState {
  held: HeldNavMap | undefined;
  loading: Promise<HeldNavMap> | undefined;
  revalidating: Promise<void> | undefined;
  /** The forced reload `withBindRetry` runs, shared by every call that needs it at the same time. */
  forcing: Promise<NavMapLoadResult> | undefined;
  /**
   * Taken by each load from the server and each revalidation, bumped by `invalidate()`: only the newest may set the
   * memory copy or the stored entry, so an older answer arriving late cannot bring an old map back.
   */
  generation: number;
  /** Called after `held` changed (a load or revalidation kept a map, or `invalidate()` forgot it). */
  listeners: Set<() => void>;
}

// Symbol.for: two copies of the SDK bundled into two controls on one page still find one registry.
const REGISTRY = Symbol.for('@sdap/navmap-sdk/client/registry@1');

type Registry = Map<string, SharedNavMapState>;

/** The page-wide state for a key, created on first use. */
export function sharedNavMapState(key: string): SharedNavMapState {
  const holder = globalThis as typeof globalThis & { [REGISTRY]?: Registry };
  const registry = (holder[REGISTRY] ??= new Map());
  const state = registry.get(key) ?? ({ generation: 0 } as SharedNavMapState);
  registry.set(key, state);
  // A copy of SDK 0.2 on the same page made its states without listeners.
  state.listeners ??= new Set();
  return state;
}
