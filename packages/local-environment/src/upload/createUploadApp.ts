import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { applyFault, type FaultRenderer } from '../admin/applyFault.js';
import type { FaultInjector } from '../admin/FaultInjector.js';
import { cors } from '../http/cors.js';
import { TokenRejectedError, type TokenVerifier } from '../identity/TokenVerifier.js';
import { checkDriveId, checkItemId, checkPath, createDriveFolder, readConflictBehavior } from './DriveFolder.js';
import { badRequest, ProblemError, sendProblem, toProblem } from './ProblemError.js';
import { UploadSessions } from './UploadSessions.js';

export interface UploadAppOptions {
  readonly faults: FaultInjector;
  readonly verifier: TokenVerifier;
  /** Audience the bearer token must carry, `api://navmap-bff`. */
  readonly audience: string;
  /** Origin of the BFF that serves this API, for `uploadUrl` and `webUrl`. */
  readonly bffUrl: string;
  /** Folder that receives the files (`<dataDir>/uploads`). */
  readonly directory: string;
  readonly authorityHost: string;
  readonly tenantId: string;
  /** How long an upload session lives without a chunk. @default 3600000 (an hour) */
  readonly uploadSessionTtlMs?: number;
}

export interface UploadApp {
  readonly app: express.Express;
  /** Stops the sweep of expired upload sessions. */
  close(): void;
}

const MAX_SIMPLE_UPLOAD = '250mb';
const MAX_CHUNK = '60mb';

const problemRenderer: FaultRenderer = {
  status(response, status) {
    response.status(status).type('application/problem+json').send(
      JSON.stringify({ type: `https://httpstatuses.io/${status}`, title: 'Service unavailable', status, detail: `Fault injected by the local environment: HTTP ${status}.` }),
    );
  },
  throttle(response, retryAfterSeconds) {
    response.setHeader('Retry-After', String(retryAfterSeconds));
    response.status(429).type('application/problem+json').send(
      JSON.stringify({ type: 'https://httpstatuses.io/429', title: 'Too Many Requests', status: 429, detail: 'The request was throttled; retry after the given time.', code: 'activityLimitReached' }),
    );
  },
  malformed(response, body) {
    response.status(200).type('application/json').send(body === 'not-json' ? '<html><body>Gateway says hello</body></html>' : JSON.stringify({ unexpected: true }));
  },
};

const asyncRoute = (handler: (request: Request, response: Response) => Promise<void>) => (request: Request, response: Response, next: NextFunction) => {
  handler(request, response).catch(next);
};

const bodyOf = (request: Request): Buffer => (Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0));

/**
 * The BFF's upload API (`/api/obo/...`) over files on disk, answering Graph driveItems and RFC 7807 problems.
 *
 * @example
 * const { app, close } = createUploadApp({ faults, verifier, audience: 'api://navmap-bff', bffUrl, directory, authorityHost, tenantId });
 */
export function createUploadApp(options: UploadAppOptions): UploadApp {
  const drives = createDriveFolder(options.directory, options.bffUrl);
  const sessions = new UploadSessions({
    directory: join(options.directory, '.sessions'),
    ...(options.uploadSessionTtlMs === undefined ? {} : { ttlMs: options.uploadSessionTtlMs }),
  });
  const sessionUrl = (id: string) => `${options.bffUrl}/api/obo/upload-sessions/${id}`;
  const progress = (session: { expiresAt: Date; received: number }) => ({ expirationDateTime: session.expiresAt.toISOString(), nextExpectedRanges: [`${session.received}-`] });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(cors);
  app.use(async (request: Request, response: Response, next: NextFunction) => {
    const fault = options.faults.take('upload');
    if (fault && (await applyFault(fault, request, response, problemRenderer))) return;
    try {
      await options.verifier.verify(request.headers.authorization, [options.audience]);
      next();
    } catch (error) {
      if (!(error instanceof TokenRejectedError)) return next(error);
      const challenge = `Bearer authorization_uri="${options.authorityHost}/${options.tenantId}/oauth2/v2.0/authorize", error="invalid_token"`;
      sendProblem(response, request, new ProblemError(401, 'Unauthorized', error.message, 'unauthorized', { 'WWW-Authenticate': challenge }));
    }
  });

  app.put(
    '/api/obo/containers/:containerId/files/*path',
    express.raw({ type: () => true, limit: MAX_SIMPLE_UPLOAD }),
    asyncRoute(async (request, response) => {
      const driveId = checkDriveId(String(request.params.containerId));
      let path: string;
      try {
        path = decodeURIComponent(/\/files\/([^?]*)/.exec(request.originalUrl)?.[1] ?? '');
      } catch {
        throw badRequest('The file path contains an invalid percent-encoding.', 'invalidPath');
      }
      const segments = checkPath(path);
      const behavior = readConflictBehavior(request.query.conflictBehavior ?? request.query['@microsoft.graph.conflictBehavior'], 'replace');
      const placed = await drives.place(driveId, segments, behavior);
      const target = drives.filePath(driveId, placed.segments);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, bodyOf(request));
      response.status(placed.replaced ? 200 : 201).json(await drives.item(driveId, placed.segments));
    }),
  );

  app.post(
    '/api/obo/drives/:driveId/upload-session',
    asyncRoute(async (request, response) => {
      const driveId = checkDriveId(String(request.params.driveId));
      const path = request.query.path;
      if (typeof path !== 'string') throw badRequest('The query parameter `path` is required once.', 'invalidPath');
      const segments = checkPath(path);
      const session = await sessions.create(driveId, segments, readConflictBehavior(request.query.conflictBehavior, 'replace'));
      response.status(200).json({ uploadUrl: sessionUrl(session.id), expirationDateTime: session.expiresAt.toISOString() });
    }),
  );

  app.put(
    '/api/obo/upload-session/chunk',
    express.raw({ type: () => true, limit: MAX_CHUNK }),
    asyncRoute(async (request, response) => {
      const url = request.get('upload-session-url');
      if (!url) throw badRequest('The Upload-Session-Url header is required.', 'invalidRequest');
      const session = await sessions.get(/\/upload-sessions\/([0-9a-f-]{36})$/.exec(URL.parse(url)?.pathname ?? '')?.[1]);
      if (!(await sessions.append(session, request.get('content-range'), bodyOf(request)))) {
        response.status(202).json(progress(session));
        return;
      }
      try {
        const placed = await drives.place(session.driveId, session.segments, session.conflictBehavior);
        const target = drives.filePath(session.driveId, placed.segments);
        await mkdir(dirname(target), { recursive: true });
        await rename(session.tempPath, target);
        response.status(placed.replaced ? 200 : 201).json(await drives.item(session.driveId, placed.segments));
      } finally {
        await sessions.remove(session);
      }
    }),
  );

  // Graph's GET /drives/{driveId}/items/{itemId}/content answers 302 to a short-lived pre-authenticated URL; this API
  // answers 200 with the bytes itself (what a client that follows the redirect ends up with), so the file never
  // leaves the BFF's auth. Content-Type from the name, as the driveItem's file.mimeType.
  app.get(
    '/api/obo/drives/:driveId/items/:itemId/content',
    asyncRoute(async (request, response) => {
      const driveId = checkDriveId(String(request.params.driveId));
      const segments = await drives.findItem(driveId, checkItemId(String(request.params.itemId)));
      const item = await drives.item(driveId, segments);
      response.setHeader('Content-Type', item.file.mimeType);
      response.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(item.name)}`);
      response.setHeader('ETag', item.eTag);
      response.status(200).send(await readFile(drives.filePath(driveId, segments)));
    }),
  );

  // The uploadUrl itself, as Graph serves it: GET reports progress, DELETE cancels.
  app.get(
    '/api/obo/upload-sessions/:sessionId',
    asyncRoute(async (request, response) => {
      response.status(200).json(progress(await sessions.get(String(request.params.sessionId))));
    }),
  );
  app.delete(
    '/api/obo/upload-sessions/:sessionId',
    asyncRoute(async (request, response) => {
      await sessions.remove(await sessions.get(String(request.params.sessionId)));
      response.status(204).end();
    }),
  );

  app.use((request: Request, response: Response) => {
    sendProblem(response, request, new ProblemError(404, 'Not Found', `No route ${request.method} ${request.path}.`, 'notFound'));
  });
  app.use((error: unknown, request: Request, response: Response, _next: NextFunction) => sendProblem(response, request, toProblem(error)));
  return { app, close: () => sessions.close() };
}
