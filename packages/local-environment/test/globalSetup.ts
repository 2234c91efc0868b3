import { ensureLocalCertificate } from '../src/certificate/ensureLocalCertificate.js';
import { testDataDir } from './testDataDir.js';

/**
 * Runs in the main vitest process before any worker starts: creates the https certificate once and makes every
 * worker trust it, so Node's own fetch, @azure/identity and MSAL reach the identity provider without options.
 * Workers are forked after this, and Node reads NODE_EXTRA_CA_CERTS only at process start.
 */
export default async function setup(): Promise<void> {
  const { certPath } = await ensureLocalCertificate(testDataDir);
  process.env.NODE_EXTRA_CA_CERTS = certPath;
}
