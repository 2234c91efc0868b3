import type * as LocalEnvironmentModule from '@sdap/local-environment';

type LocalEnvironment = typeof LocalEnvironmentModule;

/**
 * Trusts the local identity provider's self-signed certificate in the test workers, so the real navmap-server can
 * fetch its OIDC discovery and keys. Node reads NODE_EXTRA_CA_CERTS only at process start, and Playwright forks its
 * workers after global setup.
 *
 * Only the `integration` project needs it, and its packages are not dependencies of the SDK (`@sdap/local-stack`
 * depends on the SDK: a cycle). Without their build the `client` project still runs.
 */
export default async function globalSetup(): Promise<void> {
  let localEnvironment: LocalEnvironment;
  try {
    localEnvironment = await import('@sdap/local-environment');
  } catch {
    console.warn('globalSetup: @sdap/local-environment is not built; only the `client` project can run.');
    return;
  }
  const { certPath } = await localEnvironment.ensureLocalCertificate();
  process.env.NODE_EXTRA_CA_CERTS = certPath;
}
