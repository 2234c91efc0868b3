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
  const candidate = value as { map?: { version?: unknown }; etag?: unknown; storedAt?: unknown } | null;
  if (typeof candidate !== 'object' || candidate === null || typeof candidate.map !== 'object' || candidate.map === null) {
    return { valid: false, reason: 'invalid_entry', message: 'the cache entry is not a { map, etag, storedAt } object' };
  }
  if (candidate.map.version !== NAVMAP_CONTRACT_VERSION) {
    return { valid: false, reason: 'version_mismatch', message: `the cached map has contract version ${JSON.stringify(candidate.map.version)}, this client reads "${NAVMAP_CONTRACT_VERSION}"` };
  }
  if (typeof candidate.storedAt !== 'number' || !Number.isFinite(candidate.storedAt) || candidate.storedAt > now + 60_000) {
    return { valid: false, reason: 'invalid_entry', message: 'the cache entry has no valid storedAt time' };
  }
  if (candidate.etag !== null && typeof candidate.etag !== 'string') {
    return { valid: false, reason: 'invalid_entry', message: 'the cache entry has an etag that is not a string' };
  }
  let map;
  try {
    map = parseNavMapResponse(candidate.map);
  } catch (error) {
    if (!isNavMapError(error)) throw error;
    return { valid: false, reason: 'invalid_entry', message: error.message };
  }
  const mismatch = findMapMismatch(map, environment, childEntity);
  if (mismatch) {
    return { valid: false, reason: mismatch.reason === 'no_parents' ? 'invalid_entry' : mismatch.reason, message: `the cached map ${mismatch.message}` };
  }
  return { valid: true, entry: { map, etag: isEntityTag(candidate.etag) ? candidate.etag : null, storedAt: candidate.storedAt } };
}
