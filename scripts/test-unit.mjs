#!/usr/bin/env node
// `npm run test:unit` (the unit-test step of `npm test`): every package's `test` task, two at a time as
// `turbo run test --concurrency=2` ran them, but @sdap/local-stack's first. Its tests take about 130 s of the step on
// a 2-core machine (two vitest workers that mostly wait on real timers, packages/local-stack/vitest.config.ts); turbo's
// scheduler started them last, so they ran alone for their last 90 s. Here two slots take packages from one queue,
// local-stack's first, so the other packages' tests run beside it.
// The builds run first (cache hits after `turbo run build`), so each package's run executes its tests only (--only)
// and two runs never restore the same build outputs at once.
import { runCommand } from './runCommand.mjs';

const FIRST = '@sdap/local-stack';
const SLOTS = 2;
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1' };
const turbo = (args, options = {}) => runCommand('npx', ['turbo', ...args], { env, ...options });

const built = await turbo(['run', 'build', '--output-logs=errors-only']);
if (built.code !== 0) {
  console.error('[test:unit] the build failed (see above): fix it first (npm run build -w <package>).');
  process.exit(built.code);
}
// The packages with a `test` task, as turbo sees them.
const dry = await turbo(['run', 'test', '--only', '--dry=json'], { capture: true });
const packages = JSON.parse(dry.output.slice(dry.output.indexOf('{')))
  .tasks.map((task) => task.package)
  .sort((a, b) => Number(b === FIRST) - Number(a === FIRST));
const queue = [...packages];
const failed = [];
async function slot() {
  for (let name = queue.shift(); name; name = queue.shift()) {
    const { code } = await turbo(['run', 'test', '--only', `--filter=${name}`]);
    if (code !== 0) failed.push(name);
  }
}
await Promise.all(Array.from({ length: SLOTS }, slot));
if (failed.length > 0) {
  console.error(`[test:unit] FAILED: the tests of ${failed.join(', ')} (see above).`);
  process.exit(1);
}
console.log(`[test:unit] passed: ${packages.join(', ')}`);
