import { readdir, stat } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { badRequest, ProblemError } from './ProblemError.js';
import { driveItem, itemId } from './driveItem.js';
import { UploadPathError, validateUploadPath } from './validateUploadPath.js';

export const CONFLICT_BEHAVIORS = ['fail', 'replace', 'rename'] as const;
export type ConflictBehavior = (typeof CONFLICT_BEHAVIORS)[number];
const DRIVE_ID = /^[A-Za-z0-9!_\-.]{1,256}$/;
const ITEM_ID = /^01[A-Z2-7]{32}$/;

/** The `conflictBehavior` query value, or `fallback` when absent; anything else is a 400. */
export function readConflictBehavior(value: unknown, fallback: ConflictBehavior): ConflictBehavior {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (CONFLICT_BEHAVIORS as readonly string[]).includes(value)) return value as ConflictBehavior;
  throw badRequest(`conflictBehavior must be one of ${CONFLICT_BEHAVIORS.join(', ')}; received ${JSON.stringify(value)}.`, 'invalidRequest');
}

/** A container id as SharePoint Embedded spells them (`b!...`); anything else is a 400. */
export function checkDriveId(driveId: string): string {
  if (!DRIVE_ID.test(driveId)) throw badRequest(`'${driveId.slice(0, 100)}' is not a container id; expected an id such as 'b!...'.`, 'invalidRequest');
  return driveId;
}

/** The path's segments, or a 400 `invalidPath` naming what is wrong with it. */
export function checkPath(path: string): string[] {
  try {
    return validateUploadPath(path);
  } catch (error) {
    if (error instanceof UploadPathError) throw badRequest(error.message, 'invalidPath');
    throw error;
  }
}

/** An item id as Graph spells them (`01` and 32 base32 characters); anything else is a 400. */
export function checkItemId(id: string): string {
  if (!ITEM_ID.test(id)) throw badRequest(`'${id.slice(0, 100)}' is not a drive item id; expected an id such as '01ABC...' from the upload's driveItem.`, 'invalidRequest');
  return id;
}

const exists = (path: string) => stat(path).then(() => true, () => false);

/** The files of every container, one folder per drive under `directory`, answered as Graph driveItems. */
export interface DriveFolder {
  filePath(driveId: string, segments: readonly string[]): string;
  /** Where a new file goes under the conflict behaviour; `replaced` tells 200 from 201. */
  place(driveId: string, segments: string[], behavior: ConflictBehavior): Promise<{ segments: string[]; replaced: boolean }>;
  item(driveId: string, segments: readonly string[]): Promise<ReturnType<typeof driveItem>>;
  /** The path of the file with this item id in the drive, or a 404 `itemNotFound` as Graph answers. */
  findItem(driveId: string, id: string): Promise<string[]>;
}

export function createDriveFolder(directory: string, bffUrl: string): DriveFolder {
  const filePath = (driveId: string, segments: readonly string[]) => join(directory, Buffer.from(driveId).toString('base64url'), ...segments);
  return {
    filePath,
    async place(driveId, segments, behavior) {
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
    },
    async item(driveId, segments) {
      return driveItem(bffUrl, driveId, segments, await stat(filePath(driveId, segments)));
    },
    async findItem(driveId, id) {
      // Item ids are digests of the path: walk the drive's files (a test drive holds a few) and match.
      const root = filePath(driveId, []);
      const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        if (!entry.isFile()) continue;
        const segments = relative(root, join(entry.parentPath, entry.name)).split(sep);
        if (itemId(driveId, segments) === id) return segments;
      }
      throw new ProblemError(404, 'Not Found', `The drive '${driveId}' has no item '${id}'.`, 'itemNotFound');
    },
  };
}
