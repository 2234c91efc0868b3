import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, maxHeaderSize, type Server } from 'node:http';
import { Server as NetServer, type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { NAVMAP_CONTRACT_VERSION, NAVMAP_ENDPOINT_PATH, navMapEnvironment, NavMapError } from '@sdap/navmap-sdk';
import { resolveNavMap } from '@sdap/navmap-sdk/server';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
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
import { answerClientError, rawErrorResponse, type ClientErrorLimits } from './answerClientError.js';
import { errorAnswer } from './answerNavMapRequest.js';
import { answerReadiness } from './answerReadiness.js';
import { createMetricsHandler } from './createMetricsHandler.js';
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
  /** Where `/metrics` is served when `metrics.port` is set. */
  readonly metricsUrl?: string;
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
   * Graceful shutdown: stop accepting connections, answer `/readyz` 503 (`draining`) and every answer with
   * `Connection: close`, let requests in flight finish and idle keep-alive connections end at their keep-alive timeout
   * (up to `timeoutMs`, default `http.shutdownTimeoutSeconds`, then cut the rest), stop the cache's timers.
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
    forcedRefreshTimeoutSeconds: resolved.cache.forcedRefreshTimeoutSeconds,
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
  let metricsServer: Server | undefined;

  app.use(function requireHost(request, response, next) {
    // RFC 9112 section 3.2: an HTTP/1.1 request without Host is answered 400.
    if (request.httpVersionMajor === 1 && request.httpVersionMinor >= 1 && request.headers.host === undefined) {
      response.setHeader('Connection', 'close');
      response.status(400).json({ error: { code: 'bad_request', message: 'An HTTP/1.1 request needs a Host header.' } });
      return;
    }
    next();
  });
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
    const { status, body } = answerReadiness(cache.state(), { draining: closing, maxStaleSeconds: resolved.cache.maxStaleSeconds, now: Date.now() });
    response.status(status).set('Cache-Control', 'no-store').json(body);
  });
  const metricsHandler = createMetricsHandler(metrics.registry, { bearerToken: resolved.metrics.bearerToken });
  // Without a bearer token or a port of its own, /metrics is not served: on App Service the one port is public.
  if (resolved.metrics.port === undefined && resolved.metrics.bearerToken !== undefined) app.get('/metrics', metricsHandler);
  app.use((_request, response) => {
    response.status(404).json({ error: { code: 'not_found', message: `Not found. The NavMap is served at GET ${NAVMAP_ENDPOINT_PATH}.` } });
  });

  // Errors Express raises before a handler runs (a path that is not valid percent-encoding): the contract's shape.
  app.use((error: Error & { status?: number; statusCode?: number }, request: Request, response: Response, _next: NextFunction) => {
    if (response.headersSent) {
      request.socket.destroy();
      return;
    }
    const status = error.status ?? error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      response.status(status).json({ error: { code: 'bad_request', message: `The request is malformed: ${error.message}.` } });
      return;
    }
    request.log.error({ err: error }, 'Unhandled error');
    const answer = errorAnswer(error);
    response.writeHead(answer.status, answer.headers).end(answer.body);
  });

  const clientErrorLimits: ClientErrorLimits = {
    headersTimeoutSeconds: resolved.http.headersTimeoutSeconds,
    requestTimeoutSeconds: resolved.http.requestTimeoutSeconds,
    maxHeaderBytes: maxHeaderSize,
  };
  /**
   * Node's own rejections (a malformed request line or header, headers over the size limit, a request too slow to
   * arrive) would answer 400/408/431 with an empty body; they get the contract's error shape instead.
   */
  function answerParseError(error: NodeJS.ErrnoException, socket: Duplex): void {
    const answer = answerClientError(error.code, clientErrorLimits);
    // A response already started on this socket (a pipelined request) cannot be followed by another status line.
    const started = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
    if (answer === undefined || started || !socket.writable) {
      socket.destroy();
      return;
    }
    metrics.httpRequests.inc({ route: 'other', status: String(answer.status) });
    socket.end(rawErrorResponse(answer));
    // A client that never reads its answer must not hold the socket.
    setTimeout(() => socket.destroy(), 1_000).unref();
  }
  function createListener(handler: Express): Server {
    const server = createHttpServer(
      {
        headersTimeout: resolved.http.headersTimeoutSeconds * 1000,
        requestTimeout: resolved.http.requestTimeoutSeconds * 1000,
        keepAliveTimeout: resolved.http.keepAliveTimeoutSeconds * 1000,
        // Node checks the two timeouts above only this often (30 s by default), which let slow clients hold sockets
        // for a minute and a half.
        connectionsCheckingInterval: Math.min(1_000, resolved.http.headersTimeoutSeconds * 500),
        // Node's own check answers an empty 400; the app answers it in the contract's shape (requireHost below).
        requireHostHeader: false,
      },
      handler,
    );
    server.on('clientError', answerParseError);
    // Without a listener Node drops a CONNECT request's connection without a word.
    server.on('connect', (_request, socket: Socket) => {
      metrics.httpRequests.inc({ route: 'other', status: '405' });
      const error = new NavMapError('bad_request', `CONNECT is not supported; the NavMap is served at GET ${NAVMAP_ENDPOINT_PATH}.`);
      socket.end(rawErrorResponse({ status: 405, error }, { Allow: 'GET, HEAD' }));
    });
    return server;
  }
  function listenOn(server: Server, port: number, host: string): Promise<string> {
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        const address = server.address() as AddressInfo;
        const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        resolve(`http://${shownHost === '0.0.0.0' || shownHost === '[::]' ? '127.0.0.1' : shownHost}:${address.port}`);
      });
    });
  }
  /**
   * Stops accepting and waits until the server's connections have ended. `http.Server#close()` would also close idle
   * keep-alive connections at once (Node >= 19), and a client whose next request was already on its way then meets a
   * reset; `net.Server#close()` only stops accepting, so idle connections end at the keep-alive timeout the server
   * announced (`Keep-Alive: timeout=N`), and requests arriving meanwhile are answered with `Connection: close`.
   */
  function drain(server: Server, timeoutMs: number): Promise<void> {
    if (!server.listening) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const force = setTimeout(() => server.closeAllConnections(), timeoutMs);
      force.unref();
      NetServer.prototype.close.call(server, () => {
        clearTimeout(force);
        // Stops http.Server's timeout checks; no connection is left to close.
        server.close();
        resolve();
      });
    });
  }

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
    async listen(port = resolved.port, host = resolved.host) {
      const server = createListener(app);
      httpServer = server;
      const url = await listenOn(server, port, host);
      let metricsUrl: string | undefined;
      if (resolved.metrics.port !== undefined) {
        const metricsApp = express();
        metricsApp.disable('x-powered-by');
        metricsApp.get('/metrics', metricsHandler);
        metricsApp.use((_request, response) => {
          response.status(404).json({ error: { code: 'not_found', message: 'Not found. This port serves GET /metrics only.' } });
        });
        metricsServer = createListener(metricsApp);
        metricsUrl = await listenOn(metricsServer, resolved.metrics.port, host);
      }
      logger.info({ url, ...(metricsUrl === undefined ? {} : { metricsUrl }) }, 'NavMap server listening');
      return { url, port: Number(new URL(url).port), ...(metricsUrl === undefined ? {} : { metricsUrl }) };
    },
    async close({ timeoutMs = resolved.http.shutdownTimeoutSeconds * 1000 } = {}) {
      closing = true;
      await Promise.all([httpServer, metricsServer].map((server) => (server === undefined ? undefined : drain(server, timeoutMs))));
      cache.close();
      logger.info('NavMap server stopped');
      logger.flush();
    },
  };
}
