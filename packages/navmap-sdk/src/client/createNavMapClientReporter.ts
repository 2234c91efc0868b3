import { NavMapError } from '../contract/NavMapError.js';
import type { NavMapClientEvent, NavMapLayerFailureReason, NavMapSource, NavMapTrackedEvent } from '../contract/NavMapClientEvent.js';
import type { ResolvedNavMapClientOptions } from './resolveNavMapClientOptions.js';
import type { HeldNavMap } from './sharedNavMapState.js';

/** Events and console lines of one client, each with its environment and child entity. */
export interface NavMapClientReporter {
  /** `${childEntity} map for ${environment}`, for messages. */
  readonly label: string;
  emit(event: NavMapClientEvent): void;
  layerFailed(layer: NavMapSource, reason: NavMapLayerFailureReason, message: string): void;
  /**
   * A `NavMapLoaded` event and its console line: the layer's words from the deployment plan, then the figures, then
   * `detail` (why an older layer was used) when given.
   */
  loaded(held: HeldNavMap, started: number, level: 'log' | 'warn', detail?: string): void;
  /** `NavMapClient.track`: a `DocumentCreated` or `DocumentCreateFailed` event to `onEvent` and the logger. */
  track(event: NavMapTrackedEvent): void;
}

/**
 * The words each layer's console line starts with, as the deployment plan tells the person validating a deployment
 * to look for them (the smoke check of docs/operations/deployment-runbook.md); figures and details follow on the
 * same line.
 */
export const NAVMAP_LAYER_WORDS = {
  server: 'Layer 1 SUCCESS - Loaded from server',
  cache: 'Layer 2 HIT - Loaded from cache',
  fallback: 'Layer 3 FALLBACK - Loaded from bundled snapshot',
} as const satisfies Record<NavMapSource, string>;

function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 1000)} s`;
}

/** The reporter of a client; `onEvent` throwing never breaks a load. */
export function createNavMapClientReporter(options: ResolvedNavMapClientOptions): NavMapClientReporter {
  const { environment, childEntity, logger } = options;
  const label = `${childEntity} map for ${environment}`;
  function emit(event: NavMapClientEvent): void {
    try {
      options.onEvent?.(event);
    } catch {
      // Telemetry must never break a load.
    }
  }
  return {
    label,
    emit,
    layerFailed(layer, reason, message) {
      emit({ name: 'NavMapLayerFailed', environment, childEntity, layer, reason, message });
    },
    loaded(held, started, level, detail) {
      const durationMs = Math.round((performance.now() - started) * 100) / 100;
      const ageMs = Math.max(0, Date.now() - held.storedAt);
      const entityCount = Object.keys(held.map.parents).length;
      emit({ name: 'NavMapLoaded', environment, childEntity, layer: held.source, durationMs, entityCount, ageMs });
      const parents = Object.keys(held.map.parents).sort().join(', ') || '(none)';
      logger[level](
        `[NavMapClient] ${NAVMAP_LAYER_WORDS[held.source]} in ${duration(durationMs)}: ${label}, ${entityCount} parents (${parents}), age ${duration(ageMs)}${detail ? `; ${detail}` : ''}.`,
      );
    },
    track(event) {
      if (event.name !== 'DocumentCreated' && event.name !== 'DocumentCreateFailed') {
        throw new NavMapError('invalid_config', `track() takes DocumentCreated or DocumentCreateFailed events; received ${String((event as { name?: unknown }).name)}.`);
      }
      emit({ ...event, environment, childEntity } as NavMapClientEvent);
      if (event.name === 'DocumentCreated') {
        logger.log(`[NavMapClient] Created a ${childEntity} bound to ${event.parentEntity}${event.source ? ` (map from ${event.source})` : ''}.`);
      } else {
        logger.error(`[NavMapClient] Could not create a ${childEntity} for ${event.parentEntity}: ${event.errorCode} ${event.message}`);
      }
    },
  };
}
