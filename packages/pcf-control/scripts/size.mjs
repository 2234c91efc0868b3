#!/usr/bin/env node
// Prints the production bundle's size: raw and gzip.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const bundlePath = join(dirname(fileURLToPath(import.meta.url)), '..', 'out', 'controls', 'UniversalQuickCreate', 'bundle.js');
let bundle;
try {
  bundle = readFileSync(bundlePath);
} catch {
  console.error(`No bundle at ${bundlePath}: run "npm run build -w @sdap/pcf-control" first.`);
  process.exit(1);
}
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
console.log(`UniversalQuickCreate bundle.js: ${kb(bundle.length)} minified, ${kb(gzipSync(bundle, { level: 9 }).length)} gzip`);
