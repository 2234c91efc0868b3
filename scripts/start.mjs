#!/usr/bin/env node
// The README's main-job command: builds the control and @sdap/local-stack, then runs the stack's program
// (packages/local-stack/dist/runLocalStack.js) in a child process that trusts the local certificate, which Node reads
// only at start.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', PP_TOOLS_TELEMETRY_OPTOUT: 'true' };

const build = spawnSync('npx', ['turbo', 'run', 'build', '--filter=@sdap/pcf-control...', '--filter=@sdap/local-stack...', '--output-logs=errors-only'], {
  cwd: root,
  stdio: 'inherit',
  env,
});
if (build.status !== 0) {
  console.error('The build failed; see above.');
  process.exit(build.status ?? 1);
}

const { ensureLocalCertificate } = await import('@sdap/local-environment');
const { LOCAL_STACK_SCRIPT } = await import('@sdap/local-stack');
const { certPath } = await ensureLocalCertificate();
const child = spawn(process.execPath, [LOCAL_STACK_SCRIPT], {
  cwd: root,
  stdio: 'inherit',
  env: { ...env, NODE_EXTRA_CA_CERTS: certPath },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
