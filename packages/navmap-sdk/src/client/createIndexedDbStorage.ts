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
 * A storage on IndexedDB through idb-keyval: shared by every tab of the origin. The database is opened at once, so a
 * client's first read waits only for itself: a PCF host renders the control right after `init`, and a connection
 * requested then is ready by the time the load runs. A refusal surfaces on first use, where the client degrades.
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
  try {
    // An empty read-only transaction opens the connection; its failure is reported by the first real operation.
    useStore()('readonly', () => undefined).catch(() => undefined);
  } catch {
    // indexedDB missing or open() throwing (SecurityError): the first get/set/del throws it again and degrades.
  }
  return {
    get: async (key) => get(key, useStore()),
    set: async (key, value) => set(key, value, useStore()),
    del: async (key) => del(key, useStore()),
  };
}
