import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';

/** `/*! <package> v<version> ...` for msal-browser and msal-common as resolved from `folder`: their MIT notice. */
function msalNotice(folder) {
  const require = createRequire(join(folder, 'index.js'));
  const browserPackage = require.resolve('@azure/msal-browser/package.json');
  const browser = require(browserPackage).version;
  const common = createRequire(browserPackage)('@azure/msal-common/package.json').version;
  return `/*! @azure/msal-browser v${browser}, @azure/msal-common v${common} | Copyright (c) Microsoft Corporation | MIT License */`;
}

/**
 * Builds the web resources the solution ships into out/web-resources: the redirect page as written, and its script
 * bundled with esbuild from the msal-browser the control bundles (same package, same version), minified for the
 * browsers the control is compiled for (pcfconfig.json's Babel targets).
 * @returns {Promise<string>} the output folder
 */
export async function buildWebResources(root) {
  const sourceDir = join(root, 'web-resources');
  const outDir = join(root, 'out', 'web-resources');
  mkdirSync(outDir, { recursive: true });
  const { targets } = JSON.parse(readFileSync(join(root, 'pcfconfig.json'), 'utf8'));
  const result = await build({
    entryPoints: [join(sourceDir, 'msalredirect.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: Object.entries(targets).map(([browser, version]) => `${browser}${version}`),
    legalComments: 'none',
    banner: { js: msalNotice(sourceDir) },
    write: false,
    logLevel: 'silent',
  });
  writeFileSync(join(outDir, 'msalredirect.js'), result.outputFiles[0].contents);
  copyFileSync(join(sourceDir, 'msalredirect.html'), join(outDir, 'msalredirect.html'));
  return outDir;
}
