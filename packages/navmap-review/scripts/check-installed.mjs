#!/usr/bin/env node
// Runs an installed navmap-review against the local Log Analytics query API of the package's tests
// (test/support/startLogsQueryApi.ts, loaded with tsx) and checks what it prints and its exit codes.
//
// Usage: node packages/navmap-review/scripts/check-installed.mjs <installed navmap-review bin | its package folder>
//   e.g. node packages/navmap-review/scripts/check-installed.mjs /tmp/clean/node_modules/.bin/navmap-review
//        node packages/navmap-review/scripts/check-installed.mjs /tmp/clean/node_modules/@sdap/navmap-review
// Needs @sdap/local-environment built (its certificate helper) and tsx, both in this repository.
// Prints one line per check; exits 1 when one fails, 2 on bad usage.

import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { tsImport } from 'tsx/esm/api';

const RESOURCE = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/navmap-prod/providers/microsoft.insights/components/navmap-ai';
const WINDOW = ['--from', '2026-12-01T08:00:00Z', '--to', '2026-12-02T08:00:00Z'];

function usage(message) {
  console.error(`check-installed: ${message}\nUsage: node packages/navmap-review/scripts/check-installed.mjs <installed navmap-review bin or its package folder>`);
  process.exit(2);
}

/** The bin file and the installed package.json, from either the bin (or its node_modules/.bin link) or the package folder. */
function locate(target) {
  if (target === undefined) usage('no path given.');
  const path = resolve(target);
  if (!existsSync(path)) usage(`${path} does not exist.`);
  if (statSync(path).isDirectory()) {
    const manifestPath = join(path, 'package.json');
    if (!existsSync(manifestPath)) usage(`${path} has no package.json: pass the installed @sdap/navmap-review folder or its bin.`);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.['navmap-review'];
    if (manifest.name !== '@sdap/navmap-review' || bin === undefined) usage(`${manifestPath} is not @sdap/navmap-review with a navmap-review bin.`);
    return { cli: join(path, bin), manifest };
  }
  // A node_modules/.bin entry is a link to <package>/dist/cli.js.
  const cli = realpathSync(path);
  const manifestPath = join(dirname(cli), '..', 'package.json');
  if (!existsSync(manifestPath)) usage(`no package.json next to ${cli}'s folder: pass the package folder instead.`);
  return { cli, manifest: JSON.parse(readFileSync(manifestPath, 'utf8')) };
}

const { cli, manifest } = locate(process.argv[2]);
const { startLogsQueryApi } = await tsImport('../test/support/startLogsQueryApi.ts', import.meta.url);
const dataSets = await tsImport('../test/support/dataSets.ts', import.meta.url);
const { runCliProcess } = await tsImport('../test/support/runBuiltCli.ts', import.meta.url);

const api = await startLogsQueryApi();
const home = mkdtempSync(join(tmpdir(), 'navmap-review-check-'));
const failures = [];

async function check(description, dataSet, { args = [], env = {}, code, stdout, stderr }) {
  api.use(dataSet);
  const run = await runCliProcess(cli, args, {
    HOME: home,
    NODE_EXTRA_CA_CERTS: api.certPath,
    NAVMAP_REVIEW_LOGS_ENDPOINT: api.endpoint,
    NAVMAP_REVIEW_ACCESS_TOKEN: api.token,
    ...env,
  });
  const problems = [];
  if (run.code !== code) problems.push(`exit ${run.code}, expected ${code}`);
  if (stdout !== undefined && !run.stdout.includes(stdout)) problems.push(`stdout lacks "${stdout}"`);
  if (stderr !== undefined && !run.stderr.includes(stderr)) problems.push(`stderr lacks "${stderr}"`);
  if (problems.length === 0) console.log(`ok    ${description} (exit ${run.code}, ${(run.elapsedMs / 1000).toFixed(1)} s)`);
  else {
    console.log(`FAIL  ${description}: ${problems.join('; ')}\n${run.stdout}${run.stderr}`);
    failures.push(description);
  }
}

try {
  console.log(`navmap-review ${manifest.version} at ${cli}, against the local Log Analytics query API ${api.endpoint}`);
  await check('--version prints the installed version', dataSets.healthy, { args: ['--version'], code: 0, stdout: `${manifest.version}\n` });
  await check('a healthy resource: every target met, continue', dataSets.healthy, {
    args: ['--resource', RESOURCE, ...WINDOW],
    code: 0,
    stdout: '## Decision: Deployment successful, continue monitoring',
  });
  await check('an expired token (403 InvalidAuthenticationToken): token expired or invalid, could not review', dataSets.healthy, {
    args: ['--resource', RESOURCE, ...WINDOW],
    env: { NAVMAP_REVIEW_ACCESS_TOKEN: 'an-expired-token' },
    code: 3,
    stdout: '- token expired or invalid (HTTP 403 InvalidAuthenticationToken',
  });
  await check('no Azure sign-in: one line saying how to sign in, nothing queried', dataSets.healthy, {
    args: ['--resource', RESOURCE, ...WINDOW],
    env: { NAVMAP_REVIEW_ACCESS_TOKEN: '', PATH: '/nonexistent' },
    code: 4,
    stderr: 'navmap-review: not signed in to Azure: sign in with `az login`',
  });
} finally {
  await api.close();
  rmSync(home, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.error(`check-installed: ${failures.length} check(s) failed: ${failures.join('; ')}`);
  process.exit(1);
}
console.log('check-installed: the installed navmap-review ran and passed every check');
