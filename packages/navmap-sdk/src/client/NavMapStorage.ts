import type { NavMapResponse } from '../contract/types.js';

/** What the persistent cache holds per key. */
export interface NavMapCacheEntry {
  readonly map: NavMapResponse;
  /** The server's ETag for the map, sent back as `If-None-Match`; null when the server sent none. */
  readonly etag: string | null;
  /** When the server sent or last confirmed the map (epoch milliseconds). */
  readonly storedAt: number;
}

/**
 * The one interface every cache layer implements. A method rejects with a `DOMException` when the browser refuses
 * (`QuotaExceededError` on a full store, `SecurityError` and the like when the storage is unavailable); any other
 * error is treated as a bug and passes through.
 */
export interface NavMapStorage {
  get(key: string): Promise<unknown>;
  set(key: string, value: NavMapCacheEntry): Promise<void>;
  del(key: string): Promise<void>;
}

/** The built-in storages, best first: each degrades to the ones after it when the browser refuses it. */
export const NAVMAP_STORAGE_KINDS = ['indexeddb', 'session', 'memory'] as const;

/** The built-in storages; `indexeddb` degrades to `session`, then `memory`, when the browser refuses it. */
export type NavMapStorageKind = (typeof NAVMAP_STORAGE_KINDS)[number];
