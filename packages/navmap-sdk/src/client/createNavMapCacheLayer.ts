import { createDegradingStorage } from './createDegradingStorage.js';
import type { NavMapClientReporter } from './createNavMapClientReporter.js';
import { describeError } from './describeError.js';
import type { NavMapCacheEntry, NavMapStorage } from './NavMapStorage.js';
import type { ResolvedNavMapClientOptions } from './resolveNavMapClientOptions.js';
import { isQuotaExceededError, isStorageRefusal, limitStorageSteps } from './storageErrors.js';
import { navMapCacheKey, validateCacheEntry } from './validateCacheEntry.js';

/** The persistent cache entry of one client's map. Never rejects on a storage refusal: it reports it and goes on. */
export interface NavMapCacheLayer {
  /** The entry, validated; an invalid one is reported, removed and read as none. */
  read(): Promise<NavMapCacheEntry | undefined>;
  write(entry: NavMapCacheEntry): Promise<void>;
  remove(): Promise<void>;
}

/** The longest a storage step (a read, a write, a delete) may take before the client goes on without it. */
export const STORAGE_STEP_TIMEOUT_MS = 2000;

/**
 * The cache layer over the configured storage: a built-in kind degrades step by step (each step reported as a
 * `NavMapLayerFailed`); a refusal (`isStorageRefusal`, a step over the time limit included) is a warning and the
 * map stays in memory; anything else is a bug and passes through.
 */
export function createNavMapCacheLayer(options: ResolvedNavMapClientOptions, reporter: NavMapClientReporter): NavMapCacheLayer {
  const { environment, childEntity } = options;
  const key = navMapCacheKey(environment, childEntity);
  // A storage step waits at most this long: a cache is worth less than the server's answer it would replace.
  const stepTimeoutMs = Math.min(STORAGE_STEP_TIMEOUT_MS, options.timeoutMs);
  const storage: NavMapStorage =
    typeof options.storage === 'string'
      ? createDegradingStorage(options.storage, stepTimeoutMs, (from, to, error) => {
          const message = `${from} storage is unavailable (${describeError(error)}); caching in ${to} instead`;
          reporter.layerFailed('cache', 'storage_unavailable', message, `${message}.`);
        })
      : limitStorageSteps(options.storage, stepTimeoutMs, 'the storage');

  /** A storage step whose refusal is a warning (the map stays in memory) and reads as no value. */
  async function attempt<T>(action: string, step: () => Promise<T>): Promise<T | undefined> {
    try {
      return await step();
    } catch (error) {
      if (!isStorageRefusal(error)) throw error;
      const message = `could not ${action} the cached ${reporter.label} (${describeError(error)})`;
      reporter.layerFailed('cache', isQuotaExceededError(error) ? 'quota_exceeded' : 'storage_unavailable', message, `Warning: ${message}; the map stays in memory.`);
      return undefined;
    }
  }

  const remove = async (): Promise<void> => void (await attempt('remove', () => storage.del(key)));

  return {
    remove,
    async read() {
      const value = await attempt('read', () => storage.get(key));
      if (value === undefined) return undefined;
      const check = validateCacheEntry(value, environment, childEntity, Date.now());
      if (check.valid) return check.entry;
      reporter.layerFailed('cache', check.reason, check.message, `Dropped the cached ${reporter.label}: ${check.message}.`);
      await remove();
      return undefined;
    },
    async write({ map, etag, storedAt }) {
      await attempt('store', () => storage.set(key, { map, etag, storedAt }));
    },
  };
}
