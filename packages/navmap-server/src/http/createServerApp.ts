import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { NAVMAP_ENDPOINT_PATH, NavMapError } from '@sdap/navmap-sdk';
import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { SERVER_LIMITS, truncateForLog } from '../limits.js';
import type { NavMapService } from '../service/createNavMapService.js';
import { errorAnswer } from './answerNavMapRequest.js';
import { answerReadiness } from './answerReadiness.js';
import { compileTrustProxy } from './clientAddress.js';
import { createMetricsHandler } from './createMetricsHandler.js';
import { mountNavMapHandlers } from './createNavMapRouter.js';

/** What the standalone app needs besides the service. */
export interface ServerAppOptions {
  readonly logger: Logger;
  /** The package version `/healthz` reports. */
  readonly version: string;
  /** True once shutdown began: `/readyz` answers `draining` and every answer closes its connection. */
  readonly isClosing: () => boolean;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The path of a request target, without its query (the target as sent: no decoding, no normalising). */
function pathOf(url: string): string {
  const queryStart = url.indexOf('?');
  return queryStart < 0 ? url : url.slice(0, queryStart);
}

function routeOf(path: string): string {
  if (path === NAVMAP_ENDPOINT_PATH) return 'navmap';
  if (path === '/healthz' || path === '/readyz' || path === '/metrics') return path.slice(1);
  return 'other';
}

function sendError(response: ServerResponse, error: unknown, status?: number, extraHeaders: Readonly<Record<string, string>> = {}): void {
  const answer = errorAnswer(error, status);
  response.writeHead(answer.status, { ...answer.headers, ...extraHeaders }).end(answer.body);
}

/**
 * Every request's first step, in one function (each step costs the hot path): HTTP/1.1's Host, the URL length limit,
 * the request id, `Connection: close` while draining, the metrics on finish, the base logger when requests are not
 * logged one by one. Returns false when it answered the request itself.
 */
function requestContext(service: NavMapService, { logger, isClosing }: ServerAppOptions, logsRequests: boolean) {
  const { metrics } = service;
  return (request: IncomingMessage, response: ServerResponse): boolean => {
    const started = performance.now();
    const url = request.url ?? '/';
    const route = routeOf(pathOf(url));
    response.once('finish', () => metrics.observeRequest(route, response.statusCode, (performance.now() - started) / 1000));
    if (!logsRequests) request.log = logger;
    const incoming = request.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    request.id = id;
    response.setHeader('X-Request-Id', id);
    if (isClosing()) response.setHeader('Connection', 'close');
    // RFC 9112 section 3.2: an HTTP/1.1 request without Host is answered 400.
    if (request.httpVersionMajor === 1 && request.httpVersionMinor >= 1 && request.headers.host === undefined) {
      sendError(response, new NavMapError('bad_request', 'An HTTP/1.1 request needs a Host header.'), 400, { Connection: 'close' });
      return false;
    }
    if (url.length > SERVER_LIMITS.maxUrlBytes) {
      sendError(response, new NavMapError('bad_request', `The request URL is longer than ${SERVER_LIMITS.maxUrlBytes} bytes.`), 414, { Connection: 'close' });
      return false;
    }
    return true;
  };
}

/** An error no handler answered: the contract's 500, or a cut connection when the answer had begun. */
function answerUnhandled(request: IncomingMessage, response: ServerResponse, error: unknown, logger: Logger): void {
  (request.log ?? logger).error({ err: error }, 'Unhandled error');
  if (response.headersSent) request.socket.destroy();
  else sendError(response, error);
}

/** One log line per request at `info`, with the path cut short: never headers, so no token or cookie reaches a log. */
function requestLogger(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (request) => request.id,
    customLogLevel: (request, response, error) => {
      // Refusals of the cheap-route limit are logged once per window and caller (see cheapRouteLimit), not each.
      if ((request as unknown as { quiet?: boolean }).quiet === true) return 'silent';
      return error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info';
    },
    serializers: {
      req: (request: { id: string; method: string; url: string; remoteAddress?: string }) => ({
        id: request.id,
        method: request.method,
        url: truncateForLog(request.url, 200),
        remoteAddress: request.remoteAddress,
      }),
      res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
    },
  });
}

/**
 * A per-IP limit on every route but the NavMap endpoint (which limits per caller): health, readiness, metrics and
 * unknown paths cost little each, but a flood of them would fill the logs and the event loop.
 */
function cheapRouteLimit({ windowSeconds, max }: { readonly windowSeconds: number; readonly max: number }): RequestHandler {
  return rateLimit({
    windowMs: windowSeconds * 1000,
    limit: max,
    standardHeaders: false,
    legacyHeaders: false,
    validate: false,
    keyGenerator: (request) => `ip:${ipKeyGenerator(request.ip ?? 'unknown')}`,
    handler: (request, response) => {
      const info = (request as Request & { rateLimit?: { used: number; resetTime?: Date } }).rateLimit;
      if (info !== undefined && info.used > max + 1) (request as Request & { quiet?: boolean }).quiet = true;
      else request.log.warn({ limit: max, windowSeconds }, 'Rate limit reached on the cheap routes; further refusals this window are not logged');
      const retryAfterSeconds = info?.resetTime === undefined ? windowSeconds : Math.max(1, Math.ceil((info.resetTime.getTime() - Date.now()) / 1000));
      sendError(response, new NavMapError('rate_limited', `Too many requests: at most ${max} per ${windowSeconds} s per address. Retry after ${retryAfterSeconds} s.`, { status: 429, retryAfterSeconds }));
    },
  });
}

/** The standalone server's app, and the listener that serves it. */
export interface ServerApp {
  /** Every route: the NavMap endpoint, `/healthz`, `/readyz`, `/metrics`, 404 and errors, in the contract's shape. */
  readonly app: Express;
  /**
   * The server's request listener: `GET`/`HEAD` on the endpoint's exact path go straight to its handlers (the hot
   * path: Express's router and request decoration cost more than the answer), everything else to `app`. Both begin
   * with the same request context and log line, so the answers are the same either way.
   */
  readonly listener: RequestListener;
}

/**
 * The standalone server's Express app: the request middleware, the NavMap endpoint, `/healthz`, `/readyz`, `/metrics`,
 * 404 and the error handler, all answering in the contract's shape; and the listener with the endpoint's fast path.
 */
export function createServerApp(service: NavMapService, options: ServerAppOptions): ServerApp {
  const { config, cache, metrics, handlers } = service;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', compileTrustProxy(config.trustProxy));
  // The contract has one spelling of its path: `/API/PCF/...` or a trailing slash is another path (404).
  app.set('case sensitive routing', true);
  app.set('strict routing', true);

  // One log line per request at `info`; above that level pino-http would build a child logger per request only to
  // drop its line, so requests then get the base logger (errors are still logged through it).
  const logsRequests = options.logger.isLevelEnabled('info');
  const beginRequest = requestContext(service, options, logsRequests);
  const logRequest = logsRequests ? requestLogger(options.logger) : undefined;
  app.use((request, response, next) => {
    if (beginRequest(request, response)) next();
  });
  if (logRequest !== undefined) app.use(logRequest);

  mountNavMapHandlers(app, handlers);

  if (config.rateLimit.enabled) app.use(cheapRouteLimit(config.rateLimit));
  app.get('/healthz', (_request, response) => {
    response.json({ status: 'ok', version: options.version, environment: config.environmentName });
  });
  app.get('/readyz', (_request, response) => {
    const { status, body } = answerReadiness(cache.state(), { draining: options.isClosing(), maxStaleSeconds: config.cache.maxStaleSeconds, now: Date.now() });
    response.status(status).set('Cache-Control', 'no-store').json(body);
  });
  // Without a bearer token or a port of its own, /metrics is not served: on App Service the one port is public.
  if (config.metrics.port === undefined && config.metrics.bearerToken !== undefined) {
    app.get('/metrics', createMetricsHandler(metrics.registry, { bearerToken: config.metrics.bearerToken }));
  }
  app.use((_request, response) => {
    sendError(response, new NavMapError('not_found', `Not found. The NavMap is served at GET ${NAVMAP_ENDPOINT_PATH}.`));
  });

  // Errors Express raises before a handler runs (a path that is not valid percent-encoding): the contract's shape.
  app.use((error: Error & { status?: number; statusCode?: number }, request: Request, response: Response, _next: NextFunction) => {
    const status = response.headersSent ? 500 : (error.status ?? error.statusCode ?? 500);
    if (status >= 400 && status < 500) {
      sendError(response, new NavMapError('bad_request', `The request is malformed: ${truncateForLog(error.message, 200)}.`), status);
      return;
    }
    answerUnhandled(request, response, error, options.logger);
  });

  const serveNavMap = (request: IncomingMessage, response: ServerResponse) => {
    handlers.serve(request, response).catch((error: unknown) => answerUnhandled(request, response, error, options.logger));
  };
  const listener: RequestListener = (request, response) => {
    const { method, url = '' } = request;
    if ((method !== 'GET' && method !== 'HEAD') || pathOf(url) !== handlers.path) {
      app(request, response);
      return;
    }
    if (!beginRequest(request, response)) return;
    if (logRequest === undefined) serveNavMap(request, response);
    else logRequest(request, response, () => serveNavMap(request, response));
  };
  return { app, listener };
}

/** A separate app serving only `/metrics`, for `metrics.port`. */
export function createMetricsApp(service: NavMapService): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', createMetricsHandler(service.metrics.registry, { bearerToken: service.config.metrics.bearerToken }));
  app.use((_request, response) => {
    sendError(response, new NavMapError('not_found', 'Not found. This port serves GET /metrics only.'));
  });
  return app;
}
