import { X509Certificate, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

/** Where the local environment keeps uploads and its certificate unless told otherwise. */
export function defaultDataDir(): string {
  return join(tmpdir(), 'navmap-local-environment');
}

const CERT_FILE = 'localhost.pem';
const KEY_FILE = 'localhost-key.pem';
const MIN_REMAINING_MS = 7 * 24 * 60 * 60 * 1000;
/** The names the certificate covers: the services, and the identity provider's Entra-shaped sign-in host. */
export const LOCAL_CERTIFICATE_HOSTS = ['localhost', 'login.localhost'] as const;

async function usable(directory: string): Promise<boolean> {
  try {
    const [certificatePem] = await Promise.all([readFile(join(directory, CERT_FILE), 'utf8'), readFile(join(directory, KEY_FILE), 'utf8')]);
    const certificate = new X509Certificate(certificatePem);
    return Date.parse(certificate.validTo) - Date.now() > MIN_REMAINING_MS && LOCAL_CERTIFICATE_HOSTS.every((host) => certificate.checkHost(host) === host);
  } catch {
    return false;
  }
}

/**
 * Creates the self-signed https certificate of the identity provider (for `localhost`, `login.localhost`,
 * `127.0.0.1` and `::1`)
 * under `<dataDir>/certs`, or reuses the one already there. Safe to call from several processes at once: a new
 * certificate is written to its own folder and renamed into place, so readers never see half a pair.
 * Trust it in Node with `NODE_EXTRA_CA_CERTS=<certPath>`.
 *
 * @example
 * // vitest globalSetup, before any worker starts:
 * const { certPath } = await ensureLocalCertificate();
 * process.env.NODE_EXTRA_CA_CERTS = certPath;
 */
export async function ensureLocalCertificate(dataDir: string = defaultDataDir()): Promise<{ certPath: string; keyPath: string }> {
  const directory = join(dataDir, 'certs');
  const paths = { certPath: join(directory, CERT_FILE), keyPath: join(directory, KEY_FILE) };
  if (await usable(directory)) return paths;

  await mkdir(dataDir, { recursive: true });
  const staging = join(dataDir, `certs-${randomBytes(6).toString('hex')}`);
  await mkdir(staging);
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + 825 * 24 * 60 * 60 * 1000);
  const pems = await generate([{ name: 'commonName', value: 'localhost' }, { name: 'organizationName', value: 'NavMap local environment' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      // A CA flag lets the same self-signed certificate be the trust anchor in NODE_EXTRA_CA_CERTS.
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...LOCAL_CERTIFICATE_HOSTS.map((host) => ({ type: 2 as const, value: host })),
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  await writeFile(join(staging, CERT_FILE), pems.cert);
  await writeFile(join(staging, KEY_FILE), pems.private, { mode: 0o600 });
  if (await usable(directory)) {
    await rm(staging, { recursive: true, force: true });
    return paths;
  }
  await rm(directory, { recursive: true, force: true });
  try {
    await rename(staging, directory);
  } catch {
    // Another process renamed its own pair into place first: use that one.
    await rm(staging, { recursive: true, force: true });
  }
  if (!(await usable(directory))) throw new Error(`Could not create a usable certificate in ${directory}.`);
  return paths;
}
