import { quoteText } from '../contract/quoteText.js';
import { DEFAULT_CHILD_ENTITY, type NavMapResponse } from '../contract/types.js';

/** Why a map cannot serve a client. */
export interface MapMismatch {
  readonly reason: 'environment_mismatch' | 'child_entity_mismatch' | 'no_parents';
  /** Lower case, to follow "the server's map" or "the cached map". */
  readonly message: string;
}

/**
 * The one rule for "this map belongs to this client", applied to the server's map, a cache entry and the bundled
 * fallback: the same environment (not checked for the fallback, whose snapshot a solution ships to every
 * environment), the same child entity (a map without one is for `sprk_document`), and at least one parent (a map
 * without parents resolves nothing; validation matrix 8.1).
 */
export function findMapMismatch(map: NavMapResponse, environment: string | undefined, childEntity: string): MapMismatch | undefined {
  if (environment !== undefined && map.environment !== environment) {
    return { reason: 'environment_mismatch', message: `is for environment ${quoteText(map.environment)}, but the client's \`environment\` is ${environment}` };
  }
  const mapChildEntity = map.childEntity ?? DEFAULT_CHILD_ENTITY;
  if (mapChildEntity !== childEntity) {
    return { reason: 'child_entity_mismatch', message: `is for child entity ${mapChildEntity}, not ${childEntity}` };
  }
  if (Object.keys(map.parents).length > 0) return undefined;
  const reasons = Object.entries(map.errors ?? {}).map(([parent, error]) => `${parent}: ${error.code}`).join(', ');
  return { reason: 'no_parents', message: `has no parents${reasons && ` (${reasons})`}; check the server's \`parents\` configuration` };
}
