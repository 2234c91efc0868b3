// The one way the root scripts that run tests start a command and wait for it (test-unit.mjs, test-node24.mjs).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Runs a command with inherited output (or stdout captured, with `capture`); resolves with its exit code and output.
 * Ctrl-C reaches the child through the terminal; when the script is stopped otherwise (SIGTERM), the child is too.
 */
export function runCommand(command, args, { cwd = ROOT, env = process.env, capture = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit' });
    let output = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    const stop = () => child.kill('SIGTERM');
    process.once('SIGTERM', stop);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      process.off('SIGTERM', stop);
      resolve({ code: code ?? (signal ? 128 : 1), output });
    });
  });
}
