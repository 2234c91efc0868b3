/**
 * Size of the `./client` entry as a control bundles it: dist/client.js with its dependency idb-keyval, minified and
 * gzipped, MSAL excluded. Also fails when the bundle reaches server code, MSAL or a Node built-in. Goal: <= 8 KB.
 * Then the `./react` entry's own figure (React excluded), which must not reach the client's code either.
 */
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const GOAL_BYTES = 8 * 1024;

/** A dist entry as a control's bundler takes it: bundled with its dependencies but `external`, minified. */
function bundleEntry(file: string, external: string[]) {
  return build({
    entryPoints: [fileURLToPath(new URL(`../dist/${file}`, import.meta.url))],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    external,
    logLevel: 'silent',
  });
}

const result = await bundleEntry('client.js', ['@azure/msal-browser']);
const output = result.outputFiles[0];
if (!output) throw new Error('esbuild produced no output');
const code = output.contents;
const gzipped = gzipSync(code, { level: 9 }).length;
const inputs = Object.keys(result.metafile.inputs);

const forbidden = inputs.filter((input) => /(^|\/)(src\/server|dist\/server|@azure\/msal)|^node:/.test(input));
const text = Buffer.from(code).toString('utf8');
const imports = Object.values(result.metafile.outputs).flatMap((outputMeta) => outputMeta.imports.map((item) => item.path));

console.log('@sdap/navmap-sdk/client, bundled with its dependencies (MSAL excluded), minified:');
for (const input of inputs) console.log(`  ${String(result.metafile.inputs[input]?.bytes).padStart(7)} B  ${input}`);
console.log(`min:      ${(code.length / 1024).toFixed(2)} KB (${code.length} B)`);
console.log(`min+gzip: ${(gzipped / 1024).toFixed(2)} KB (${gzipped} B), goal <= ${GOAL_BYTES / 1024} KB: ${gzipped <= GOAL_BYTES ? 'met' : 'NOT met'}`);
if (forbidden.length > 0 || imports.length > 0 || /\bEntityDefinitions\b|from"node:/.test(text)) {
  console.error(`The client bundle reaches server code, MSAL or Node built-ins: ${[...forbidden, ...imports].join(', ') || 'server strings found'}`);
  process.exit(1);
}
console.log('no server code, no MSAL, no Node built-ins: ok');

// The `./react` entry apart: the hooks alone (React is the platform's), so the client's figure above stays the client's.
const reactEntry = await bundleEntry('react.js', ['react']);
const reactCode = reactEntry.outputFiles[0]?.contents;
if (!reactCode) throw new Error('esbuild produced no output for the react entry');
const reactInputs = Object.keys(reactEntry.metafile.inputs);
const reactGzipped = gzipSync(reactCode, { level: 9 }).length;
console.log(`@sdap/navmap-sdk/react (React external): min ${reactCode.length} B, min+gzip ${(reactGzipped / 1024).toFixed(2)} KB (${reactGzipped} B)`);
if (reactInputs.some((input) => /(^|\/)(src\/server|dist\/server|dist\/client|@azure\/msal|idb-keyval|valibot)|^node:/.test(input))) {
  console.error(`The react entry reaches the client's code, server code, MSAL or Node built-ins: ${reactInputs.join(', ')}`);
  process.exit(1);
}
console.log('react entry: hooks only, no client, server or MSAL code: ok');
