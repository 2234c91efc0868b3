/**
 * Builds the installed runner (@sdap/navmap-validate) into dist/: the `remote` specs, the sign-in setup, the report's
 * reporter, the runner's Playwright configuration and its CLI, as JavaScript. Compiled, not shipped as TypeScript:
 * Playwright transforms no file under node_modules (`shouldTransform` in playwright/lib/common/index.js), where an
 * installed runner lives.
 *
 * One bundle with shared chunks: the suite's helpers from @sdap/local-environment and @sdap/navmap-sdk (the telemetry
 * parser, the seed's names, the telemetry contract) are inlined, tree-shaken; the local stack is refused (a spec the
 * remote project runs must not import it: the local project injects it, playwright.config.ts). Only the packages in
 * "dependencies" stay imports, and the build fails when anything else would.
 */
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { LOCAL_ONLY_SPECS } from '../config/createValidationConfig.js';

const e2e = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(e2e, 'dist');
const manifest = JSON.parse(readFileSync(join(e2e, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const dependencies = Object.keys(manifest.dependencies);

/** The workspace packages inlined (tree-shaken) into the runner; they are not published with it. */
const INLINED = ['@sdap/local-environment', '@sdap/navmap-sdk'];
const workspace = join(e2e, '..');
const INLINED_SOURCES = INLINED.map((name) => join(workspace, 'packages', name.split('/')[1] as string, 'src'));
/** Workspace packages the runner carries data files of in its bundle (the control's fallback map); not published. */
const BUNDLED_DATA = ['@sdap/pcf-control'];
/** Packages the runner must never reach: the local stack runs only from a clone. */
const REFUSED = ['@sdap/local-stack', '@sdap/navmap-server'];

const packageOf = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

const installedRunnerImports: Plugin = {
  name: 'installed-runner-imports',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.path.startsWith('node:') || builtinModules.includes(args.path)) return { path: args.path, external: true, sideEffects: false };
      const name = packageOf(args.path);
      if (REFUSED.includes(name) || args.path.includes('/e2e/local/')) {
        return { errors: [{ text: `${relative(e2e, args.importer)} imports ${args.path}, which the installed runner does not have: reach the local stack through the localTargets fixture (e2e/fixtures.ts).` }] };
      }
      if (INLINED.includes(name)) {
        // From the sources, module by module: a package's bundled dist keeps every top-level call (and its imports).
        return { path: join(workspace, 'packages', name.split('/')[1] as string, 'src', 'index.ts'), sideEffects: false };
      }
      if (BUNDLED_DATA.includes(name) && args.path.endsWith('.json')) return { path: createRequire(args.importer).resolve(args.path) };
      if (dependencies.includes(name)) return { path: args.path, external: true };
      if (args.importer.startsWith(e2e) && !args.importer.includes('node_modules')) {
        return { errors: [{ text: `${relative(e2e, args.importer)} imports ${args.path}: add it to e2e/package.json "dependencies" or keep it out of the remote suite.` }] };
      }
      // An import inside an inlined package that tree-shaking leaves out costs nothing (marked side-effect free so that
      // esbuild may drop it); one it keeps fails the check below.
      return { path: args.path, external: true, sideEffects: false };
    });
    // The inlined sources' own modules are side-effect free too (the packages' manifests do not say so).
    pluginBuild.onResolve({ filter: /^\./ }, async (args) => {
      if (args.pluginData === 'inline' || !INLINED_SOURCES.some((dir) => args.importer.startsWith(dir))) return undefined;
      const resolved = await pluginBuild.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'inline' });
      return { ...resolved, sideEffects: false };
    });
    pluginBuild.onResolve({ filter: /\/local\// }, (args) =>
      args.importer.startsWith(e2e) && join(args.resolveDir, args.path).startsWith(join(e2e, 'local'))
        ? { errors: [{ text: `${relative(e2e, args.importer)} imports ${args.path}: the local target stays out of the installed runner.` }] }
        : undefined,
    );
  },
};

const specs = readdirSync(join(e2e, 'specs'))
  .filter((file) => file.endsWith('.spec.ts') && !LOCAL_ONLY_SPECS.some((pattern) => pattern.test(file)))
  .map((file) => join(e2e, 'specs', file));

rmSync(dist, { recursive: true, force: true });
const result = await build({
  entryPoints: [
    ...specs,
    join(e2e, 'remote', 'signIn.setup.ts'),
    join(e2e, 'reporter', 'ValidationReportReporter.ts'),
    join(e2e, 'config', 'installedRunner.config.ts'),
    join(e2e, 'cli', 'navmapValidate.ts'),
  ],
  outbase: e2e,
  outdir: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  chunkNames: 'chunks/[name]-[hash]',
  metafile: true,
  logLevel: 'warning',
  plugins: [installedRunnerImports],
});

// What the runner imports at run time: node's own modules and its dependencies, nothing else.
const stray = new Set<string>();
for (const output of Object.values(result.metafile.outputs)) {
  for (const imported of output.imports) {
    if (imported.external && !imported.path.startsWith('node:') && !builtinModules.includes(imported.path) && !dependencies.includes(packageOf(imported.path))) stray.add(imported.path);
  }
}
if (stray.size > 0) {
  console.error(`e2e build: the runner would import ${[...stray].join(', ')}, which it does not depend on. Keep them out of the remote suite.`);
  process.exit(1);
}

const bytes = Object.keys(result.metafile.outputs).reduce((sum, file) => sum + statSync(file).size, 0);
console.log(`e2e build: ${specs.length} specs, setup, reporter, config and CLI in dist/ (${Object.keys(result.metafile.outputs).length} files, ${(bytes / 1024).toFixed(0)} KiB)`);
