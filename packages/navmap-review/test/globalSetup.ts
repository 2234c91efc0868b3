import { ensureLocalCertificate } from '@sdap/local-environment';

/**
 * Runs once before any test worker starts: the local Log Analytics query API serves https with the local
 * environment's self-signed certificate, and Node reads NODE_EXTRA_CA_CERTS only at process start, so the workers
 * (forked after this) and the CLI processes the tests start trust it through this variable.
 */
export default async function setup(): Promise<void> {
  const { certPath } = await ensureLocalCertificate();
  process.env.NODE_EXTRA_CA_CERTS = certPath;
}
