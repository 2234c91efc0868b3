#!/usr/bin/env node
// The README's main-job command: builds the control and @sdap/local-stack, then runs the stack's program
// (packages/local-stack/dist/runLocalStack.js) in a child process that trusts the local certificate, which Node reads
// only at start.
import { spawn } from 'node:child_process';
import { buildLocalStack, root, toolEnv } from './buildLocalStack.mjs';

buildLocalStack();

const { ensureLocalCertificate } = await import('@sdap/local-environment');
const { LOCAL_STACK_SCRIPT } = await import('@sdap/local-stack');
const { certPath } = await ensureLocalCertificate();
const child = spawn(process.execPath, [LOCAL_STACK_SCRIPT], {
  cwd: root,
  stdio: 'inherit',
  env: { ...toolEnv, NODE_EXTRA_CA_CERTS: certPath },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
