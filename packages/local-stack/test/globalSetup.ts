import { ensureLocalCertificate } from '@sdap/local-environment';

/**
 * Runs once before any test worker starts: the local environment's identity provider serves https with a
 * self-signed certificate, and Node reads NODE_EXTRA_CA_CERTS only at process start, so it must be set here.
 */
export default async function setup(): Promise<void> {
  const { certPath } = await ensureLocalCertificate();
  process.env.NODE_EXTRA_CA_CERTS = certPath;
}
