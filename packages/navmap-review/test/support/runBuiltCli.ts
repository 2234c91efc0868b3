import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's built bin, as npm links it. */
export const BUILT_CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli.js');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall-clock milliseconds from start to exit, for reports; tests do not assert timings. */
  readonly elapsedMs: number;
}

/**
 * Runs an installed or built navmap-review bin in its own process with exactly `env` (plus PATH), so no sign-in of
 * the machine leaks in. NODE_EXTRA_CA_CERTS must be in `env` for the local https API.
 */
export function runCliProcess(cli: string, args: readonly string[], env: Record<string, string>, timeoutMs = 60_000): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: timeoutMs }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr, elapsedMs: Date.now() - started }),
    );
  });
}
