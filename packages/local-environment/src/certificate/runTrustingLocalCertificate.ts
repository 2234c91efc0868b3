import { spawn } from 'node:child_process';
import { ensureLocalCertificate } from './ensureLocalCertificate.js';

/**
 * Runs `main` in a process that trusts the local environment's certificate. Node reads `NODE_EXTRA_CA_CERTS` only at
 * start, so unless this process already has it pointing at the certificate, the script runs again in a child process
 * with it set (same Node options and arguments), and this process exits with the child's code.
 *
 * @example
 * // a bench that talks https to the local environment:
 * await runTrustingLocalCertificate(main);
 */
export async function runTrustingLocalCertificate(main: () => Promise<void>, dataDir?: string): Promise<void> {
  const { certPath } = await ensureLocalCertificate(dataDir);
  if (process.env.NODE_EXTRA_CA_CERTS === certPath) {
    await main();
    return;
  }
  const again = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    env: { ...process.env, NODE_EXTRA_CA_CERTS: certPath },
    stdio: 'inherit',
  });
  process.exitCode = await new Promise<number>((resolve) => again.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}
