import { NavMapError } from '../contract/NavMapError.js';
import type { NavMapClientEvent, NavMapLayerFailureReason, NavMapSource, NavMapTrackedEvent } from '../contract/NavMapClientEvent.js';
import type { ResolvedNavMapClientOptions } from './resolveNavMapClientOptions.js';
import type { HeldNavMap } from './sharedNavMapState.js';

/** Events and console lines of one client, each with its environment and child entity. */
export interface NavMapClientReporter {
  /** `${childEntity} map for ${environment}`, for messages. */
  readonly label: string;
  /** A `NavMapLayerFailed` event, and `warning` (when given) as a console warning. */
  layerFailed(layer: NavMapSource, reason: NavMapLayerFailureReason, message: string, warning?: string): void;
  /**
   * A `NavMapLoaded` event and its console line: the layer's words from the deployment plan, then the figures, then
   * `detail` (why an older layer was used) when given.
   */
  loaded(held: HeldNavMap, started: number, level: 'log' | 'warn', detail?: string): void;
  /** A `NavMapRevalidated` event and its console line. */
  revalidated(status: 200 | 304, changed: boolean, started: number): void;
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

/** Milliseconds since `started` (a `performance.now()`), to two decimals. */
function elapsedMs(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}

type WithoutContext<T> = T extends NavMapClientEvent ? Omit<T, 'environment' | 'childEntity'> : never;

/** The reporter of a client; `onEvent` throwing never breaks a load. */
export function createNavMapClientReporter(options: ResolvedNavMapClientOptions): NavMapClientReporter {
  const { environment, childEntity, logger } = options;
  const label = `${childEntity} map for ${environment}`;
  function emit(event: WithoutContext<NavMapClientEvent>): void {
    try {
      options.onEvent?.({ ...event, environment, childEntity } as NavMapClientEvent);
    } catch {
      // Telemetry must never break a load.
    }
  }
  return {
    label,
    layerFailed(layer, reason, message, warning) {
      emit({ name: 'NavMapLayerFailed', layer, reason, message });
      if (warning) logger.warn(`[NavMapClient] ${warning}`);
    },
    loaded(held, started, level, detail) {
      const durationMs = elapsedMs(started);
      const ageMs = Math.max(0, Date.now() - held.storedAt);
      const parents = Object.keys(held.map.parents);
      emit({ name: 'NavMapLoaded', layer: held.source, durationMs, entityCount: parents.length, ageMs });
      logger[level](
        `[NavMapClient] ${NAVMAP_LAYER_WORDS[held.source]} in ${duration(durationMs)}: ${label}, ${parents.length} parents (${parents.sort().join(', ') || '(none)'}), age ${duration(ageMs)}${detail ? `; ${detail}` : ''}.`,
      );
    },
    revalidated(status, changed, started) {
      emit({ name: 'NavMapRevalidated', status, changed, durationMs: elapsedMs(started) });
      logger.log(`[NavMapClient] Revalidated the ${label}: ${status === 304 ? 'not modified (304)' : changed ? 'updated' : 'unchanged'}.`);
    },
    track(event) {
      if (event.name !== 'DocumentCreated' && event.name !== 'DocumentCreateFailed') {
        throw new NavMapError('invalid_config', `track() takes DocumentCreated or DocumentCreateFailed events; received ${String((event as { name?: unknown }).name)}.`);
      }
      emit(event);
      if (event.name === 'DocumentCreated') {
        logger.log(`[NavMapClient] Created a ${childEntity} bound to ${event.parentEntity}${event.source ? ` (map from ${event.source})` : ''}.`);
      } else {
        logger.error(`[NavMapClient] Could not create a ${childEntity} for ${event.parentEntity}: ${event.errorCode} ${event.message}`);
      }
    },
  };
}
