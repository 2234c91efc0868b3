import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const SKIP = new Set(['generated', 'node_modules']);

function sources(folder) {
  return readdirSync(folder)
    .filter((name) => !SKIP.has(name))
    .flatMap((name) => {
      const path = join(folder, name);
      return statSync(path).isDirectory() ? sources(path) : [path];
    });
}

/** A hash over the control's and web resources' sources, so a test can tell whether the zip was built from them. */
export function hashSources(root) {
  const hash = createHash('sha256');
  for (const path of [...sources(join(root, 'UniversalQuickCreate')), ...sources(join(root, 'web-resources'))].sort()) {
    if (path.endsWith('.test.ts')) continue;
    hash.update(relative(root, path)).update('\0').update(readFileSync(path)).update('\0');
  }
  return hash.digest('hex');
}
