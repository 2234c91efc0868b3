import { readFile } from 'node:fs/promises';
import { ensureLocalCertificate } from '@sdap/local-environment';

/** The local environment's https certificate and key, for a test page on https://localhost (same site as the identity provider). */
export async function readLocalTls(dataDir?: string): Promise<{ key: string; cert: string }> {
  const { certPath, keyPath } = await ensureLocalCertificate(dataDir);
  const [cert, key] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]);
  return { key, cert };
}
