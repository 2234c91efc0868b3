import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureLocalCertificate } from './ensureLocalCertificate.js';

const folders: string[] = [];
afterAll(async () => {
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

describe('ensureLocalCertificate', () => {
  it('creates a localhost certificate once and reuses it, also under concurrent calls', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'navmap-cert-'));
    folders.push(dataDir);
    const results = await Promise.all([ensureLocalCertificate(dataDir), ensureLocalCertificate(dataDir), ensureLocalCertificate(dataDir)]);
    expect(new Set(results.map((result) => result.certPath)).size).toBe(1);
    const first = await readFile(results[0]?.certPath ?? '', 'utf8');
    const certificate = new X509Certificate(first);
    expect(certificate.checkHost('localhost')).toBe('localhost');
    expect(certificate.checkHost('login.localhost')).toBe('login.localhost'); // the Entra-shaped sign-in host
    expect(certificate.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(certificate.ca).toBe(true);
    const again = await ensureLocalCertificate(dataDir);
    expect(await readFile(again.certPath, 'utf8')).toBe(first);
    expect(certificate.checkPrivateKey((await import('node:crypto')).createPrivateKey(await readFile(again.keyPath, 'utf8')))).toBe(true);
  });
});
