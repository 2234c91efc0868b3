#!/usr/bin/env node
// Regenerates docs/validation-report.example.md from a real run of the e2e suite on the local environment.
// Run after `npm run build`. The example is never edited by hand.
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = spawnSync('npx', ['playwright', 'test'], { cwd: root, stdio: 'inherit' });
if (run.status !== 0) {
  console.error('The e2e suite failed; the example report was not updated.');
  process.exit(run.status ?? 1);
}
copyFileSync(join(root, 'playwright-report', 'validation-report.md'), join(root, 'docs', 'validation-report.example.md'));
console.log('Updated docs/validation-report.example.md');
