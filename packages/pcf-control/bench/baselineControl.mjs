// The "before" control of the load benchmark: the standard control of main's commit 07e3434 (React 18 and Fluent 9
// bundled, 935 KB), built from that commit's own sources and lockfile so its bundle is exactly what was deployed.
// The build (git archive, npm ci, turbo build: several minutes) runs once; later runs reuse the copy.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** main's last commit with the standard control. */
export const BASELINE_COMMIT = '07e3434';

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
  return { directory, bundlePath: join(directory, 'bundle.js') };
}

/**
 * The folder holding the baseline's bundle.js and ControlManifest.xml (the form host reads the control type from the
 * manifest beside the bundle). `NAVMAP_BENCH_BASELINE_DIR` names a folder built earlier; otherwise the build is made
 * under node_modules/.cache on first use.
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
