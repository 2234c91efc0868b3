import { NAVMAP_ENDPOINT_PATH, NavMapError } from '@sdap/navmap-sdk';
import cors from 'cors';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { NavMapCache } from '../cache/NavMapCache.js';
import type { TokenVerifier } from '../auth/TokenVerifier.js';
import { answerNavMapRequest, errorAnswer, type NavMapAnswer } from './answerNavMapRequest.js';

export interface NavMapRouterOptions {
  /** Where maps come from. */
  readonly cache: Pick<NavMapCache, 'get'> & Partial<Pick<NavMapCache, 'refreshNow'>>;
  /** Checks callers' bearer tokens. */
  readonly verifier: Pick<TokenVerifier, 'verify' | 'peek'>;
  /** @default '/api/pcf/dataverse-navmap' */
  readonly path?: string;
  /** Origins allowed to call from a browser (the Dataverse origins). @default [] (no CORS headers) */
  readonly corsOrigins?: readonly string[];
  /** Requests per window per caller (token subject, else IP); `false` for none. @default false */
  readonly rateLimit?: false | { readonly windowSeconds: number; readonly max: number };
  /** Called after each answer, for logs and metrics. */
  readonly onAnswer?: (answer: NavMapAnswer, request: Request) => void;
}

function queryVersion(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : '(several values)';
}

function send(response: Response, answer: NavMapAnswer): void {
  // One writeHead with the prepared headers: the hot path skips Express's per-header helpers. writeHead would
  // replace a Vary that CORS set (Origin), so the two are joined.
  const vary = response.getHeader('vary');
  const headers = vary !== undefined && answer.headers.Vary !== undefined ? { ...answer.headers, Vary: `${String(vary)}, ${answer.headers.Vary}` } : answer.headers;
  response.writeHead(answer.status, headers);
  if (answer.body === undefined) response.end();
  else response.end(answer.body);
}

/**
 * An Express 5 router serving `GET /api/pcf/dataverse-navmap`, to mount in the standalone server or an existing BFF.
 * A thin adapter: the work is done by `answerNavMapRequest`.
 *
 * @example
 * const cache = new NavMapCache({ load: (signal) => resolveNavMap({ ...dataverse, signal }) });
 * const verifier = new TokenVerifier({ issuer, audience: 'api://navmap-bff', requiredScopes: ['NavMap.Read'] });
 * app.use(createNavMapRouter({ cache, verifier, corsOrigins: ['https://org.crm.dynamics.com'] }));
 * void cache.warm();
 */
export function createNavMapRouter(options: NavMapRouterOptions): Router {
  const { path, preflight, handlers } = createNavMapHandlers(options);
  const router = Router();
  if (preflight !== undefined) router.options(path, preflight);
  router.get(path, ...handlers);
  return router;
}

/**
 * The handlers behind `createNavMapRouter`, for an app that registers them itself (`app.get(path, ...handlers)`),
 * which saves the nested router's work on every request. Options are validated here.
 */
export function createNavMapHandlers(options: NavMapRouterOptions): {
  path: string;
  preflight: RequestHandler | undefined;
  handlers: RequestHandler[];
} {
  if (typeof options?.cache?.get !== 'function') {
    throw new NavMapError('invalid_config', 'Option `cache` must be a NavMapCache (an object with get()).');
  }
  if (typeof options.verifier?.verify !== 'function') {
    throw new NavMapError('invalid_config', 'Option `verifier` must be a TokenVerifier (an object with verify()).');
  }
  const path = options.path ?? NAVMAP_ENDPOINT_PATH;
  if (!path.startsWith('/')) throw new NavMapError('invalid_config', `Option \`path\` must start with "/"; received "${path}".`);
  const { cache, verifier, onAnswer } = options;
  const handlers: RequestHandler[] = [];
  let preflight: RequestHandler | undefined;

  const origins = options.corsOrigins ?? [];
  if (origins.length > 0) {
    const corsHandler = cors({
      origin: [...origins],
      methods: ['GET', 'HEAD'],
      // Cache-Control: the browser client's self-healing reload sends `no-cache` to get past this server's cache too.
      allowedHeaders: ['Authorization', 'If-None-Match', 'X-Request-Id', 'Cache-Control'],
      exposedHeaders: ['ETag', 'X-NavMap-Source', 'X-Request-Id', 'Retry-After', 'WWW-Authenticate'],
      maxAge: 600,
    });
    preflight = corsHandler;
    handlers.push(corsHandler);
  }

  if (options.rateLimit) {
    const { windowSeconds, max } = options.rateLimit;
    handlers.push(
      rateLimit({
        windowMs: windowSeconds * 1000,
        limit: max,
        // No RateLimit-* headers on every answer (they cost about 5 % of the hot path); 429 carries Retry-After.
        standardHeaders: false,
        // The configuration checks run at creation; skip express-rate-limit's per-request self-checks.
        validate: false,
        legacyHeaders: false,
        // Per caller: a valid token names its subject (a remembered one at no cost); anything else counts against
        // its IP address. The handler's own verify() then hits the remembered token.
        keyGenerator: (request) => {
          const authorization = request.headers.authorization;
          const ipKey = () => `ip:${ipKeyGenerator(request.ip ?? 'unknown')}`;
          const remembered = verifier.peek(authorization);
          if (remembered !== undefined) return `caller:${remembered.id}`;
          if (authorization === undefined) return ipKey();
          return verifier.verify(authorization).then(
            (caller) => `caller:${caller.id}`,
            () => {
              const caller = verifier.peek(authorization);
              return caller !== undefined ? `caller:${caller.id}` : ipKey();
            },
          );
        },
        handler: (request, response) => {
          const resetTime = (request as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
          const retryAfter = resetTime ? Math.max(1, Math.ceil((resetTime.getTime() - Date.now()) / 1000)) : windowSeconds;
          const answer = errorAnswer(
            new NavMapError('rate_limited', `Too many requests: at most ${max} per ${windowSeconds} s per caller. Retry after ${retryAfter} s.`, {
              status: 429,
              retryAfterSeconds: retryAfter,
            }),
          );
          send(response, answer);
          onAnswer?.(answer, request);
        },
      }),
    );
  }

  handlers.push(async (request, response) => {
    const answer = await answerNavMapRequest(
      {
        version: queryVersion(request.query.v),
        authorization: request.headers.authorization,
        ifNoneMatch: request.headers['if-none-match'],
        cacheControl: request.headers['cache-control'],
      },
      { cache, verifier },
    );
    send(response, answer);
    onAnswer?.(answer, request);
  });

  return { path, preflight, handlers };
}
