import { createDegradingStorage } from './createDegradingStorage.js';
import type { NavMapClientReporter } from './createNavMapClientReporter.js';
import { describeError } from './describeError.js';
import type { NavMapCacheEntry, NavMapStorage } from './NavMapStorage.js';
import type { ResolvedNavMapClientOptions } from './resolveNavMapClientOptions.js';
import { isQuotaExceededError } from './storageErrors.js';
import { navMapCacheKey, validateCacheEntry } from './validateCacheEntry.js';

/** The persistent cache entry of one client's map. Never rejects on a storage refusal: it reports it and goes on. */
export interface NavMapCacheLayer {
  /** The entry, validated; an invalid one is reported, removed and read as none. */
  read(): Promise<NavMapCacheEntry | undefined>;
  write(entry: NavMapCacheEntry): Promise<void>;
  remove(): Promise<void>;
}

/**
 * The cache layer over the configured storage: a built-in kind degrades step by step (each step reported as a
 * `NavMapLayerFailed`); a refusal (a `DOMException`) is a warning and the map stays in memory; anything else is a
 * bug and passes through.
 */
export function createNavMapCacheLayer(options: ResolvedNavMapClientOptions, reporter: NavMapClientReporter): NavMapCacheLayer {
  const { environment, childEntity, logger } = options;
  const key = navMapCacheKey(environment, childEntity);
  const storage: NavMapStorage =
    typeof options.storage === 'string'
      ? createDegradingStorage(options.storage, (from, to, error) => {
          const message = `${from} storage is unavailable (${describeError(error)}); caching in ${to} instead`;
          logger.warn(`[NavMapClient] ${message}.`);
          reporter.layerFailed('cache', 'storage_unavailable', message);
        })
      : options.storage;

  function failed(action: string, error: unknown): void {
    if (!(error instanceof DOMException)) throw error;
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
