import { promisifyRequest, type UseStore } from 'idb-keyval';
import type { NavMapStorage } from './NavMapStorage.js';
import { refusal, unavailable } from './storageErrors.js';

/** The IndexedDB database the client uses, apart from idb-keyval's default one. */
export const NAVMAP_IDB_DATABASE = 'navmap';
/** The object store in `NAVMAP_IDB_DATABASE` that holds the cache entries. */
export const NAVMAP_IDB_STORE = 'cache';

// One connection per database and store for the whole page, however many clients use it.
const stores = new Map<string, UseStore>();

/**
 * idb-keyval's `createStore`, plus what it lacks: the connection closes on `versionchange`, so this tab never blocks
 * another tab's upgrade or `deleteDatabase` (and every open queued behind it: the spec's "blocked" steps in IndexedDB
 * 3.0, "Opening a database connection"), and a failed or closed connection is opened again on next use.
 */
function openStore(database: string, storeName: string): UseStore {
  let connection: Promise<IDBDatabase> | undefined;
  const forget = (closed: Promise<IDBDatabase>): void => {
    if (connection === closed) connection = undefined;
  };
  const open = (): Promise<IDBDatabase> => {
    if (connection) return connection;
    const request = indexedDB.open(database);
    request.onupgradeneeded = () => request.result.createObjectStore(storeName);
    const opened = promisifyRequest(request);
    connection = opened;
    opened.then(
      (db) => {
        db.onversionchange = () => {
          db.close();
          forget(opened);
        };
        db.onclose = () => forget(opened);
      },
      () => forget(opened),
    );
    return opened;
  };
  return async (mode, callback) => callback((await open()).transaction(storeName, mode).objectStore(storeName));
}

/**
 * A storage on IndexedDB: shared by every tab of the origin. The database is opened at once, so a client's first read
 * waits only for itself: a PCF host renders the control right after `init`, and a connection requested then is ready
 * by the time the load runs. Every failure is a refusal (a DOMException), reported by the first real operation, where
 * the client degrades.
 *
 * @example
 * createNavMapClient({ ...options, storage: createIndexedDbStorage() });
 */
export function createIndexedDbStorage(
  database: string = NAVMAP_IDB_DATABASE,
  storeName: string = NAVMAP_IDB_STORE,
): NavMapStorage {
  const useStore = (): UseStore => {
    // `null`, not only missing, where a browser disables it (Firefox's dom.indexedDB.enabled).
    if (!(globalThis.indexedDB as IDBFactory | null | undefined)) throw unavailable('indexedDB');
    const key = `${database}/${storeName}`;
    let store = stores.get(key);
    if (store === undefined) {
      store = openStore(database, storeName);
      stores.set(key, store);
    }
    return store;
  };
  const step = async <T>(run: (store: UseStore) => Promise<T>): Promise<T> => {
    try {
      return await run(useStore());
    } catch (error) {
      throw refusal('IndexedDB', error);
    }
  };
  // An empty read-only transaction opens the connection; its failure is reported by the first real operation.
  step((store) => store('readonly', () => undefined)).catch(() => undefined);
  // idb-keyval's get/set/del, on this store: theirs default to a store of their own, which would be bundled too.
  return {
    get: (key) => step((store) => store('readonly', (objects) => promisifyRequest(objects.get(key)))),
    set: (key, value) =>
      step((store) =>
        store('readwrite', (objects) => {
          objects.put(value, key);
          return promisifyRequest(objects.transaction);
        }),
      ),
    del: (key) =>
      step((store) =>
        store('readwrite', (objects) => {
          objects.delete(key);
          return promisifyRequest(objects.transaction);
        }),
      ),
  };
}
