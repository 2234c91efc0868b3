import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConflictBehavior } from './DriveFolder.js';
import { badRequest, ProblemError } from './ProblemError.js';

/** Chunks must be multiples of 320 KiB, except the last. */
export const UPLOAD_CHUNK_MULTIPLE = 327_680;
/** How long a session lives without a chunk, as Graph's `expirationDateTime` says. */
export const DEFAULT_UPLOAD_SESSION_TTL_MS = 60 * 60 * 1000;

export interface UploadSession {
  readonly id: string;
  readonly driveId: string;
  readonly segments: string[];
  readonly conflictBehavior: ConflictBehavior;
  readonly tempPath: string;
  expiresAt: Date;
  total: number | undefined;
  received: number;
  busy: boolean;
}

export interface UploadSessionsOptions {
  /** Folder for the parts received so far (`<uploads>/.sessions`). */
  readonly directory: string;
  /** @default DEFAULT_UPLOAD_SESSION_TTL_MS */
  readonly ttlMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

// Graph answers an unknown, cancelled, completed or expired uploadUrl alike: 404 itemNotFound.
const notFound = () => new ProblemError(404, 'Not Found', 'The upload session does not exist or has expired; create a new one.', 'itemNotFound');

/** The chunk a `Content-Range: bytes <start>-<end>/<total>` header announces, checked against the body and the session. */
function checkChunk(session: UploadSession, rangeHeader: string | undefined, length: number): { end: number; total: number } {
  const range = rangeHeader === undefined ? null : /^bytes (\d{1,15})-(\d{1,15})\/(\d{1,15})$/.exec(rangeHeader.trim());
  if (range === null) throw badRequest('The Content-Range header is required, as "bytes <start>-<end>/<total>".', 'invalidRange');
  const [start, end, total] = [Number(range[1]), Number(range[2]), Number(range[3])];
  if (length === 0) throw badRequest('The chunk is empty.', 'invalidRange');
  if (start > end || end >= total) throw badRequest(`Content-Range '${rangeHeader}' is not a valid range.`, 'invalidRange');
  if (length !== end - start + 1) throw badRequest(`Content-Range '${rangeHeader}' announces ${end - start + 1} bytes but the body has ${length}.`, 'invalidRange');
  if (session.total !== undefined && session.total !== total) throw badRequest(`The total size changed from ${session.total} to ${total}.`, 'invalidRange');
  if (start !== session.received) {
    throw new ProblemError(416, 'Range Not Satisfiable', `Expected the range starting at byte ${session.received}; received ${rangeHeader}.`, 'invalidRange');
  }
  if (end + 1 !== total && length % UPLOAD_CHUNK_MULTIPLE !== 0) {
    throw badRequest(`Chunks other than the last must be multiples of 320 KiB (${UPLOAD_CHUNK_MULTIPLE} bytes); this one has ${length}.`, 'invalidRange');
  }
  return { end, total };
}

/**
 * Open upload sessions, each with the bytes received so far in a part file. A session expires `ttlMs` after it was
 * created or last received a chunk (each chunk extends it, as Graph's does); an expired session is removed with its
 * part file, on the next look-up or the periodic sweep, whichever comes first.
 */
export class UploadSessions {
  private readonly sessions = new Map<string, UploadSession>();
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly options: UploadSessionsOptions) {
    this.ttlMs = options.ttlMs ?? DEFAULT_UPLOAD_SESSION_TTL_MS;
    this.now = options.now ?? Date.now;
    this.sweeper = setInterval(() => void this.sweep(), Math.min(this.ttlMs, 60_000));
    this.sweeper.unref();
  }

  async create(driveId: string, segments: string[], conflictBehavior: ConflictBehavior): Promise<UploadSession> {
    const id = randomUUID();
    await mkdir(this.options.directory, { recursive: true });
    const session: UploadSession = {
      id,
      driveId,
      segments,
      conflictBehavior,
      tempPath: join(this.options.directory, `${id}.part`),
      expiresAt: new Date(this.now() + this.ttlMs),
      total: undefined,
      received: 0,
      busy: false,
    };
    await writeFile(session.tempPath, Buffer.alloc(0));
    this.sessions.set(id, session);
    return session;
  }

  /** The live session with this id; 404 itemNotFound otherwise (an expired one is removed first). */
  async get(id: string | undefined): Promise<UploadSession> {
    const session = id === undefined ? undefined : this.sessions.get(id);
    if (session === undefined) throw notFound();
    if (session.expiresAt.getTime() <= this.now()) {
      await this.remove(session);
      throw notFound();
    }
    return session;
  }

  /** Appends a chunk after checking its range; returns true when it was the last. */
  async append(session: UploadSession, rangeHeader: string | undefined, body: Buffer): Promise<boolean> {
    const { end, total } = checkChunk(session, rangeHeader, body.length);
    if (session.busy) throw new ProblemError(409, 'Conflict', 'Another chunk of this session is being written; send chunks in order, one at a time.', 'invalidRange');
    session.busy = true;
    try {
      await appendFile(session.tempPath, body);
      session.total = total;
      session.received = end + 1;
      session.expiresAt = new Date(this.now() + this.ttlMs);
    } finally {
      session.busy = false;
    }
    return session.received === total;
  }

  /** Forgets the session and deletes its part file (cancelled, completed or expired). */
  async remove(session: UploadSession): Promise<void> {
    this.sessions.delete(session.id);
    await rm(session.tempPath, { force: true });
  }

  /** Removes every expired session; returns how many. */
  async sweep(): Promise<number> {
    const expired = [...this.sessions.values()].filter((session) => session.expiresAt.getTime() <= this.now() && !session.busy);
    await Promise.all(expired.map((session) => this.remove(session)));
    return expired.length;
  }

  /** Open sessions, expired ones included until they are swept. */
  get size(): number {
    return this.sessions.size;
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}
