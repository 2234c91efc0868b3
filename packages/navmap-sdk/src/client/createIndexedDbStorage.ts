import { promisifyRequest } from 'idb-keyval';
import type { NavMapStorage } from './NavMapStorage.js';
import { browserStorageStep } from './storageErrors.js';

/** The IndexedDB database the client uses, apart from idb-keyval's default one. */
export const NAVMAP_IDB_DATABASE = 'navmap';
/** The object store in `NAVMAP_IDB_DATABASE` that holds the cache entries. */
export const NAVMAP_IDB_STORE = 'cache';

// One connection per database and store for the whole page, however many clients use it.
const connections = new Map<string, Promise<IDBDatabase>>();

/**
 * idb-keyval's `createStore`, plus what it lacks: the connection closes on `versionchange`, so this tab never blocks
 * another tab's upgrade or `deleteDatabase` (and every open queued behind it: the spec's "blocked" steps in IndexedDB
 * 3.0, "Opening a database connection"), and a failed or closed connection is opened again on next use.
 */
function connect(database: string, storeName: string): Promise<IDBDatabase> {
  const key = `${database}/${storeName}`;
  const opened = connections.get(key);
  if (opened) return opened;
  const request = indexedDB.open(database);
  request.onupgradeneeded = () => request.result.createObjectStore(storeName);
  const connection = promisifyRequest(request);
  const forget = (): void => {
    if (connections.get(key) === connection) connections.delete(key);
  };
  connections.set(key, connection);
  connection.then((db) => {
    db.onversionchange = () => {
      db.close();
      forget();
    };
    db.onclose = forget;
  }, forget);
  return connection;
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
  // `indexedDB` is `null`, not only missing, where a browser disables it (Firefox's dom.indexedDB.enabled).
  const step = <T>(mode: IDBTransactionMode, run: (objects: IDBObjectStore) => T | Promise<T>): Promise<T> =>
    browserStorageStep('IndexedDB', () => globalThis.indexedDB, async () =>
      run((await connect(database, storeName)).transaction(storeName, mode).objectStore(storeName)),
    );
  // An empty read-only transaction opens the connection; its failure is reported by the first real operation.
  step('readonly', () => undefined).catch(() => undefined);
  const write = (change: (objects: IDBObjectStore) => unknown): Promise<void> =>
    step('readwrite', (objects) => {
      change(objects);
      return promisifyRequest(objects.transaction);
    });
  // idb-keyval's get/set/del, on this store: theirs default to a store of their own, which would be bundled too.
  return {
    get: (key) => step('readonly', (objects) => promisifyRequest(objects.get(key))),
    set: (key, value) => write((objects) => objects.put(value, key)),
    del: (key) => write((objects) => objects.delete(key)),
  };
}
