import type { NavMapCacheEvent } from '../cache/NavMapCache.js';
import type { NavMapServerTelemetryEvent } from './navMapServerTelemetry.js';

/** What a custom event says about the server besides the cache event itself. */
export interface CacheTelemetryContext {
  /** The map's `environment`: the Dataverse URL. */
  readonly environment: string;
  /** The operator's label for the deployment (`environmentName`). */
  readonly environmentName: string;
  readonly childEntity: string;
  /** How long the map being served has been past its TTL, in ms; `undefined` when there is none or it is fresh. */
  readonly staleAgeMs: number | undefined;
}

/**
 * The custom event for a `NavMapCache` event: `NavMapRefreshed` for `refresh`, `NavMapRefreshFailed` for
 * `refresh_failed`; `undefined` for per-request events (hit, miss, stale), which metrics count instead.
 *
 * @example
 * const cache = new NavMapCache({ load, onEvent: (event) => {
 *   const custom = cacheEventToTelemetry(event, { environment, environmentName, childEntity, staleAgeMs: undefined });
 *   if (custom !== undefined) telemetry.trackEvent(custom);
 * } });
 */
export function cacheEventToTelemetry(event: NavMapCacheEvent, context: CacheTelemetryContext): NavMapServerTelemetryEvent | undefined {
  const { environment, environmentName, childEntity } = context;
  if (event.type === 'refresh') {
    return {
      name: 'NavMapRefreshed',
      properties: { environment, environmentName, childEntity },
      measurements: {
        entityCount: Object.keys(event.map.parents).length,
        errorCount: Object.keys(event.map.errors ?? {}).length,
        durationMs: event.durationMs,
      },
    };
  }
  if (event.type === 'refresh_failed') {
    return {
      name: 'NavMapRefreshFailed',
      properties: { environment, environmentName, childEntity, errorCode: event.error.code },
      measurements: { durationMs: event.durationMs, staleAgeMs: context.staleAgeMs },
    };
  }
  return undefined;
}
