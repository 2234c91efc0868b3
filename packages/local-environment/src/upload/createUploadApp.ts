import { createHash, randomUUID } from 'node:crypto';
import { appendFile, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { applyFault, type FaultRenderer } from '../admin/applyFault.js';
import type { FaultInjector } from '../admin/FaultInjector.js';
import { cors } from '../http/cors.js';
import { TokenRejectedError, type TokenVerifier } from '../identity/TokenVerifier.js';
import { UploadPathError, validateUploadPath } from './validateUploadPath.js';

export interface UploadAppOptions {
  /** Routes served on the same origin before the upload API, as a BFF hosts other endpoints. */
  readonly bffRoutes?: express.Router;
  readonly faults: FaultInjector;
  readonly verifier: TokenVerifier;
  /** Audience the bearer token must carry, `api://navmap-bff`. */
  readonly audience: string;
  /** Origin of this API, for `uploadUrl` and `webUrl`. */
  readonly uploadApiUrl: string;
  /** Folder that receives the files (`<dataDir>/uploads`). */
  readonly directory: string;
  readonly authorityHost: string;
  readonly tenantId: string;
}

/** Chunks must be multiples of 320 KiB, except the last. */
export const UPLOAD_CHUNK_MULTIPLE = 327_680;
const MAX_SIMPLE_UPLOAD = '250mb';
const MAX_CHUNK = '60mb';
const SESSION_TTL_MS = 60 * 60 * 1000;
const DRIVE_ID = /^[A-Za-z0-9!_\-.]{1,256}$/;
const CONFLICT_BEHAVIORS = ['fail', 'replace', 'rename'] as const;
type ConflictBehavior = (typeof CONFLICT_BEHAVIORS)[number];

interface UploadSession {
  readonly id: string;
  readonly driveId: string;
  segments: string[];
  readonly conflictBehavior: ConflictBehavior;
  readonly tempPath: string;
  readonly expiresAt: Date;
  total: number | undefined;
  received: number;
  busy: boolean;
}

class ProblemError extends Error {
  override readonly name = 'ProblemError' as const;
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
    readonly code?: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

function sendProblem(response: Response, request: Request, error: ProblemError): void {
  for (const [name, value] of Object.entries(error.headers)) response.setHeader(name, value);
  response
    .status(error.status)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: `https://httpstatuses.io/${error.status}`,
        title: error.title,
        status: error.status,
        detail: error.message,
        instance: request.originalUrl.split('?')[0],
        ...(error.code === undefined ? {} : { code: error.code }),
      }),
    );
}

const MIME_TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.txt': 'text/plain',
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.msg': 'application/vnd.ms-outlook',
  '.eml': 'message/rfc822',
  '.zip': 'application/zip',
};

/** A Graph-like item id: `01` and 32 base32 characters, stable for a drive and path. */
function itemId(driveId: string, segments: readonly string[]): string {
  const digest = createHash('sha256').update(`${driveId}\n${segments.join('/')}`).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const byte of digest.subarray(0, 20)) bits += byte.toString(2).padStart(8, '0');
  let id = '01';
  for (let index = 0; index < 32; index++) id += alphabet[parseInt(bits.slice(index * 5, index * 5 + 5), 2)];
  return id;
}

/**
 * The BFF's upload API (`/api/obo/...`) over files on disk, answering Graph driveItems and RFC 7807 problems.
 *
 * @example
 * const app = createUploadApp({ faults, verifier, audience: 'api://navmap-bff', uploadApiUrl, directory, authorityHost, tenantId });
 */
export function createUploadApp(options: UploadAppOptions): express.Express {
  const sessions = new Map<string, UploadSession>();
  const driveFolder = (driveId: string) => join(options.directory, Buffer.from(driveId).toString('base64url'));
  const filePath = (driveId: string, segments: readonly string[]) => join(driveFolder(driveId), ...segments);

  const driveItem = async (driveId: string, segments: readonly string[]) => {
    const path = filePath(driveId, segments);
    const info = await stat(path);
    const name = segments[segments.length - 1] as string;
    const parent = segments.slice(0, -1);
    const id = itemId(driveId, segments);
    const encodedPath = segments.map(encodeURIComponent).join('/');
    return {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#drives(\'' + driveId + '\')/items/$entity',
      id,
      name,
      size: info.size,
      webUrl: `${options.uploadApiUrl}/files/${encodeURIComponent(driveId)}/${encodedPath}`,
      eTag: `"{${id}},${Math.floor(info.mtimeMs)}"`,
      cTag: `"c:{${id}},${Math.floor(info.mtimeMs)}"`,
      createdDateTime: info.birthtime.toISOString(),
      lastModifiedDateTime: info.mtime.toISOString(),
      file: { mimeType: MIME_TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream' },
      parentReference: {
        driveType: 'other',
        driveId,
        id: parent.length === 0 ? '01ROOT00000000000000000000000000000' : itemId(driveId, parent),
        path: `/drives/${driveId}/root:${parent.length === 0 ? '' : `/${parent.join('/')}`}`,
      },
    };
  };

  const exists = async (path: string) => stat(path).then(() => true, () => false);

  /** Where a new file goes under the conflict behaviour; `replaced` tells 200 from 201. */
  const placeFile = async (driveId: string, segments: string[], behavior: ConflictBehavior): Promise<{ segments: string[]; replaced: boolean }> => {
    if (!(await exists(filePath(driveId, segments)))) return { segments, replaced: false };
    if (behavior === 'replace') return { segments, replaced: true };
    if (behavior === 'fail') {
      throw new ProblemError(409, 'Conflict', `A file named '${segments.join('/')}' already exists in drive '${driveId}'.`, 'nameAlreadyExists');
    }
    const name = segments[segments.length - 1] as string;
    const extension = extname(name);
    const stem = name.slice(0, name.length - extension.length);
    for (let counter = 1; ; counter++) {
      const candidate = [...segments.slice(0, -1), `${stem} ${counter}${extension}`];
      if (!(await exists(filePath(driveId, candidate)))) return { segments: candidate, replaced: false };
    }
  };

  const conflictBehavior = (value: unknown, fallback: ConflictBehavior): ConflictBehavior => {
    if (value === undefined) return fallback;
    if (typeof value === 'string' && (CONFLICT_BEHAVIORS as readonly string[]).includes(value)) return value as ConflictBehavior;
    throw new ProblemError(400, 'Bad Request', `conflictBehavior must be one of ${CONFLICT_BEHAVIORS.join(', ')}; received ${JSON.stringify(value)}.`, 'invalidRequest');
  };

  const checkDriveId = (driveId: string) => {
    if (!DRIVE_ID.test(driveId)) {
      throw new ProblemError(400, 'Bad Request', `'${driveId.slice(0, 100)}' is not a container id; expected an id such as 'b!...'.`, 'invalidRequest');
    }
  };

  const checkPath = (path: string) => {
    try {
      return validateUploadPath(path);
    } catch (error) {
      if (error instanceof UploadPathError) throw new ProblemError(400, 'Bad Request', error.message, 'invalidPath');
      throw error;
    }
  };

  const renderer: FaultRenderer = {
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

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Other BFF endpoints (the NavMap router) live on the same origin, with their own CORS, outside the upload API's
  // faults and counters.
  if (options.bffRoutes) app.use(options.bffRoutes);
  app.use(cors);
  app.use(async (request: Request, response: Response, next: NextFunction) => {
    const fault = options.faults.take('upload');
    if (fault && (await applyFault(fault, request, response, renderer))) return;
    try {
      await options.verifier.verify(request.headers.authorization, [options.audience]);
      next();
    } catch (error) {
      if (!(error instanceof TokenRejectedError)) return next(error);
      sendProblem(
        response,
        request,
        new ProblemError(401, 'Unauthorized', error.message, 'unauthorized', {
          'WWW-Authenticate': `Bearer authorization_uri="${options.authorityHost}/${options.tenantId}/oauth2/v2.0/authorize", error="invalid_token"`,
        }),
      );
    }
  });

  const asyncRoute =
    (handler: (request: Request, response: Response) => Promise<void>) => (request: Request, response: Response, next: NextFunction) => {
      handler(request, response).catch(next);
    };

  app.put(
    '/api/obo/containers/:containerId/files/*path',
    express.raw({ type: () => true, limit: MAX_SIMPLE_UPLOAD }),
    asyncRoute(async (request, response) => {
      const driveId = String(request.params.containerId);
      checkDriveId(driveId);
      const rawPath = /\/files\/([^?]*)/.exec(request.originalUrl)?.[1] ?? '';
      let path: string;
      try {
        path = decodeURIComponent(rawPath);
      } catch {
        throw new ProblemError(400, 'Bad Request', 'The file path contains an invalid percent-encoding.', 'invalidPath');
      }
      const segments = checkPath(path);
      const behavior = conflictBehavior(request.query.conflictBehavior ?? request.query['@microsoft.graph.conflictBehavior'], 'replace');
      const placed = await placeFile(driveId, segments, behavior);
      const target = filePath(driveId, placed.segments);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0));
      response.status(placed.replaced ? 200 : 201).json(await driveItem(driveId, placed.segments));
    }),
  );

  app.post(
    '/api/obo/drives/:driveId/upload-session',
    asyncRoute(async (request, response) => {
      const driveId = String(request.params.driveId);
      checkDriveId(driveId);
      const path = request.query.path;
      if (typeof path !== 'string') throw new ProblemError(400, 'Bad Request', 'The query parameter `path` is required once.', 'invalidPath');
      const segments = checkPath(path);
      const behavior = conflictBehavior(request.query.conflictBehavior, 'replace');
      const id = randomUUID();
      await mkdir(join(options.directory, '.sessions'), { recursive: true });
      const session: UploadSession = {
        id,
        driveId,
        segments,
        conflictBehavior: behavior,
        tempPath: join(options.directory, '.sessions', `${id}.part`),
        expiresAt: new Date(Date.now() + SESSION_TTL_MS),
        total: undefined,
        received: 0,
        busy: false,
      };
      await writeFile(session.tempPath, Buffer.alloc(0));
      sessions.set(id, session);
      response.status(200).json({ uploadUrl: `${options.uploadApiUrl}/api/obo/upload-sessions/${id}`, expirationDateTime: session.expiresAt.toISOString() });
    }),
  );

  app.put(
    '/api/obo/upload-session/chunk',
    express.raw({ type: () => true, limit: MAX_CHUNK }),
    asyncRoute(async (request, response) => {
      const sessionUrl = request.get('upload-session-url');
      if (!sessionUrl) throw new ProblemError(400, 'Bad Request', 'The Upload-Session-Url header is required.', 'invalidRequest');
      const id = /\/upload-sessions\/([0-9a-f-]{36})$/.exec(URL.parse(sessionUrl)?.pathname ?? '')?.[1];
      const session = id === undefined ? undefined : sessions.get(id);
      if (session === undefined || session.expiresAt.getTime() < Date.now()) {
        throw new ProblemError(404, 'Not Found', 'The upload session does not exist or has expired; create a new one.', 'itemNotFound');
      }
      const rangeHeader = request.get('content-range');
      const range = rangeHeader === undefined ? null : /^bytes (\d{1,15})-(\d{1,15})\/(\d{1,15})$/.exec(rangeHeader.trim());
      if (range === null) {
        throw new ProblemError(400, 'Bad Request', 'The Content-Range header is required, as "bytes <start>-<end>/<total>".', 'invalidRange');
      }
      const [start, end, total] = [Number(range[1]), Number(range[2]), Number(range[3])];
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      if (body.length === 0) throw new ProblemError(400, 'Bad Request', 'The chunk is empty.', 'invalidRange');
      if (start > end || end >= total) throw new ProblemError(400, 'Bad Request', `Content-Range '${rangeHeader}' is not a valid range.`, 'invalidRange');
      if (body.length !== end - start + 1) {
        throw new ProblemError(400, 'Bad Request', `Content-Range '${rangeHeader}' announces ${end - start + 1} bytes but the body has ${body.length}.`, 'invalidRange');
      }
      if (session.total !== undefined && session.total !== total) {
        throw new ProblemError(400, 'Bad Request', `The total size changed from ${session.total} to ${total}.`, 'invalidRange');
      }
      if (start !== session.received) {
        throw new ProblemError(416, 'Range Not Satisfiable', `Expected the range starting at byte ${session.received}; received ${rangeHeader}.`, 'invalidRange');
      }
      const isLast = end + 1 === total;
      if (!isLast && body.length % UPLOAD_CHUNK_MULTIPLE !== 0) {
        throw new ProblemError(400, 'Bad Request', `Chunks other than the last must be multiples of 320 KiB (${UPLOAD_CHUNK_MULTIPLE} bytes); this one has ${body.length}.`, 'invalidRange');
      }
      if (session.busy) throw new ProblemError(409, 'Conflict', 'Another chunk of this session is being written; send chunks in order, one at a time.', 'invalidRange');
      session.busy = true;
      try {
        await appendFile(session.tempPath, body);
        session.total = total;
        session.received = end + 1;
      } finally {
        session.busy = false;
      }
      if (!isLast) {
        response.status(202).json({ expirationDateTime: session.expiresAt.toISOString(), nextExpectedRanges: [`${session.received}-`] });
        return;
      }
      sessions.delete(session.id);
      try {
        const placed = await placeFile(session.driveId, session.segments, session.conflictBehavior);
        const target = filePath(session.driveId, placed.segments);
        await mkdir(dirname(target), { recursive: true });
        await rename(session.tempPath, target);
        response.status(placed.replaced ? 200 : 201).json(await driveItem(session.driveId, placed.segments));
      } finally {
        await rm(session.tempPath, { force: true });
      }
    }),
  );

  const sessionFromUrl = (request: Request): UploadSession => {
    const session = sessions.get(String(request.params.sessionId));
    if (session === undefined || session.expiresAt.getTime() < Date.now()) {
      throw new ProblemError(404, 'Not Found', 'The upload session does not exist or has expired; create a new one.', 'itemNotFound');
    }
    return session;
  };

  // The uploadUrl itself, as Graph serves it: GET reports progress, DELETE cancels.
  app.get(
    '/api/obo/upload-sessions/:sessionId',
    asyncRoute(async (request, response) => {
      const session = sessionFromUrl(request);
      response.status(200).json({ expirationDateTime: session.expiresAt.toISOString(), nextExpectedRanges: [`${session.received}-`] });
    }),
  );
  app.delete(
    '/api/obo/upload-sessions/:sessionId',
    asyncRoute(async (request, response) => {
      const session = sessionFromUrl(request);
      sessions.delete(session.id);
      await rm(session.tempPath, { force: true });
      response.status(204).end();
    }),
  );

  app.use((request: Request, response: Response) => {
    sendProblem(response, request, new ProblemError(404, 'Not Found', `No route ${request.method} ${request.path}.`, 'notFound'));
  });
  app.use((error: unknown, request: Request, response: Response, _next: NextFunction) => {
    if (error instanceof ProblemError) return sendProblem(response, request, error);
    const status = (error as { status?: unknown }).status;
    if (status === 413) return sendProblem(response, request, new ProblemError(413, 'Payload Too Large', 'The body is larger than this endpoint accepts.', 'payloadTooLarge'));
    if (error instanceof URIError || (status === 400 && /decode param/i.test((error as Error).message))) {
      return sendProblem(response, request, new ProblemError(400, 'Bad Request', 'The file path contains an invalid percent-encoding.', 'invalidPath'));
    }
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendProblem(response, request, new ProblemError(status, 'Bad Request', (error as Error).message, 'invalidRequest'));
    }
    sendProblem(response, request, new ProblemError(500, 'Internal Server Error', 'The upload failed; see the server log.', 'generalException'));
  });
  return app;
}
