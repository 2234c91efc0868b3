import { createStore, del, get, set, type UseStore } from 'idb-keyval';
import type { NavMapStorage } from './NavMapStorage.js';
import { unavailable } from './storageErrors.js';

/** The IndexedDB database the client uses, apart from idb-keyval's default one. */
export const NAVMAP_IDB_DATABASE = 'navmap';
/** The object store in `NAVMAP_IDB_DATABASE` that holds the cache entries. */
export const NAVMAP_IDB_STORE = 'cache';

// One connection per database and store for the whole page, however many clients use it.
const stores = new Map<string, UseStore>();

/**
 * A storage on IndexedDB through idb-keyval: shared by every tab of the origin. The database is opened on first use.
 *
 * @example
 * createNavMapClient({ ...options, storage: createIndexedDbStorage() });
 */
export function createIndexedDbStorage(
  database: string = NAVMAP_IDB_DATABASE,
  storeName: string = NAVMAP_IDB_STORE,
): NavMapStorage {
  const useStore = (): UseStore => {
    if ((globalThis.indexedDB as IDBFactory | undefined) === undefined) throw unavailable('indexedDB');
    const key = `${database}/${storeName}`;
    let store = stores.get(key);
    if (store === undefined) {
      store = createStore(database, storeName);
      stores.set(key, store);
    }
    return store;
  };
  return {
    get: async (key) => get(key, useStore()),
    set: async (key, value) => set(key, value, useStore()),
    del: async (key) => del(key, useStore()),
  };
}
