/**
 * The installed runner's bad input, against the built CLI (dist/cli/navmapValidate.js, `npm run build` in e2e): each
 * problem on one line naming what to fix, exit 2, and no test started.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';

const e2e = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(e2e, 'dist', 'cli', 'navmapValidate.js');
const complete = parseEnv(readFileSync(join(e2e, '..', 'docs', 'operations', 'pipelines', 'navmap-validation.example.env'), 'utf8'));

function navmapValidate(args: string[], env: Record<string, string | undefined> = complete) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('NAVMAP_')));
  const result = spawnSync(process.execPath, [cli, ...args], { env: { ...clean, ...env }, encoding: 'utf8', timeout: 90_000 });
  return { code: result.status, lines: result.stderr.trim().split('\n'), stdout: result.stdout };
}

describe('navmap-validate', () => {
  it('names an unknown flag on one line and exits 2', () => {
    const { code, lines } = navmapValidate(['--outptu', 'x']);
    expect(code).toBe(2);
    expect(lines).toEqual(["navmap-validate: Unknown option '--outptu'. Run npx @sdap/navmap-validate --help for the options."]);
  });

  it('names a missing variable and what to put in it, one line each, before any test', () => {
    const { code, lines, stdout } = navmapValidate(['--list'], { ...complete, NAVMAP_E2E_BFF_URL: undefined, NAVMAP_E2E_APP_ID: 'not-a-guid' });
    expect(code).toBe(2);
    expect(lines).toEqual([
      expect.stringMatching(/^navmap-validate: NAVMAP_E2E_APP_ID must be a GUID .*; it is "not-a-guid"\.$/),
      'navmap-validate: NAVMAP_E2E_BFF_URL is missing: set it to the BFF base URL, e.g. https://spe-bff-api.azurewebsites.net.',
    ]);
    expect(stdout).not.toContain('Total:');
  });

  it('says which browser path was tried and how to name another when there is none', () => {
    const { code, lines } = navmapValidate(['--chromium', '/nonexistent/chromium']);
    expect(code).toBe(2);
    expect(lines).toEqual([expect.stringMatching(/^navmap-validate: No runnable Chromium at \/nonexistent\/chromium: name another with --chromium <path> or NAVMAP_CHROMIUM_PATH/)]);
  });

  it('says which browser did not start when the file is no browser', () => {
    const { code, lines } = navmapValidate(['--chromium', '/bin/false']);
    expect(code).toBe(2);
    expect(lines).toEqual([expect.stringMatching(/^navmap-validate: Chromium at \/bin\/false did not start \(.+\): name another with --chromium <path>/)]);
  });

  it('lists the remote suite with complete settings, without a browser', () => {
    const { code, stdout } = navmapValidate(['--list', '--chromium', '/nonexistent/chromium']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/\[remote-setup\] › .*signIn\.setup\.js/);
    expect(stdout).toMatch(/Total: \d+ tests in \d+ files/);
  });
});
