/**
 * What `@sdap/navmap-server` sends to Application Insights when telemetry is on: the names KQL queries may use.
 * The code that emits reads its names from here (custom events are typed against `events`, request names and the
 * dependency property come from this object), so this description and the telemetry cannot disagree.
 *
 * - `events`: custom events (`customEvents`), their `customDimensions` (`properties`) and `customMeasurements`.
 * - `requests`: operation names of incoming requests (`requests.name`). Any other path is named
 *   `<METHOD> <unmatchedRoute>`.
 * - `dependencyProperty` / `dependencyTargets`: every outgoing call (`dependencies`) carries
 *   `customDimensions[dependencyProperty]`, one of `dependencyTargets`: `dataverse` (Web API metadata reads),
 *   `token` (the server's own token requests for Dataverse, through `@azure/identity`), `token-keys` (OpenID
 *   discovery and JWKS of the callers' token issuer).
 *
 * @example
 * // customEvents | where name == "NavMapRefreshFailed" | extend code = tostring(customDimensions.errorCode)
 * navMapServerTelemetry.events.NavMapRefreshFailed.properties.includes('errorCode'); // true
 */
export const navMapServerTelemetry = {
  events: {
    NavMapRefreshed: {
      properties: ['environment', 'environmentName', 'childEntity'],
      measurements: ['entityCount', 'errorCount', 'durationMs'],
    },
    NavMapRefreshFailed: {
      properties: ['environment', 'environmentName', 'childEntity', 'errorCode'],
      // staleAgeMs: how long the map being served has been past its TTL; absent when no map exists or it is fresh.
      measurements: ['durationMs', 'staleAgeMs'],
    },
  },
  requests: [
    'GET /api/pcf/dataverse-navmap',
    'HEAD /api/pcf/dataverse-navmap',
    'OPTIONS /api/pcf/dataverse-navmap',
    'GET /healthz',
    'GET /readyz',
    'GET /metrics',
  ],
  unmatchedRoute: '(unmatched)',
  dependencyProperty: 'navmap.dependency',
  dependencyTargets: ['dataverse', 'token', 'token-keys'],
} as const;

/** The custom events the server emits. */
export type NavMapServerEventName = keyof typeof navMapServerTelemetry.events;

type EventSpec<TName extends NavMapServerEventName> = (typeof navMapServerTelemetry.events)[TName];

/**
 * One custom event, typed against `navMapServerTelemetry`: every listed property and measurement must be given
 * (a measurement may be `undefined`, which leaves it out), and no other may be.
 */
export type NavMapServerTelemetryEvent<TName extends NavMapServerEventName = NavMapServerEventName> = TName extends NavMapServerEventName
  ? {
      readonly name: TName;
      readonly properties: { readonly [K in EventSpec<TName>['properties'][number]]: string };
      readonly measurements: { readonly [K in EventSpec<TName>['measurements'][number]]: number | undefined };
    }
  : never;

/** One of `navMapServerTelemetry.dependencyTargets`. */
export type NavMapDependencyTarget = (typeof navMapServerTelemetry.dependencyTargets)[number];

/** Receives the server's custom events; `startNavMapTelemetry()` from `@sdap/navmap-server/telemetry` returns one. */
export interface NavMapTelemetrySink {
  /** Sends one custom event. */
  trackEvent(event: NavMapServerTelemetryEvent): void;
  /** Runs `work`; the HTTP calls it makes are dependencies with `navmap.dependency` = `target`. */
  withDependencyTarget<T>(target: NavMapDependencyTarget, work: () => T): T;
}
