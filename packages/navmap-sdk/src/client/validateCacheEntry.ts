import { isNavMapError } from '../contract/NavMapError.js';
import { parseNavMapResponse } from '../contract/parseNavMapResponse.js';
import { NAVMAP_CONTRACT_VERSION } from '../contract/types.js';
import type { NavMapLayerFailureReason } from '../contract/NavMapClientEvent.js';
import { findMapMismatch } from './findMapMismatch.js';
import type { NavMapCacheEntry } from './NavMapStorage.js';
import { isEntityTag } from '../contract/http.js';

export type CacheEntryCheck =
  | { readonly valid: true; readonly entry: NavMapCacheEntry }
  | { readonly valid: false; readonly reason: NavMapLayerFailureReason; readonly message: string };

/** The storage key of a map: environment, child entity and contract version. */
export function navMapCacheKey(environment: string, childEntity: string): string {
  return `navmap:v${NAVMAP_CONTRACT_VERSION}:${environment}:${childEntity}`;
}

/**
 * Checks a value read from storage before it is trusted: shape, contract version, and `findMapMismatch` (environment,
 * child entity, parents). An ETag that is not a valid header value is dropped: sent back, it would fail every request.
 */
export function validateCacheEntry(value: unknown, environment: string, childEntity: string, now: number): CacheEntryCheck {
  const invalid = (message: string, reason: NavMapLayerFailureReason = 'invalid_entry'): CacheEntryCheck => ({ valid: false, reason, message });
  const entry = value as { map?: { version?: unknown }; etag?: unknown; storedAt?: unknown } | null | undefined;
  if (typeof entry?.map !== 'object' || entry.map === null) return invalid('the cache entry is not a { map, etag, storedAt } object');
  const { map, etag, storedAt } = entry;
  let parsed;
  try {
    parsed = parseNavMapResponse(map);
  } catch (error) {
    if (!isNavMapError(error)) throw error;
    // A map of another contract version is an entry another client version wrote, not a corrupt one.
    return invalid(error.message, map.version === NAVMAP_CONTRACT_VERSION ? 'invalid_entry' : 'version_mismatch');
  }
  // A time after now (beyond clock skew) would keep the entry fresh for ever; an etag must be a string or null.
  const bad = !(Number.isFinite(storedAt) && (storedAt as number) <= now + 60_000) ? 'storedAt time' : etag !== null && typeof etag !== 'string' ? 'etag' : '';
  if (bad) return invalid(`the cache entry has no valid ${bad}`);
  const mismatch = findMapMismatch(parsed, environment, childEntity);
  if (mismatch) return invalid(`the cached map ${mismatch.message}`, mismatch.reason === 'no_parents' ? undefined : mismatch.reason);
  return { valid: true, entry: { map: parsed, etag: isEntityTag(etag) ? etag : null, storedAt: storedAt as number } };
}
