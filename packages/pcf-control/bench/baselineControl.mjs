// The "before" control of the load benchmark: the standard control of main's commit 07e3434 (React 18 and Fluent 9
// bundled, 935 KB), built from that commit's own sources and lockfile so its bundle is exactly what was deployed.
// The build (git archive, npm ci, turbo build: several minutes) runs once; later runs reuse the copy. The bench
// deploys it as an admin deploys any control: packed in a solution of its own and imported into the org.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { CONTROL_NAME, SOLUTION_NAME, buildSolutionZip, manifestVersion } from '../scripts/solutionPackage.mjs';

/** main's last commit with the standard control. */
export const BASELINE_COMMIT = '07e3434';
/**
 * The baseline's `CustomControl/Name` and solution: distinct from this build's, so importing it adds a second control
 * to the org instead of replacing this build's (the org keys controls by name). Its manifest keeps 07e3434's namespace
 * and constructor, so the bundle registers under the name it was built with; a form loads one control's bundle, so
 * the two never meet on a page.
 */
export const BASELINE_CONTROL_NAME = `${CONTROL_NAME}${BASELINE_COMMIT}`;
export const BASELINE_SOLUTION_NAME = `${SOLUTION_NAME}${BASELINE_COMMIT}`;

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const repositoryRoot = join(packageRoot, '..', '..');
const defaultDirectory = join(packageRoot, 'node_modules', '.cache', `bench-control-${BASELINE_COMMIT}`);

function run(command, args, cwd) {
  const result = spawnSync(command, args, {
    cwd,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', PP_TOOLS_TELEMETRY_OPTOUT: 'true' },
  });
  if (result.status !== 0) throw new Error(`"${command} ${args.join(' ')}" failed in ${cwd} (exit ${result.status}).`);
}

function checkBuild(directory) {
  const manifest = readFileSync(join(directory, 'ControlManifest.xml'), 'utf8');
  if (!manifest.includes('control-type="standard"')) {
    throw new Error(`${directory}/ControlManifest.xml is not a standard control: it is not the ${BASELINE_COMMIT} build. Delete the folder to rebuild it.`);
  }
  return { directory, bundlePath: join(directory, 'bundle.js'), version: manifestVersion(manifest) };
}

/**
 * The folder holding the baseline's bundle.js and ControlManifest.xml, with the manifest's version.
 * `NAVMAP_BENCH_BASELINE_DIR` names a folder built earlier; otherwise the build is made under node_modules/.cache on
 * first use.
 */
export function baselineControl() {
  const given = process.env.NAVMAP_BENCH_BASELINE_DIR;
  if (given) return checkBuild(given);
  if (existsSync(join(defaultDirectory, 'bundle.js'))) return checkBuild(defaultDirectory);

  const sources = mkdtempSync(join(tmpdir(), `navmap-${BASELINE_COMMIT}-`));
  console.log(`Building the baseline control of ${BASELINE_COMMIT} in ${sources} (once; several minutes)...`);
  try {
    // From the repository's root: run in a subfolder, git archive packs only that folder.
    const archive = spawnSync('sh', ['-c', `git archive ${BASELINE_COMMIT} | tar -x -C "${sources}"`], { cwd: repositoryRoot, stdio: 'inherit' });
    if (archive.status !== 0) throw new Error(`git archive ${BASELINE_COMMIT} failed: is the commit in this repository?`);
    run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], sources);
    run('npx', ['turbo', 'run', 'build', '--filter=@sdap/pcf-control', '--output-logs=errors-only'], sources);
    mkdirSync(defaultDirectory, { recursive: true });
    cpSync(join(sources, 'packages', 'pcf-control', 'out', 'controls', 'UniversalQuickCreate'), defaultDirectory, { recursive: true });
  } finally {
    rmSync(sources, { recursive: true, force: true });
  }
  return checkBuild(defaultDirectory);
}

/**
 * Packs the baseline build as `npm run build` packs this build (scripts/solutionPackage.mjs), under the baseline's
 * control and solution names and at its manifest's version, and writes the zip to `zipPath`. The web resources are
 * this build's (07e3434 shipped none): same ids and content, so importing the baseline leaves them as they are.
 * @param {{ directory: string, version: string }} baseline what `baselineControl()` returned
 * @param {string} webResourceOutputDir this build's out/web-resources
 */
export function packBaselineSolution(baseline, webResourceOutputDir, zipPath) {
  const { zip } = buildSolutionZip(baseline.directory, webResourceOutputDir, baseline.version);
  const renamed = {};
  for (const [path, bytes] of Object.entries(unzipSync(zip))) {
    const isDescriptor = path === 'solution.xml' || path === 'customizations.xml';
    renamed[path.replace(`Controls/${CONTROL_NAME}/`, `Controls/${BASELINE_CONTROL_NAME}/`)] = isDescriptor
      ? strToU8(strFromU8(bytes).replaceAll(CONTROL_NAME, BASELINE_CONTROL_NAME).replace(`<UniqueName>${SOLUTION_NAME}</UniqueName>`, `<UniqueName>${BASELINE_SOLUTION_NAME}</UniqueName>`))
      : bytes;
  }
  if (!strFromU8(renamed['customizations.xml']).includes(`<Name>${BASELINE_CONTROL_NAME}</Name>`)) {
    throw new Error(`scripts/solutionPackage.mjs no longer names the control ${CONTROL_NAME} in customizations.xml: update packBaselineSolution.`);
  }
  mkdirSync(dirname(zipPath), { recursive: true });
  writeFileSync(zipPath, zipSync(renamed, { level: 9 }));
  return { zipPath, controlName: BASELINE_CONTROL_NAME, solutionName: BASELINE_SOLUTION_NAME, version: baseline.version };
}
