import type { IncomingMessage, ServerResponse } from 'node:http';
import { NAVMAP_ENDPOINT_PATH, NavMapError } from '@sdap/navmap-sdk';
import cors from 'cors';
import { Router, type RequestHandler } from 'express';
import { ipKeyGenerator, MemoryStore, type Options as RateLimitOptions } from 'express-rate-limit';
import type { NavMapCache } from '../cache/NavMapCache.js';
import { clientAddressOf, compileTrustProxy } from './clientAddress.js';
import type { TokenVerifier, VerifiedCaller } from '../auth/TokenVerifier.js';
import { answerNavMapRequest, errorAnswer, type NavMapAnswer } from './answerNavMapRequest.js';

export interface NavMapRouterOptions {
  /** Where maps come from. */
  readonly cache: Pick<NavMapCache, 'get'> & Partial<Pick<NavMapCache, 'refreshNow'>>;
  /** Checks callers' bearer tokens. */
  readonly verifier: Pick<TokenVerifier, 'verify'>;
  /** @default '/api/pcf/dataverse-navmap' */
  readonly path?: string;
  /** Origins allowed to call from a browser (the Dataverse origins). @default [] (no CORS headers) */
  readonly corsOrigins?: readonly string[];
  /** Requests per window per caller (token subject, else IP); `false` for none. @default false */
  readonly rateLimit?: false | { readonly windowSeconds: number; readonly max: number };
  /**
   * The caller's address: the rate limit's key for a request without a valid token.
   * @default Express's `request.ip` (which honours the app's `trust proxy`), else the socket's address
   */
  readonly clientAddress?: (request: IncomingMessage) => string | undefined;
  /** Called after each answer, for logs and metrics. */
  readonly onAnswer?: (answer: NavMapAnswer, request: IncomingMessage) => void;
}

/** The endpoint's handlers, for an app that registers them itself. */
export interface NavMapHandlers {
  readonly path: string;
  /** The CORS preflight (`OPTIONS`), when origins are configured. */
  readonly preflight: RequestHandler | undefined;
  /** `GET` (and so `HEAD`): CORS when configured, then the endpoint. */
  readonly handlers: RequestHandler[];
  /** Any other method: 405 with `Allow`. */
  readonly methodNotAllowed: RequestHandler;
  /**
   * `GET`/`HEAD` on `path` on Node's own request and response, without a framework: CORS when configured, then the
   * endpoint. Resolves with what was answered. The standalone server answers its endpoint this way, before Express's
   * router; the answers are the same as through `handlers`.
   */
  readonly serve: (request: IncomingMessage, response: ServerResponse) => Promise<NavMapAnswer>;
}

/** The `v` query parameter of a request target: absent, one value, or several (refused as unsupported). */
function versionParameter(url: string | undefined): string | undefined {
  const queryStart = url === undefined ? -1 : url.indexOf('?');
  if (queryStart < 0) return undefined;
  const values = new URLSearchParams((url as string).slice(queryStart + 1)).getAll('v');
  if (values.length === 0) return undefined;
  return values.length === 1 ? values[0] : '(several values)';
}

function send(response: ServerResponse, answer: NavMapAnswer): void {
  // One writeHead with the prepared headers: the hot path skips Express's per-header helpers. writeHead would
  // replace a Vary that CORS set (Origin), so the two are joined.
  const vary = response.getHeader('vary');
  const headers = vary !== undefined && answer.headers.Vary !== undefined ? { ...answer.headers, Vary: `${String(vary)}, ${answer.headers.Vary}` } : answer.headers;
  response.writeHead(answer.status, headers);
  if (answer.body === undefined) response.end();
  else response.end(answer.body);
}

/**
 * Counts requests per caller in fixed windows with express-rate-limit's store. The endpoint calls it after verifying
 * the token, so the key (the token's subject, else the IP address) costs no second verification.
 */
function createCallerLimit({ windowSeconds, max }: { readonly windowSeconds: number; readonly max: number }) {
  const store = new MemoryStore();
  store.init({ windowMs: windowSeconds * 1000 } as RateLimitOptions);
  return async (key: string): Promise<NavMapError | undefined> => {
    const { totalHits, resetTime } = await store.increment(key);
    if (totalHits <= max) return undefined;
    const retryAfterSeconds = resetTime === undefined ? windowSeconds : Math.max(1, Math.ceil((resetTime.getTime() - Date.now()) / 1000));
    return new NavMapError('rate_limited', `Too many requests: at most ${max} per ${windowSeconds} s per caller. Retry after ${retryAfterSeconds} s.`, {
      status: 429,
      retryAfterSeconds,
    });
  };
}

/**
 * An Express 5 router serving `GET /api/pcf/dataverse-navmap`, to mount in an existing BFF; `createNavMapService`
 * builds one from the server's configuration. A thin adapter: the work is done by `answerNavMapRequest`. Routing is
 * case-sensitive and strict (no trailing slash), as the contract's one path.
 *
 * @example
 * const cache = new NavMapCache({ load: (signal) => resolveNavMap({ ...dataverse, signal }) });
 * const verifier = new TokenVerifier({ issuer, audience: 'api://navmap-bff', requiredScopes: ['NavMap.Read'] });
 * app.use(createNavMapRouter({ cache, verifier, corsOrigins: ['https://org.crm.dynamics.com'] }));
 * void cache.warm();
 */
export function createNavMapRouter(options: NavMapRouterOptions): Router {
  const router = Router({ caseSensitive: true, strict: true });
  mountNavMapHandlers(router, createNavMapHandlers(options));
  return router;
}

/** Registers the handlers on an app or router: preflight, GET/HEAD, 405 for the rest. */
export function mountNavMapHandlers(target: Pick<Router, 'options' | 'get' | 'all'>, navMap: NavMapHandlers): void {
  if (navMap.preflight !== undefined) target.options(navMap.path, navMap.preflight);
  target.get(navMap.path, ...navMap.handlers);
  target.all(navMap.path, navMap.methodNotAllowed);
}

/**
 * The handlers behind `createNavMapRouter`, for an app that registers them itself (`mountNavMapHandlers(app, ...)`),
 * which saves the nested router's work on every request. Options are validated here.
 */
export function createNavMapHandlers(options: NavMapRouterOptions): NavMapHandlers {
  if (typeof options?.cache?.get !== 'function') {
    throw new NavMapError('invalid_config', 'Option `cache` must be a NavMapCache (an object with get()).');
  }
  if (typeof options.verifier?.verify !== 'function') {
    throw new NavMapError('invalid_config', 'Option `verifier` must be a TokenVerifier (an object with verify()).');
  }
  const path = options.path ?? NAVMAP_ENDPOINT_PATH;
  if (!path.startsWith('/')) throw new NavMapError('invalid_config', `Option \`path\` must start with "/"; received "${path}".`);
  const { cache, verifier, onAnswer } = options;
  const clientAddress = options.clientAddress ?? clientAddressOf(compileTrustProxy(false));
  const origins = options.corsOrigins ?? [];
  const preflight =
    origins.length === 0
      ? undefined
      : cors({
          origin: [...origins],
          methods: ['GET', 'HEAD'],
          // Cache-Control: the browser client's self-healing reload sends `no-cache` to get past this server's cache too.
          allowedHeaders: ['Authorization', 'If-None-Match', 'X-Request-Id', 'Cache-Control'],
          exposedHeaders: ['ETag', 'X-NavMap-Source', 'X-Request-Id', 'Retry-After', 'WWW-Authenticate'],
          maxAge: 600,
        });
  const allow = preflight === undefined ? 'GET, HEAD' : 'GET, HEAD, OPTIONS';
  const limit = options.rateLimit ? createCallerLimit(options.rateLimit) : undefined;

  const answer = async (request: IncomingMessage, response: ServerResponse): Promise<NavMapAnswer> => {
    const authorization = request.headers.authorization;
    // Verified once: the limiter's key and the answer share the result.
    const verification = verifier.verify(authorization);
    let answer: NavMapAnswer | undefined;
    if (limit !== undefined) {
      const caller = await verification.then(
        (verified): VerifiedCaller | undefined => verified,
        () => undefined,
      );
      const refused = await limit(caller === undefined ? `ip:${ipKeyGenerator(clientAddress(request) ?? 'unknown')}` : `caller:${caller.id}`);
      if (refused !== undefined) answer = errorAnswer(refused);
    }
    answer ??= await answerNavMapRequest(
      {
        version: versionParameter(request.url),
        authorization,
        ifNoneMatch: request.headers['if-none-match'],
        cacheControl: request.headers['cache-control'],
        verification,
      },
      { cache, verifier },
    );
    send(response, answer);
    onAnswer?.(answer, request);
    return answer;
  };
  // The same CORS handler answers the preflight (OPTIONS) and adds its headers to GET and HEAD.
  const serve = (request: IncomingMessage, response: ServerResponse): Promise<NavMapAnswer> =>
    preflight === undefined
      ? answer(request, response)
      : new Promise<NavMapAnswer>((resolve, reject) => {
          preflight(request, response, (error?: unknown) => {
            if (error === undefined || error === null) resolve(answer(request, response));
            else reject(error instanceof Error ? error : new Error(String(error)));
          });
        });
  const handlers: RequestHandler[] = [
    ...(preflight === undefined ? [] : [preflight]),
    async (request, response) => {
      await answer(request, response);
    },
  ];

  const methodNotAllowed: RequestHandler = (request, response) => {
    const answer = errorAnswer(new NavMapError('bad_request', `${request.method.slice(0, 20)} is not supported; the NavMap is served at GET ${path}.`), 405);
    send(response, { ...answer, headers: { ...answer.headers, Allow: allow } });
  };

  return { path, preflight, handlers, methodNotAllowed, serve };
}
