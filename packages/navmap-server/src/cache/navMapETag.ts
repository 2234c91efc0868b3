import { createHash } from 'node:crypto';
import type { NavMapResponse } from '@sdap/navmap-sdk';
import stringify from 'safe-stable-stringify';

/**
 * The NavMap's validator: a weak ETag over the content that matters (contract version, environment, child, parents,
 * errors) in canonical JSON (sorted keys), leaving out `generatedAt`. Equal maps give equal ETags across refreshes,
 * restarts and instances; any changed navigation property changes it.
 *
 * Weak (RFC 9110 section 8.8.1): two 200 bodies with this ETag can differ in `generatedAt`, so they are equivalent,
 * not byte-identical, and a strong ETag would be a lie. `If-None-Match` uses weak comparison (section 13.1.2), so
 * revalidation still gets 304.
 *
 * @example
 * navMapETag(map); // 'W/"2cXq..."'
 */
export function navMapETag(map: NavMapResponse): string {
  // safe-stable-stringify sorts keys; a map is plain JSON, so it always returns a string.
  const content = stringify({
    version: map.version,
    environment: map.environment,
    childEntity: map.childEntity ?? null,
    parents: map.parents,
    errors: map.errors ?? {},
  }) as string;
  return `W/"${createHash('sha256').update(content).digest('base64url').slice(0, 32)}"`;
}
