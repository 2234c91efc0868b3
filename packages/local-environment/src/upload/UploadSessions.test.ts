import { access, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UPLOAD_CHUNK_MULTIPLE, UploadSessions } from './UploadSessions.js';

const exists = (path: string) => access(path).then(() => true, () => false);

describe('UploadSessions', () => {
  let sessions: UploadSessions | undefined;
  afterEach(() => sessions?.close());

  async function start(ttlMs: number) {
    let now = Date.parse('2026-12-01T10:00:00Z');
    sessions = new UploadSessions({ directory: await mkdtemp(join(tmpdir(), 'upload-sessions-')), ttlMs, now: () => now });
    return { sessions, advance: (ms: number) => (now += ms) };
  }

  it('answers 404 itemNotFound for an expired session and removes it with its part file', async () => {
    const { sessions, advance } = await start(1_000);
    const session = await sessions.create('b!drive', ['a.bin'], 'replace');
    expect(session.expiresAt.toISOString()).toBe('2026-12-01T10:00:01.000Z');
    expect(await sessions.get(session.id)).toBe(session);

    advance(1_000);
    await expect(sessions.get(session.id)).rejects.toMatchObject({ status: 404, code: 'itemNotFound' });
    expect(sessions.size).toBe(0);
    expect(await exists(session.tempPath)).toBe(false);
  });

  it('sweeps expired sessions nobody asks for', async () => {
    const { sessions, advance } = await start(1_000);
    const stale = await sessions.create('b!drive', ['old.bin'], 'replace');
    advance(600);
    const fresh = await sessions.create('b!drive', ['new.bin'], 'replace');
    advance(500);
    expect(await sessions.sweep()).toBe(1);
    expect(sessions.size).toBe(1);
    expect(await exists(stale.tempPath)).toBe(false);
    expect(await sessions.get(fresh.id)).toBe(fresh);
  });

  it('extends the expiration with every chunk received, as Graph does', async () => {
    const { sessions, advance } = await start(1_000);
    const session = await sessions.create('b!drive', ['c.bin'], 'replace');
    advance(900);
    const total = UPLOAD_CHUNK_MULTIPLE + 1;
    expect(await sessions.append(session, `bytes 0-${UPLOAD_CHUNK_MULTIPLE - 1}/${total}`, Buffer.alloc(UPLOAD_CHUNK_MULTIPLE))).toBe(false);
    advance(900);
    expect(await sessions.get(session.id)).toBe(session);
    expect(session.expiresAt.toISOString()).toBe('2026-12-01T10:00:01.900Z');
  });
});
