import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NAVMAP_CONTRACT_VERSION, NAVMAP_ENDPOINT_PATH, navMapEnvironment } from '@sdap/navmap-sdk';
import { resolveNavMap } from '@sdap/navmap-sdk/server';
import express, { type Express, type Request } from 'express';
import { pino, type DestinationStream, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import packageJson from '../../package.json';
import { createDataverseTokenProvider } from '../auth/createDataverseTokenProvider.js';
import { TokenVerifier } from '../auth/TokenVerifier.js';
import { NavMapCache } from '../cache/NavMapCache.js';
import type { ServerConfig } from '../config/configSchema.js';
import { maskConfig, resolveServerConfig, type ResolvedServerConfig } from '../config/resolveServerConfig.js';
import { cacheEventToTelemetry } from '../telemetry/cacheEventToTelemetry.js';
import type { NavMapDependencyTarget, NavMapTelemetrySink } from '../telemetry/navMapServerTelemetry.js';
import { createNavMapMetrics, type NavMapMetrics } from './createNavMapMetrics.js';
import { createNavMapHandlers } from './createNavMapRouter.js';

/** The package version `/healthz` reports. */
export const SERVER_VERSION: string = packageJson.version;

export interface CreateServerOptions {
  /**
   * Returns the Dataverse bearer token, replacing the one `dataverse.auth` would configure: for hosts with their
   * own token source, and for tests.
   */
  readonly getDataverseToken?: () => string | Promise<string>;
  /** `fetch` for Dataverse and the token issuer. @default globalThis.fetch */
  readonly fetch?: typeof globalThis.fetch;
  /** Where JSON logs go. @default stdout */
  readonly logDestination?: DestinationStream;
  /** Start loading the map at once. @default true */
  readonly warm?: boolean;
  /** The clock access tokens are checked against (epoch ms). @default Date.now */
  readonly now?: () => number;
  /**
   * Where custom events go and how outgoing calls are labelled: `startNavMapTelemetry()` from
   * `@sdap/navmap-server/telemetry`, started before `express` is loaded. `navmap-server start` passes it when
   * `telemetry.applicationInsightsConnectionString` is set. @default none (no telemetry)
   */
  readonly telemetry?: NavMapTelemetrySink;
}

export interface ListeningAddress {
  readonly url: string;
  readonly port: number;
}

/** A NavMap server: the Express app with its cache, verifier, metrics and logger. */
export interface NavMapServer {
  readonly config: ResolvedServerConfig;
  readonly app: Express;
  readonly cache: NavMapCache;
  readonly verifier: TokenVerifier;
  readonly metrics: NavMapMetrics;
  readonly logger: Logger;
  /** Settles after the warm-up load: true when a map was loaded. */
  readonly warmed: Promise<boolean>;
  /** Listens on `port`/`host` (default: the config's); resolves with the bound address. */
  listen(port?: number, host?: string): Promise<ListeningAddress>;
  /**
   * Graceful shutdown: stop accepting connections, let requests in flight finish (up to `timeoutMs`, then cut the
   * rest), stop the cache's timers.
   */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function routeOf(path: string, navMapPath: string): string {
  if (path === navMapPath) return 'navmap';
  if (path === '/healthz' || path === '/readyz' || path === '/metrics') return path.slice(1);
  return 'other';
}

/** A cache key that changes with everything that changes the map: environment, child, version, parents. */
function cacheKey(config: ResolvedServerConfig): string {
  const parents = config.parents.map((parent) => [parent.entity, parent.relationship ?? '', parent.lookupAttribute ?? ''].join('/'));
  return [config.dataverse.url, config.childEntity, NAVMAP_CONTRACT_VERSION, ...parents].join('|');
}

/**
 * Builds the standalone NavMap server: the NavMap router plus `/healthz`, `/readyz`, `/metrics`, CORS, rate limit,
 * request ids and pino logs. The map starts loading at once (warm at boot).
 *
 * @example
 * const server = createServer(loadConfig({ file: 'navmap.config.json' }));
 * const { url } = await server.listen();
 * process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
 */
export function createServer(config: ServerConfig | ResolvedServerConfig, options: CreateServerOptions = {}): NavMapServer {
  const resolved = resolveServerConfig(config);
  const fetchFunction = options.fetch ?? globalThis.fetch;
  const logger = pino(
    {
      level: resolved.logLevel,
      base: { service: 'navmap-server', environment: resolved.environmentName },
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'config.dataverse.auth.clientSecret', '*.clientSecret', 'token', 'accessToken'],
        censor: '[redacted]',
      },
    },
    options.logDestination ?? pino.destination({ dest: 1, sync: false }),
  );
  const metrics = createNavMapMetrics();
  const telemetry = options.telemetry;
  const labelled = <TArgs extends unknown[], TResult>(target: NavMapDependencyTarget, work: (...args: TArgs) => TResult) =>
    telemetry === undefined ? work : (...args: TArgs) => telemetry.withDependencyTarget(target, () => work(...args));
  const getToken = labelled(
    'token',
    options.getDataverseToken ?? createDataverseTokenProvider(resolved.dataverse.url, resolved.dataverse.auth),
  );
  const dataverseFetch = labelled('dataverse', metrics.countingFetch(fetchFunction));
  // The map names the Dataverse environment the browser client is configured with (the form's org URL);
  // environmentName is only the operator's label.
  const environment = navMapEnvironment(resolved.dataverse.url);
  const telemetryContext = { environment, environmentName: resolved.environmentName, childEntity: resolved.childEntity };

  const cache = new NavMapCache({
    key: cacheKey(resolved),
    ttlSeconds: resolved.cache.ttlSeconds,
    maxStaleSeconds: resolved.cache.maxStaleSeconds,
    refreshAheadSeconds: resolved.cache.refreshAheadSeconds,
    retrySeconds: resolved.cache.retrySeconds,
    minForcedRefreshIntervalSeconds: resolved.cache.minForcedRefreshIntervalSeconds,
    load: (signal) =>
      resolveNavMap({
        dataverseUrl: resolved.dataverse.url,
        childEntity: resolved.childEntity,
        parents: resolved.parents,
        environment,
        timeoutMs: resolved.dataverse.timeoutMs,
        getToken,
        fetch: dataverseFetch,
        signal,
      }),
    onEvent: (event) => {
      metrics.onCacheEvent(event);
      if (telemetry !== undefined && (event.type === 'refresh' || event.type === 'refresh_failed')) {
        const served = cache.peek();
        const staleAgeMs = served !== undefined && Date.now() > served.expiresAt ? Date.now() - served.expiresAt : undefined;
        const custom = cacheEventToTelemetry(event, { ...telemetryContext, staleAgeMs });
        if (custom !== undefined) telemetry.trackEvent(custom);
      }
      if (event.type === 'refresh') {
        const errors = Object.keys(event.map.errors ?? {});
        logger.info(
          { durationMs: event.durationMs, parents: Object.keys(event.map.parents).length, unresolved: errors },
          'NavMap loaded from Dataverse',
        );
      } else if (event.type === 'refresh_failed') {
        logger.warn({ durationMs: event.durationMs, code: event.error.code, err: event.error.message }, 'NavMap load failed');
      }
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

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', resolved.trustProxy);

  let closing = false;
  let httpServer: Server | undefined;

  app.use((request, response, next) => {
    const incoming = request.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    (request as Request & { id: string }).id = id;
    response.setHeader('X-Request-Id', id);
    if (closing) response.setHeader('Connection', 'close');
    const started = performance.now();
    response.once('finish', () => {
      const route = routeOf(request.path, NAVMAP_ENDPOINT_PATH);
      metrics.httpRequests.inc({ route, status: String(response.statusCode) });
      metrics.httpDuration.observe({ route }, (performance.now() - started) / 1000);
      if (closing) setImmediate(() => httpServer?.closeIdleConnections());
    });
    next();
  });
  // One log line per request at `info`; above that level pino-http would build a child logger per request only to
  // drop its line, so requests then get the base logger (errors are still logged through it).
  const logRequests = logger.isLevelEnabled('info');
  app.use(
    logRequests
      ? pinoHttp({
          logger,
          genReqId: (request) => (request as unknown as { id: string }).id,
          customLogLevel: (_request, response, error) => (error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info'),
          // Only what an operator needs: never headers, so no token or cookie can reach a log line.
          serializers: {
            req: (request: { id: string; method: string; url: string; remoteAddress?: string }) => ({
              id: request.id,
              method: request.method,
              url: request.url,
              remoteAddress: request.remoteAddress,
            }),
            res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
          },
        })
      : (request, _response, next) => {
          request.log = logger;
          next();
        },
  );

  // Registered on the app itself (no nested router) and before the other routes: the hot path.
  const navMap = createNavMapHandlers({
    cache,
    verifier,
    corsOrigins: resolved.cors.origins,
    rateLimit: resolved.rateLimit.enabled ? { windowSeconds: resolved.rateLimit.windowSeconds, max: resolved.rateLimit.max } : false,
    onAnswer: (answer, request) => {
      if (answer.status >= 500 && answer.error !== undefined) {
        request.log.error({ code: answer.error.code, err: answer.error.cause ?? answer.error }, answer.error.message);
      } else if (answer.error !== undefined) {
        request.log.debug({ code: answer.error.code }, answer.error.message);
      }
    },
  });
  if (navMap.preflight !== undefined) app.options(navMap.path, navMap.preflight);
  app.get(navMap.path, ...navMap.handlers);

  app.get('/healthz', (_request, response) => {
    response.json({ status: 'ok', version: SERVER_VERSION, environment: resolved.environmentName });
  });
  app.get('/readyz', (_request, response) => {
    const entry = cache.peek();
    if (entry !== undefined && !closing) {
      response.json({ ready: true, generatedAt: entry.map.generatedAt });
      return;
    }
    const error = cache.lastError;
    response.status(503).json({
      ready: false,
      reason: closing ? 'shutting down' : error ? `${error.code}: ${error.message}` : 'the first NavMap is still loading',
    });
  });
  app.get('/metrics', async (_request, response) => {
    response.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.use((_request, response) => {
    response.status(404).json({ error: { code: 'not_found', message: `Not found. The NavMap is served at GET ${NAVMAP_ENDPOINT_PATH}.` } });
  });

  logger.info({ config: maskConfig(resolved) }, 'NavMap server configured');
  if (resolved.telemetry.applicationInsightsConnectionString !== undefined && telemetry === undefined) {
    logger.warn(
      'telemetry.applicationInsightsConnectionString is set but no telemetry was started: call startNavMapTelemetry() from @sdap/navmap-server/telemetry before loading express and pass it as createServer(config, { telemetry }), or use navmap-server start',
    );
  }
  const warmed = options.warm === false ? Promise.resolve(false) : cache.warm();

  return {
    config: resolved,
    app,
    cache,
    verifier,
    metrics,
    logger,
    warmed,
    listen(port = resolved.port, host = resolved.host) {
      return new Promise((resolve, reject) => {
        const server = app.listen(port, host);
        httpServer = server;
        server.once('error', reject);
        server.once('listening', () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          const url = `http://${shownHost === '0.0.0.0' || shownHost === '[::]' ? '127.0.0.1' : shownHost}:${address.port}`;
          logger.info({ url }, 'NavMap server listening');
          resolve({ url, port: address.port });
        });
      });
    },
    async close({ timeoutMs = 10_000 } = {}) {
      closing = true;
      const server = httpServer;
      if (server !== undefined && server.listening) {
        await new Promise<void>((resolve) => {
          const force = setTimeout(() => server.closeAllConnections(), timeoutMs);
          force.unref();
          server.close(() => {
            clearTimeout(force);
            resolve();
          });
          server.closeIdleConnections();
        });
      }
      cache.close();
      logger.info('NavMap server stopped');
      logger.flush();
    },
  };
}
