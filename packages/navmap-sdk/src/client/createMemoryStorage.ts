import type { NavMapCacheEntry, NavMapStorage } from './NavMapStorage.js';

/**
 * A storage that lives as long as the page: the last layer when IndexedDB and sessionStorage are both refused.
 *
 * @example
 * createNavMapClient({ ...options, storage: createMemoryStorage() });
 */
export function createMemoryStorage(): NavMapStorage {
  const entries = new Map<string, NavMapCacheEntry>();
  return {
    get: async (key) => entries.get(key),
    set: async (key, value) => {
      entries.set(key, value);
    },
    del: async (key) => {
      entries.delete(key);
    },
  };
}
