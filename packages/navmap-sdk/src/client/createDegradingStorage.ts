import { createIndexedDbStorage } from './createIndexedDbStorage.js';
import { createMemoryStorage } from './createMemoryStorage.js';
import { createSessionStorage } from './createSessionStorage.js';
import { createTabMirroredStorage } from './createTabMirroredStorage.js';
import type { NavMapStorage, NavMapStorageKind } from './NavMapStorage.js';
import { isStorageUnavailableError } from './storageErrors.js';

const chains: Record<NavMapStorageKind, readonly NavMapStorageKind[]> = {
  indexeddb: ['indexeddb', 'session', 'memory'],
  session: ['session', 'memory'],
  memory: ['memory'],
};

const factories: Record<NavMapStorageKind, () => NavMapStorage> = {
  // IndexedDB shared by the tabs, with this tab's copy in sessionStorage read first.
  indexeddb: () => createTabMirroredStorage(createIndexedDbStorage(), createSessionStorage()),
  session: () => createSessionStorage(),
  memory: () => createMemoryStorage(),
};

/**
 * A storage that starts with `kind` and moves down the chain IndexedDB, sessionStorage, memory when the browser
 * refuses the current one (a DOMException other than a full quota), reporting each step through `onDegrade`.
 * Quota errors and other errors pass through unchanged.
 */
export function createDegradingStorage(
  kind: NavMapStorageKind,
  onDegrade: (from: NavMapStorageKind, to: NavMapStorageKind, error: unknown) => void,
): NavMapStorage & { readonly current: () => NavMapStorageKind } {
  const chain = chains[kind];
  let index = 0;
  let storage = factories[chain[0] as NavMapStorageKind]();

  async function run<T>(operation: (storage: NavMapStorage) => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await operation(storage);
      } catch (error) {
        const next = chain[index + 1];
        if (next === undefined || !isStorageUnavailableError(error)) throw error;
        onDegrade(chain[index] as NavMapStorageKind, next, error);
        index += 1;
        storage = factories[next]();
      }
    }
  }

  return {
    get: (key) => run((current) => current.get(key)),
    set: (key, value) => run((current) => current.set(key, value)),
    del: (key) => run((current) => current.del(key)),
    current: () => chain[index] as NavMapStorageKind,
  };
}
