import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sdapSeed, type SeedRecord } from '../dataverse/sdapSeed.js';
import { environment, useTestEnvironmentPerFile } from '../../test/startTestEnvironment.js';
import { UPLOAD_CHUNK_MULTIPLE } from './UploadSessions.js';

useTestEnvironmentPerFile();
let token: string;
const driveId = (sdapSeed.records.sprk_matter[0] as SeedRecord).containerId;

beforeAll(async () => {
  token = await environment.getClientCredentialsToken('navmap-e2e', 'navmap-e2e-secret', environment.bffAudience);
});

const unique = () => `run-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

function putSmall(path: string, body: BodyInit, headers: Record<string, string> = {}, container = driveId): Promise<Response> {
  return fetch(`${environment.bffUrl}/api/obo/containers/${container}/files/${path}`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/octet-stream', ...headers },
    body,
  });
}

async function createSession(path: string, conflictBehavior?: string): Promise<{ uploadUrl: string; expirationDateTime: string }> {
  const query = new URLSearchParams({ path, ...(conflictBehavior ? { conflictBehavior } : {}) });
  const response = await fetch(`${environment.bffUrl}/api/obo/drives/${driveId}/upload-session?${query}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { uploadUrl: string; expirationDateTime: string };
}

function putChunk(uploadUrl: string, range: string | undefined, body: Uint8Array<ArrayBuffer>): Promise<Response> {
  return fetch(`${environment.bffUrl}/api/obo/upload-session/chunk`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${token}`, 'Upload-Session-Url': uploadUrl, ...(range === undefined ? {} : { 'Content-Range': range }) },
    body,
  });
}

async function problem(response: Response): Promise<{ status: number; code?: string; detail: string; title: string }> {
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return (await response.json()) as { status: number; code?: string; detail: string; title: string };
}

describe('small upload', () => {
  it('stores the file on disk and answers a Graph driveItem, 201 then 200 when replaced', async () => {
    const folder = unique();
    const response = await putSmall(`${folder}/A.pdf`, 'first version');
    expect(response.status).toBe(201);
    const item = (await response.json()) as Record<string, unknown>;
    expect(item).toMatchObject({ name: 'A.pdf', size: 13, file: { mimeType: 'application/pdf' }, parentReference: { driveId } });
    expect(item.id).toMatch(/^01[A-Z2-7]{32}$/);
    expect(String(item.webUrl)).toContain(`/${folder}/A.pdf`);
    const stored = join(environment.uploadDirectory, Buffer.from(driveId).toString('base64url'), folder, 'A.pdf');
    expect(await readFile(stored, 'utf8')).toBe('first version');

    const again = await putSmall(`${folder}/A.pdf`, 'second');
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: string }).id).toBe(item.id);
    expect(await readFile(stored, 'utf8')).toBe('second');
  });

  it.each([
    ['..%2F..%2Fetc%2Fpasswd', 'invalidPath', '".."'],
    ['a%2F..%2Fb.txt', 'invalidPath', '".."'],
    ['folder%2F', 'invalidPath', 'ends with "/"'],
    ['bad%01name.txt', 'invalidPath', 'control characters'],
    ['back%5Cslash.txt', 'invalidPath', '"\\"'],
    [`${'x'.repeat(1025)}`, 'invalidPath', '1025 characters'],
    ['%E0%A4%A', 'invalidPath', 'percent-encoding'],
  ])('refuses the path %s with 400 %s', async (path, code, detail) => {
    const response = await putSmall(path, 'x');
    expect(response.status).toBe(400);
    const body = await problem(response);
    expect(body).toMatchObject({ status: 400, code });
    expect(body.detail).toContain(detail);
  });

  it('refuses a malformed container id and answers 404 for unknown routes, as problems', async () => {
    expect((await problem(await putSmall('a.txt', 'x', {}, 'not%20a%20drive'))).code).toBe('invalidRequest');
    const unknown = await fetch(`${environment.bffUrl}/api/obo/nothing-here`, { headers: { Authorization: `Bearer ${token}` } });
    expect(unknown.status).toBe(404);
    expect((await problem(unknown)).code).toBe('notFound');
  });

  it('honours conflictBehavior=fail and rename', async () => {
    const path = `${unique()}/B.txt`;
    expect((await putSmall(path, 'one')).status).toBe(201);
    const failed = await putSmall(`${path}?conflictBehavior=fail`, 'two');
    expect(failed.status).toBe(409);
    expect((await problem(failed)).code).toBe('nameAlreadyExists');
    const renamed = await putSmall(`${path}?conflictBehavior=rename`, 'three');
    expect(renamed.status).toBe(201);
    expect(((await renamed.json()) as { name: string }).name).toBe('B 1.txt');
  });
});

describe('upload session', () => {
  it('takes 320 KiB chunks in order and answers the driveItem when complete', async () => {
    const path = `${unique()}/large.bin`;
    const { uploadUrl, expirationDateTime } = await createSession(path);
    expect(Date.parse(expirationDateTime)).toBeGreaterThan(Date.now());
    const total = UPLOAD_CHUNK_MULTIPLE * 2 + 1000;
    const data = new Uint8Array(total).map((_, index) => index % 251);

    const first = await putChunk(uploadUrl, `bytes 0-${UPLOAD_CHUNK_MULTIPLE - 1}/${total}`, data.subarray(0, UPLOAD_CHUNK_MULTIPLE));
    expect(first.status).toBe(202);
    expect(((await first.json()) as { nextExpectedRanges: string[] }).nextExpectedRanges).toEqual([`${UPLOAD_CHUNK_MULTIPLE}-`]);

    const repeated = await putChunk(uploadUrl, `bytes 0-${UPLOAD_CHUNK_MULTIPLE - 1}/${total}`, data.subarray(0, UPLOAD_CHUNK_MULTIPLE));
    expect(repeated.status).toBe(416);

    const second = await putChunk(uploadUrl, `bytes ${UPLOAD_CHUNK_MULTIPLE}-${total - 1}/${total}`, data.subarray(UPLOAD_CHUNK_MULTIPLE));
    expect(second.status).toBe(201);
    const item = (await second.json()) as { name: string; size: number };
    expect(item).toMatchObject({ name: 'large.bin', size: total });
    const stored = await readFile(join(environment.uploadDirectory, Buffer.from(driveId).toString('base64url'), path));
    expect(Buffer.compare(stored, Buffer.from(data))).toBe(0);

    const afterCompletion = await putChunk(uploadUrl, `bytes 0-0/${total}`, new Uint8Array(1));
    expect(afterCompletion.status).toBe(404);
  });

  it.each([
    ['a missing Content-Range', undefined, 10, 400],
    ['a malformed Content-Range', 'bytes=0-9/10', 10, 400],
    ['a length that differs from the range', 'bytes 0-9/10', 5, 400],
    ['a range past the total', 'bytes 0-10/10', 11, 400],
    ['a chunk that is not a multiple of 320 KiB', 'bytes 0-999/5000', 1000, 400],
    ['a gap before the chunk', 'bytes 100-199/1000', 100, 416],
  ])('refuses %s', async (_case, range, length, status) => {
    const { uploadUrl } = await createSession(`${unique()}/c.bin`);
    const response = await putChunk(uploadUrl, range, new Uint8Array(length));
    expect(response.status).toBe(status);
    expect((await problem(response)).code).toBe('invalidRange');
  });

  it('refuses an empty chunk, a missing or unknown session header, and a bad conflictBehavior', async () => {
    const { uploadUrl } = await createSession(`${unique()}/d.bin`);
    expect((await putChunk(uploadUrl, 'bytes 0-0/1', new Uint8Array(0))).status).toBe(400);
    const missing = await fetch(`${environment.bffUrl}/api/obo/upload-session/chunk`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${token}`, 'Content-Range': 'bytes 0-0/1' },
      body: new Uint8Array(1),
    });
    expect(missing.status).toBe(400);
    expect((await putChunk(`${environment.bffUrl}/api/obo/upload-sessions/00000000-0000-0000-0000-000000000000`, 'bytes 0-0/1', new Uint8Array(1))).status).toBe(404);
    const badBehavior = await fetch(`${environment.bffUrl}/api/obo/drives/${driveId}/upload-session?path=x.bin&conflictBehavior=overwrite`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(badBehavior.status).toBe(400);
    const noPath = await fetch(`${environment.bffUrl}/api/obo/drives/${driveId}/upload-session`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    expect((await problem(noPath)).code).toBe('invalidPath');
  });

  it('reports progress on GET uploadUrl and cancels on DELETE uploadUrl', async () => {
    const { uploadUrl } = await createSession(`${unique()}/f.bin`);
    expect((await putChunk(uploadUrl, `bytes 0-${UPLOAD_CHUNK_MULTIPLE - 1}/${UPLOAD_CHUNK_MULTIPLE + 1}`, new Uint8Array(UPLOAD_CHUNK_MULTIPLE))).status).toBe(202);
    const status = await fetch(uploadUrl, { headers: { Authorization: `Bearer ${token}` } });
    expect(((await status.json()) as { nextExpectedRanges: string[] }).nextExpectedRanges).toEqual([`${UPLOAD_CHUNK_MULTIPLE}-`]);
    expect((await fetch(uploadUrl, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } })).status).toBe(204);
    expect((await putChunk(uploadUrl, `bytes ${UPLOAD_CHUNK_MULTIPLE}-${UPLOAD_CHUNK_MULTIPLE}/${UPLOAD_CHUNK_MULTIPLE + 1}`, new Uint8Array(1))).status).toBe(404);
  });

  it('answers 409 nameAlreadyExists on the last chunk under conflictBehavior=fail', async () => {
    const path = `${unique()}/e.txt`;
    expect((await putSmall(path, 'exists')).status).toBe(201);
    const { uploadUrl } = await createSession(path, 'fail');
    const response = await putChunk(uploadUrl, 'bytes 0-2/3', new Uint8Array([1, 2, 3]));
    expect(response.status).toBe(409);
    expect((await problem(response)).code).toBe('nameAlreadyExists');
  });
});

describe('upload API auth', () => {
  it('requires a bearer token for the BFF audience', async () => {
    const anonymous = await fetch(`${environment.bffUrl}/api/obo/containers/${driveId}/files/a.txt`, { method: 'PUT', body: 'x' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect((await problem(anonymous)).code).toBe('unauthorized');

    const dataverseToken = await environment.getClientCredentialsToken('navmap-server', 'navmap-server-secret', environment.dataverseUrl);
    const wrongAudience = await fetch(`${environment.bffUrl}/api/obo/containers/${driveId}/files/a.txt`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${dataverseToken}` },
      body: 'x',
    });
    expect(wrongAudience.status).toBe(401);
  });
});

describe('content download', () => {
  const content = (drive: string, itemId: string, headers: Record<string, string> = { Authorization: `Bearer ${token}` }) =>
    fetch(`${environment.bffUrl}/api/obo/drives/${encodeURIComponent(drive)}/items/${itemId}/content`, { headers });

  it('answers the stored bytes of an uploaded item with its type and name', async () => {
    const bytes = Uint8Array.from({ length: 3000 }, (_unused, index) => (index * 7) % 256);
    const uploaded = (await (await putSmall(`${unique()}/Report 1.pdf`, bytes)).json()) as { id: string };
    const response = await content(driveId, uploaded.id);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''Report%201.pdf");
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);
  });

  it('refuses a request without a valid token with 401, as the upload routes do', async () => {
    const uploaded = (await (await putSmall(`${unique()}/B.txt`, 'secret')).json()) as { id: string };
    const response = await content(driveId, uploaded.id, {});
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('invalid_token');
  });

  it('answers 404 itemNotFound for an item of another drive and 400 for an id that is not an item id', async () => {
    const uploaded = (await (await putSmall(`${unique()}/C.txt`, 'c')).json()) as { id: string };
    const otherDrive = (sdapSeed.records.sprk_project[0] as SeedRecord).containerId;
    const missing = await content(otherDrive, uploaded.id);
    expect(missing.status).toBe(404);
    expect((await problem(missing)).code).toBe('itemNotFound');
    const malformed = await content(driveId, '..%2F..%2Fetc');
    expect(malformed.status).toBe(400);
    expect((await problem(malformed)).detail).toContain('is not a drive item id');
  });
});
