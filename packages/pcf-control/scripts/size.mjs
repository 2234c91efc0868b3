#!/usr/bin/env node
// Prints the production bundle's size (minified and gzip), the redirect page script's, and what each package
// contributes to the bundle. The breakdown
// comes from webpack's own stats for pcf-scripts' own production configuration (its getWebpackConfig, with the
// manifest's platform libraries as externals): each package's modules as webpack read them, before tree shaking,
// minified and gzipped on their own. The figures are upper bounds that sum to more than the bundle: tree shaking
// drops unused exports (most of valibot) and one gzip window shares repeats across packages.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { transform } from 'esbuild';
import { REDIRECT_SCRIPT_WEB_RESOURCE, WEB_RESOURCES } from './solutionPackage.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundlePath = join(root, 'out', 'controls', 'UniversalQuickCreate', 'bundle.js');
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;

let bundle;
try {
  bundle = readFileSync(bundlePath);
} catch {
  console.error(`No bundle at ${bundlePath}: run "npm run build -w @sdap/pcf-control" first.`);
  process.exit(1);
}
console.log(`UniversalQuickCreate bundle.js: ${kb(bundle.length)} minified, ${kb(gzip(bundle))} gzip`);
const redirectScript = WEB_RESOURCES.find((resource) => resource.name === REDIRECT_SCRIPT_WEB_RESOURCE);
const redirectScriptPath = join(root, 'out', 'web-resources', redirectScript.builtFile);
let script;
try {
  script = readFileSync(redirectScriptPath);
} catch {
  console.error(`No redirect page script at ${redirectScriptPath}: run "npm run build -w @sdap/pcf-control" first.`);
  process.exit(1);
}
console.log(`${REDIRECT_SCRIPT_WEB_RESOURCE} (the redirect page's msal-browser bridge): ${kb(script.length)} minified, ${kb(gzip(script))} gzip`);

/** Runs webpack with the configuration pcf-scripts builds for this control and returns its modules with their sources. */
async function webpackModules() {
  const require = createRequire(join(root, 'package.json'));
  const pcfScripts = dirname(require.resolve('pcf-scripts/package.json'));
  const { ControlContext } = require(join(pcfScripts, 'controlContext.js'));
  const { DiagnosticManager } = require(join(pcfScripts, 'diagnostic.js'));
  const { getWebpackConfig } = require(join(pcfScripts, 'webpackConfig.js'));
  const { webpack } = createRequire(join(pcfScripts, 'package.json'))('webpack');
  const control = new ControlContext(new DiagnosticManager(), join(root, 'UniversalQuickCreate'));
  const outDir = mkdtempSync(join(tmpdir(), 'uqc-size-'));
  const previous = process.cwd();
  process.chdir(root);
  try {
    const config = getWebpackConfig(control, outDir, 'production', false);
    const stats = await new Promise((resolve, reject) => webpack(config, (error, result) => (error ? reject(error) : resolve(result))));
    if (stats.hasErrors()) throw new Error(stats.toString({ all: false, errors: true }));
    const json = stats.toJson({ all: false, modules: true, nestedModules: true, source: true, ids: false });
    const flatten = (modules) => modules.flatMap((module) => (module.modules ? flatten(module.modules) : [module]));
    return { modules: flatten(json.modules ?? []), externals: config.externals };
  } finally {
    process.chdir(previous);
    rmSync(outDir, { recursive: true, force: true });
  }
}

const packageOf = (name) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(name.replace(/\\/g, '/'))?.[1];
const { modules, externals } = await webpackModules();
const groups = new Map();
for (const module of modules) {
  if (typeof module.source !== 'string') continue; // externals and runtime modules have no source
  const name = String(module.name ?? module.identifier ?? '');
  const key = packageOf(name) ?? (name.includes('navmap-sdk/') ? '@sdap/navmap-sdk' : 'UniversalQuickCreate (the control)');
  // Each module minified on its own (their top-level names would clash in one file), then gzipped per package.
  const { code } = await transform(module.source, { minify: true, loader: name.endsWith('.json') ? 'json' : 'js', format: 'esm', target: 'es2020', logLevel: 'silent' });
  groups.set(key, `${groups.get(key) ?? ''}${code}`);
}
const rows = [...groups].map(([name, code]) => {
  const minified = Buffer.from(code);
  return { name, minified: minified.length, gzip: gzip(minified) };
});
rows.sort((a, b) => b.gzip - a.gzip);
const external = Object.entries(externals?.[0] ?? {}).map(([request, global]) => `${request} -> window.${global}`);
console.log(`Platform libraries (webpack externals, not in the bundle): ${external.length ? external.join(', ') : 'none'}`);
console.log('What each package brings in (its modules before tree shaking, minified and gzipped on their own; upper bounds):');
const width = Math.max(...rows.map((row) => row.name.length));
for (const row of rows) console.log(`  ${row.name.padEnd(width)}  ${kb(row.minified).padStart(9)} minified  ${kb(row.gzip).padStart(8)} gzip`);
