import { createIndexedDbStorage } from './createIndexedDbStorage.js';
import { createMemoryStorage } from './createMemoryStorage.js';
import { createSessionStorage } from './createSessionStorage.js';
import { createTabMirroredStorage } from './createTabMirroredStorage.js';
import { NAVMAP_STORAGE_KINDS, type NavMapStorage, type NavMapStorageKind } from './NavMapStorage.js';
import { isQuotaExceededError, isStorageRefusal, limitStorageSteps, wrapStorage } from './storageErrors.js';

const factories: Record<NavMapStorageKind, () => NavMapStorage> = {
  // IndexedDB shared by the tabs, with this tab's copy in sessionStorage read first.
  indexeddb: () => createTabMirroredStorage(createIndexedDbStorage(), createSessionStorage()),
  session: createSessionStorage,
  memory: createMemoryStorage,
};

/**
 * A storage that starts with `kind` and moves down the chain IndexedDB, sessionStorage, memory when the browser
 * refuses the current one (a refusal other than a full quota, or a step over `timeoutMs`), reporting each step
 * through `onDegrade`. Quota errors and bugs pass through unchanged.
 */
export function createDegradingStorage(
  kind: NavMapStorageKind,
  timeoutMs: number,
  onDegrade: (from: NavMapStorageKind, to: NavMapStorageKind, error: unknown) => void,
): NavMapStorage {
  const later = NAVMAP_STORAGE_KINDS.slice(NAVMAP_STORAGE_KINDS.indexOf(kind) + 1);
  let current = kind;
  const start = (at: NavMapStorageKind): NavMapStorage => limitStorageSteps(factories[at](), timeoutMs, `${at} storage`);
  let storage = start(kind);

  return wrapStorage(async <T>(operation: (storage: NavMapStorage) => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        return await operation(storage);
      } catch (error) {
        const next = later[0];
        if (next === undefined || !isStorageRefusal(error) || isQuotaExceededError(error)) throw error;
        later.shift();
        onDegrade(current, next, error);
        current = next;
        storage = start(next);
      }
    }
  });
}
