import type { NavMapStorage } from './NavMapStorage.js';
import { unavailable } from './storageErrors.js';

function sessionStore(): Storage {
  // Reading `sessionStorage` itself throws a SecurityError DOMException where storage is disabled.
  const storage = globalThis.sessionStorage as Storage | undefined;
  if (storage === undefined) throw unavailable('sessionStorage');
  return storage;
}

/**
 * A storage on `sessionStorage` (JSON). Per tab, so it is the second choice after IndexedDB.
 *
 * @example
 * createNavMapClient({ ...options, storage: createSessionStorage() });
 */
export function createSessionStorage(): NavMapStorage {
  return {
    get: async (key) => {
      const raw = sessionStore().getItem(key);
      if (raw === null) return undefined;
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        return raw; // not JSON: the entry validation drops it
      }
    },
    set: async (key, value) => {
      sessionStore().setItem(key, JSON.stringify(value));
    },
    del: async (key) => {
      sessionStore().removeItem(key);
    },
  };
}
