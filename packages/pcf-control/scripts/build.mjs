#!/usr/bin/env node
// Production build of the control and its solution zip. Fails when pcf-scripts fails, whatever its exit code says.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPcfBuildLog } from './pcfBuildLog.mjs';
import { CONSTRUCTOR, SOLUTION_NAME, buildSolutionZip, manifestVersion, sha256 } from './solutionPackage.mjs';
import { hashSources } from './sourceHash.mjs';
import { buildWebResources } from './buildWebResources.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fail = (message) => {
  console.error(`[pcf-control build] ${message}`);
  process.exit(1);
};

const packageVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
const inputManifestVersion = manifestVersion(readFileSync(join(root, CONSTRUCTOR, 'ControlManifest.Input.xml'), 'utf8'));
if (inputManifestVersion !== packageVersion) {
  fail(`ControlManifest.Input.xml says ${inputManifestVersion} but package.json says ${packageVersion}; make them equal.`);
}

const pcfScripts = createRequire(join(root, 'package.json')).resolve('pcf-scripts/bin/pcf-scripts.js');
const result = spawnSync(process.execPath, [pcfScripts, 'build', '--buildMode', 'production'], {
  cwd: root,
  encoding: 'utf8',
  env: { ...process.env, PP_TOOLS_TELEMETRY_OPTOUT: 'true' },
  maxBuffer: 64 * 1024 * 1024,
});
const log = `${result.stdout ?? ''}${result.stderr ?? ''}`;
process.stdout.write(log);
const verdict = checkPcfBuildLog(log);
if (result.status !== 0 || !verdict.ok) fail(verdict.ok ? `pcf-scripts exited with ${result.status}` : verdict.reason);

const controlOutputDir = join(root, 'out', 'controls', CONSTRUCTOR);
const builtManifestVersion = manifestVersion(readFileSync(join(controlOutputDir, 'ControlManifest.xml'), 'utf8'));
if (builtManifestVersion !== packageVersion) fail(`The built manifest says ${builtManifestVersion}, expected ${packageVersion}.`);

const webResourceOutputDir = await buildWebResources(root);
const { zip, files } = buildSolutionZip(controlOutputDir, webResourceOutputDir, packageVersion);
const solutionDir = join(root, 'out', 'solution');
mkdirSync(solutionDir, { recursive: true });
const zipPath = join(solutionDir, `${SOLUTION_NAME}.zip`);
writeFileSync(zipPath, zip);
const bundle = readFileSync(join(controlOutputDir, 'bundle.js'));
writeFileSync(
  join(solutionDir, 'build-info.json'),
  `${JSON.stringify(
    {
      version: packageVersion,
      sourceHash: hashSources(root),
      bundleSha256: sha256(bundle),
      builtAt: new Date().toISOString(),
      files,
    },
    null,
    2,
  )}\n`,
);
console.log(`[pcf-control build] ${zipPath} (${zip.length} bytes): ${readdirSync(controlOutputDir).join(', ')}; version ${packageVersion}`);
