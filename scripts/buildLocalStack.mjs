// What `npm start` needs built: the control and @sdap/local-stack with their dependencies (turbo reuses what is built).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const toolEnv = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', PP_TOOLS_TELEMETRY_OPTOUT: 'true' };

/** Builds them, printing only errors; exits the process with the build's status if it fails. */
export function buildLocalStack() {
  const build = spawnSync('npx', ['turbo', 'run', 'build', '--filter=@sdap/pcf-control...', '--filter=@sdap/local-stack...', '--output-logs=errors-only'], {
    cwd: root,
    stdio: 'inherit',
    env: toolEnv,
  });
  if (build.status !== 0) {
    console.error('The build failed; see above.');
    process.exit(build.status ?? 1);
  }
}
