import type { NavMapStorage } from './NavMapStorage.js';
import { browserStorageStep } from './storageErrors.js';

// Reading `sessionStorage` itself throws a SecurityError where storage is disabled; it is `null` in some browsers.
const sessionStep = <T>(run: (storage: Storage) => T): Promise<T> => browserStorageStep('sessionStorage', () => globalThis.sessionStorage, run);

/**
 * A storage on `sessionStorage` (JSON). Per tab, so it is the second choice after IndexedDB. Every failure is a
 * refusal (a DOMException).
 *
 * @example
 * createNavMapClient({ ...options, storage: createSessionStorage() });
 */
export function createSessionStorage(): NavMapStorage {
  return {
    get: (key) =>
      sessionStep((storage) => {
        const raw = storage.getItem(key);
        if (raw === null) return undefined;
        try {
          // A stored `null` is no entry: reading it as one would make the client delete the shared entry too.
          return (JSON.parse(raw) as unknown) ?? undefined;
        } catch {
          return raw; // not JSON: the entry validation drops it
        }
      }),
    set: (key, value) => sessionStep((storage) => storage.setItem(key, JSON.stringify(value))),
    del: (key) => sessionStep((storage) => storage.removeItem(key)),
  };
}
