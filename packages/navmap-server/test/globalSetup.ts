import { existsSync } from 'node:fs';

/**
 * Runs once before any test worker starts: the local environment's identity provider serves https with a
 * self-signed certificate, and Node reads NODE_EXTRA_CA_CERTS only at process start, so it must be set here.
 */
export default async function setup(): Promise<void> {
  const dist = new URL('../../local-environment/dist/index.js', import.meta.url);
  if (!existsSync(dist)) return;
  const { ensureLocalCertificate } = await import('@sdap/local-environment');
  const { certPath } = await ensureLocalCertificate();
  process.env.NODE_EXTRA_CA_CERTS = certPath;
}
