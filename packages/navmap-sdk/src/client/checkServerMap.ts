import { NavMapError } from '../contract/NavMapError.js';
import type { NavMapResponse } from '../contract/types.js';

/**
 * Refuses a server map the client cannot use: another environment or child entity, or no parents at all.
 *
 * @throws {NavMapError} `invalid_response` saying which.
 */
export function checkServerMap(map: NavMapResponse, environment: string, childEntity: string): void {
  if (map.environment !== environment) {
    throw new NavMapError(
      'invalid_response',
      `The NavMap server serves environment ${map.environment}, but the client's \`environment\` is ${environment}.`,
    );
  }
  if (map.childEntity !== undefined && map.childEntity !== childEntity) {
    throw new NavMapError('invalid_response', `The NavMap server serves child entity ${map.childEntity}, not ${childEntity}.`);
  }
  // A map without parents could resolve nothing (validation matrix 8.1): the next layer is a better answer.
  if (Object.keys(map.parents).length === 0) {
    const reasons = Object.entries(map.errors ?? {}).map(([parent, error]) => `${parent}: ${error.code}`);
    throw new NavMapError(
      'invalid_response',
      `The NavMap server sent a map with no parents${reasons.length > 0 ? ` (${reasons.join(', ')})` : ''}; check the server's \`parents\` configuration.`,
    );
  }
}
