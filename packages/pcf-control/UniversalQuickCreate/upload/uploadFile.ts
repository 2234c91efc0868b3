import { NetworkError, sendRequest, type UploadResponse } from './sendRequest';

/** The Graph driveItem the BFF answers with; only what the document record needs. */
export interface DriveItem {
  readonly id: string;
  readonly name: string;
  readonly size: number;
  readonly webUrl?: string;
  readonly parentReference?: { readonly driveId?: string };
}

/** Graph requires upload-session chunks in multiples of 320 KiB (all but the last). */
export const CHUNK_UNIT_BYTES = 320 * 1024;

export interface UploadFileOptions {
  readonly bffBaseUrl: string;
  readonly getAccessToken: () => Promise<string>;
  /** The SharePoint Embedded container (= Graph drive id) of the parent record. */
  readonly containerId: string;
  readonly file: File;
  /** Files up to this size go in one PUT; larger ones through an upload session. */
  readonly thresholdBytes: number;
  /** @default 10 × 320 KiB */
  readonly chunkBytes?: number;
  /** Attempts per chunk before the upload fails. @default 3 */
  readonly maxChunkAttempts?: number;
  readonly onProgress?: (sentBytes: number, totalBytes: number) => void;
  readonly signal?: AbortSignal;
}

/** An upload that did not store the file; `message` is for the user. */
export class UploadError extends Error {
  override readonly name = 'UploadError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * The BFF's path rules (as the local environment's `validateUploadPath` applies them): checked here so the user learns
 * why before any byte is sent.
 */
export function checkUploadPath(name: string): string | undefined {
  if (name.trim() === '') return 'The file has no name.';
  if (name.endsWith('/')) return `The file name "${name}" ends with "/".`;
  if (name.split(/[\\/]/).includes('..')) return `The file name "${name}" contains "..".`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return `The file name "${name}" contains control characters.`;
  if (name.length > 1024) return `The file name is ${name.length} characters long; at most 1024 are allowed.`;
  return undefined;
}

function problemMessage(response: UploadResponse, action: string): string {
  const body = response.body as { title?: unknown; detail?: unknown } | string | null;
  const detail =
    typeof body === 'object' && body !== null
      ? [body.title, body.detail].filter((part): part is string => typeof part === 'string' && part !== '').join(': ')
      : typeof body === 'string'
        ? body.slice(0, 200)
        : '';
  return `${action} failed with HTTP ${response.status}${detail ? `: ${detail}` : '.'}`;
}

function asDriveItem(body: unknown, action: string): DriveItem {
  const item = body as Partial<DriveItem> | null;
  if (typeof item?.id !== 'string' || typeof item.name !== 'string' || typeof item.size !== 'number') {
    throw new UploadError(`${action} answered without a driveItem (id, name, size); the file may not be stored.`);
  }
  return item as DriveItem;
}

function isRetryable(error: unknown, response?: UploadResponse): boolean {
  if (error instanceof NetworkError) return true;
  return response !== undefined && (response.status === 429 || response.status >= 500);
}

const encodePath = (name: string) => name.split('/').map(encodeURIComponent).join('/');

/**
 * Stores one file through the BFF upload API: one PUT up to the threshold, else an upload session with chunks in
 * multiples of 320 KiB, each retried on network errors, 429 and 5xx.
 */
export async function uploadFile(options: UploadFileOptions): Promise<DriveItem> {
  const { file, bffBaseUrl, containerId } = options;
  const pathProblem = checkUploadPath(file.name);
  if (pathProblem) throw new UploadError(pathProblem);
  const base = bffBaseUrl.replace(/\/+$/, '');
  const authorization = async () => ({ Authorization: `Bearer ${await options.getAccessToken()}` });

  if (file.size <= options.thresholdBytes) {
    const response = await sendRequest({
      method: 'PUT',
      url: `${base}/api/obo/containers/${encodeURIComponent(containerId)}/files/${encodePath(file.name)}`,
      headers: { ...(await authorization()), 'Content-Type': file.type || 'application/octet-stream' },
      body: file,
      onProgress: (sent) => options.onProgress?.(Math.min(sent, file.size), file.size),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (response.status !== 200 && response.status !== 201) throw new UploadError(problemMessage(response, 'Upload'), response.status);
    options.onProgress?.(file.size, file.size);
    return asDriveItem(response.body, 'Upload');
  }

  const session = await sendRequest({
    method: 'POST',
    url: `${base}/api/obo/drives/${encodeURIComponent(containerId)}/upload-session?path=${encodeURIComponent(file.name)}&conflictBehavior=rename`,
    headers: await authorization(),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const uploadUrl = (session.body as { uploadUrl?: unknown } | null)?.uploadUrl;
  if (session.status !== 200 || typeof uploadUrl !== 'string') {
    throw new UploadError(problemMessage(session, 'Starting the upload session'), session.status);
  }

  const chunkBytes = options.chunkBytes ?? 10 * CHUNK_UNIT_BYTES;
  if (chunkBytes % CHUNK_UNIT_BYTES !== 0) throw new UploadError(`Chunk size ${chunkBytes} is not a multiple of 320 KiB.`);
  const maxAttempts = options.maxChunkAttempts ?? 3;
  for (let start = 0; start < file.size; start += chunkBytes) {
    const end = Math.min(start + chunkBytes, file.size) - 1;
    let attempt = 0;
    for (;;) {
      attempt++;
      let response: UploadResponse | undefined;
      let failure: unknown;
      try {
        response = await sendRequest({
          method: 'PUT',
          url: `${base}/api/obo/upload-session/chunk`,
          headers: { ...(await authorization()), 'Upload-Session-Url': uploadUrl, 'Content-Range': `bytes ${start}-${end}/${file.size}` },
          body: file.slice(start, end + 1),
          onProgress: (sent) => options.onProgress?.(start + Math.min(sent, end + 1 - start), file.size),
          ...(options.signal ? { signal: options.signal } : {}),
        });
      } catch (error) {
        failure = error;
      }
      if (response && (response.status === 202 || response.status === 200 || response.status === 201)) {
        if (end + 1 === file.size) {
          options.onProgress?.(file.size, file.size);
          return asDriveItem(response.body, 'The last chunk');
        }
        break;
      }
      if (attempt >= maxAttempts || !isRetryable(failure, response) || options.signal?.aborted) {
        throw response
          ? new UploadError(problemMessage(response, `Chunk ${start}-${end}`), response.status)
          : new UploadError(`Chunk ${start}-${end} failed: ${(failure as Error).message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** (attempt - 1)));
    }
  }
  throw new UploadError('The upload session ended without a driveItem.');
}
