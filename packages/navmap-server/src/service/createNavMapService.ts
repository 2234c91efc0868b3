import { NAVMAP_CONTRACT_VERSION, navMapEnvironment } from '@sdap/navmap-sdk';
import { resolveNavMap } from '@sdap/navmap-sdk/server';
import type { Router } from 'express';
import { pino, type Logger } from 'pino';
import { createDataverseTokenProvider } from '../auth/createDataverseTokenProvider.js';
import { TokenVerifier } from '../auth/TokenVerifier.js';
import { NavMapCache, type NavMapCacheEvent } from '../cache/NavMapCache.js';
import type { ServerConfig } from '../config/configSchema.js';
import { resolveServerConfig, type ResolvedServerConfig } from '../config/resolveServerConfig.js';
import { clientAddressOf, compileTrustProxy } from '../http/clientAddress.js';
import { createNavMapMetrics, type NavMapMetrics } from '../http/createNavMapMetrics.js';
import { createNavMapHandlers, createNavMapRouter, type NavMapHandlers, type NavMapRouterOptions } from '../http/createNavMapRouter.js';
import { truncateForLog } from '../limits.js';
import { cacheEventToTelemetry } from '../telemetry/cacheEventToTelemetry.js';
import type { NavMapDependencyTarget, NavMapTelemetrySink } from '../telemetry/navMapServerTelemetry.js';

export interface NavMapServiceOptions {
  /**
   * Returns the Dataverse bearer token, replacing the one `dataverse.auth` would configure: for hosts with their
   * own token source, and for tests.
   */
  readonly getDataverseToken?: () => string | Promise<string>;
  /** `fetch` for Dataverse and the token issuer. @default globalThis.fetch */
  readonly fetch?: typeof globalThis.fetch;
  /** Where the service logs map loads and failures (a pino logger, e.g. the host's). @default pino at `logLevel`, to stdout */
  readonly logger?: Logger;
  /** The clock access tokens are checked against (epoch ms). @default Date.now */
  readonly now?: () => number;
  /** Custom events and dependency labels: `startNavMapTelemetry()` from `@sdap/navmap-server/telemetry`. @default none */
  readonly telemetry?: NavMapTelemetrySink;
  /** Metrics to count into (the standalone server passes its own). @default new metrics with Node's default metrics */
  readonly metrics?: NavMapMetrics;
}

/** The NavMap endpoint's parts, wired from one validated configuration: what a BFF mounts. */
export interface NavMapService {
  readonly config: ResolvedServerConfig;
  readonly cache: NavMapCache;
  readonly verifier: TokenVerifier;
  readonly metrics: NavMapMetrics;
  /** `GET /api/pcf/dataverse-navmap` with CORS, rate limit and 405 for other methods, as an Express 5 router. */
  readonly router: Router;
  /** The same handlers, for an app that registers them itself (`app.get(handlers.path, ...handlers.handlers)`). */
  readonly handlers: NavMapHandlers;
  /** Loads the first map; resolves true when one was loaded (requests answer 503 with Retry-After meanwhile). */
  warm(): Promise<boolean>;
  /** Stops the cache's timers and aborts a load in flight. */
  close(): void;
}

/** A cache key that changes with everything that changes the map: environment, child, version, parents. */
function cacheKey(config: ResolvedServerConfig): string {
  const parents = config.parents.map((parent) => [parent.entity, parent.relationship ?? '', parent.lookupAttribute ?? ''].join('/'));
  return [config.dataverse.url, config.childEntity, NAVMAP_CONTRACT_VERSION, ...parents].join('|');
}

function logCacheEvent(logger: Logger, event: NavMapCacheEvent): void {
  if (event.type === 'refresh') {
    const unresolved = Object.keys(event.map.errors ?? {});
    logger.info({ durationMs: event.durationMs, parents: Object.keys(event.map.parents).length, unresolved }, 'NavMap loaded from Dataverse');
  } else if (event.type === 'refresh_failed') {
    // Dataverse's text can be megabytes (a 500's message): the log gets its start.
    logger.warn({ durationMs: event.durationMs, code: event.error.code, err: truncateForLog(event.error.message) }, 'NavMap load failed');
  }
}

/**
 * The NavMap endpoint from the same configuration as the standalone server, for a BFF that mounts it: the cache
 * loading through `resolveNavMap` with the cache key, the Dataverse token provider and `Consistency: Strong` on
 * forced refreshes (`Cache-Control: no-cache`), the token verifier, metrics, and the router to mount.
 *
 * @example
 * const navMap = createNavMapService(loadConfig({ file: 'navmap.config.json' }));
 * app.use(navMap.router);
 * void navMap.warm();
 */
export function createNavMapService(config: ServerConfig | ResolvedServerConfig, options: NavMapServiceOptions = {}): NavMapService {
  const resolved = resolveServerConfig(config);
  const fetchFunction = options.fetch ?? globalThis.fetch;
  const logger = options.logger ?? pino({ level: resolved.logLevel, base: { service: 'navmap-server', environment: resolved.environmentName } });
  const metrics = options.metrics ?? createNavMapMetrics();
  const { telemetry } = options;
  const labelled = <TArgs extends unknown[], TResult>(target: NavMapDependencyTarget, work: (...args: TArgs) => TResult) =>
    telemetry === undefined ? work : (...args: TArgs) => telemetry.withDependencyTarget(target, () => work(...args));
  const getToken = labelled('token', options.getDataverseToken ?? createDataverseTokenProvider(resolved.dataverse.url, resolved.dataverse.auth));
  const dataverseFetch = labelled('dataverse', metrics.countingFetch(fetchFunction));
  // The map names the Dataverse environment the browser client is configured with (the form's org URL);
  // environmentName is only the operator's label.
  const environment = navMapEnvironment(resolved.dataverse.url);
  const telemetryContext = { environment, environmentName: resolved.environmentName, childEntity: resolved.childEntity };

  const cache: NavMapCache = new NavMapCache({
    key: cacheKey(resolved),
    ...resolved.cache,
    load: (signal, { consistency }) =>
      resolveNavMap({
        dataverseUrl: resolved.dataverse.url,
        childEntity: resolved.childEntity,
        parents: resolved.parents,
        environment,
        timeoutMs: resolved.dataverse.timeoutMs,
        getToken,
        fetch: dataverseFetch,
        signal,
        consistency,
      }),
    onEvent: (event) => {
      metrics.onCacheEvent(event);
      logCacheEvent(logger, event);
      if (telemetry === undefined || (event.type !== 'refresh' && event.type !== 'refresh_failed')) return;
      const served = cache.peek();
      const now = Date.now();
      const staleAgeMs = served !== undefined && now > served.expiresAt ? now - served.expiresAt : undefined;
      const custom = cacheEventToTelemetry(event, { ...telemetryContext, staleAgeMs });
      if (custom !== undefined) telemetry.trackEvent(custom);
    },
  });

  const verifier = new TokenVerifier({
    issuer: resolved.auth.issuer,
    audience: resolved.auth.audience,
    requiredScopes: resolved.auth.requiredScopes,
    requiredRoles: resolved.auth.requiredRoles,
    clockToleranceSeconds: resolved.auth.clockToleranceSeconds,
    fetch: labelled('token-keys', fetchFunction),
    ...(options.now === undefined ? {} : { now: options.now }),
  });

  const routerOptions: NavMapRouterOptions = {
    cache,
    verifier,
    corsOrigins: resolved.cors.origins,
    rateLimit: resolved.rateLimit.enabled ? { windowSeconds: resolved.rateLimit.windowSeconds, max: resolved.rateLimit.max } : false,
    clientAddress: clientAddressOf(compileTrustProxy(resolved.trustProxy)),
    onAnswer: (answer, request) => {
      const log = (request.log as Logger | undefined) ?? logger;
      if (answer.status >= 500 && answer.error !== undefined) {
        log.error({ code: answer.error.code, err: truncateForLog(String((answer.error.cause as Error | undefined)?.message ?? answer.error.message)) }, answer.error.message);
      } else if (answer.error !== undefined) {
        log.debug({ code: answer.error.code }, answer.error.message);
      }
    },
  };

  return {
    config: resolved,
    cache,
    verifier,
    metrics,
    router: createNavMapRouter(routerOptions),
    handlers: createNavMapHandlers(routerOptions),
    warm: () => cache.warm(),
    close: () => cache.close(),
  };
}
