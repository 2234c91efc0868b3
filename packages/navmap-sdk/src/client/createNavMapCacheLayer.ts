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
  const { environment, childEntity, logger } = options;
  const key = navMapCacheKey(environment, childEntity);
  // A storage step waits at most this long: a cache is worth less than the server's answer it would replace.
  const stepTimeoutMs = Math.min(STORAGE_STEP_TIMEOUT_MS, options.timeoutMs);
  const storage: NavMapStorage =
    typeof options.storage === 'string'
      ? createDegradingStorage(options.storage, stepTimeoutMs, (from, to, error) => {
          const message = `${from} storage is unavailable (${describeError(error)}); caching in ${to} instead`;
          logger.warn(`[NavMapClient] ${message}.`);
          reporter.layerFailed('cache', 'storage_unavailable', message);
        })
      : limitStorageSteps(options.storage, stepTimeoutMs, 'the storage');

  function failed(action: string, error: unknown): void {
    if (!isStorageRefusal(error)) throw error;
    const reason = isQuotaExceededError(error) ? 'quota_exceeded' : 'storage_unavailable';
    const message = `could not ${action} the cached ${reporter.label} (${describeError(error)})`;
    logger.warn(`[NavMapClient] Warning: ${message}; the map stays in memory.`);
    reporter.layerFailed('cache', reason, message);
  }

  async function remove(): Promise<void> {
    try {
      await storage.del(key);
    } catch (error) {
      failed('remove', error);
    }
  }

  return {
    remove,
    async read() {
      let value: unknown;
      try {
        value = await storage.get(key);
      } catch (error) {
        failed('read', error);
        return undefined;
      }
      if (value === undefined) return undefined;
      const check = validateCacheEntry(value, environment, childEntity, Date.now());
      if (check.valid) return check.entry;
      logger.warn(`[NavMapClient] Dropped the cached ${reporter.label}: ${check.message}.`);
      reporter.layerFailed('cache', check.reason, check.message);
      await remove();
      return undefined;
    },
    async write(entry) {
      try {
        await storage.set(key, { map: entry.map, etag: entry.etag, storedAt: entry.storedAt });
      } catch (error) {
        failed('store', error);
      }
    },
  };
}
