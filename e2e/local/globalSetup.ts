import { ensureLocalCertificate } from '@sdap/local-environment';

/**
 * Trusts the local identity provider's self-signed certificate in the test workers, so the real navmap-server can
 * fetch its OIDC discovery and keys. Node reads NODE_EXTRA_CA_CERTS only at process start, and Playwright forks its
 * workers after global setup.
 */
export default async function globalSetup(): Promise<void> {
  const { certPath } = await ensureLocalCertificate();
  process.env.NODE_EXTRA_CA_CERTS = certPath;
}
