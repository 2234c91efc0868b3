#!/usr/bin/env node
/**
 * `npx @sdap/navmap-validate`: the post-deployment validation (docs/e2e.md) from a small install. Checks the
 * NAVMAP_E2E_* variables, the flags and the browser before any test, then runs the suite's `remote` projects with
 * Playwright and leaves the Markdown validation report, Playwright's HTML report and JUnit XML in `--output`.
 *
 * Exit codes: 0 every row passed; 1 a row failed, or a figure missed its target (without --report-missed-targets);
 * 2 bad input (a variable, a flag, the env file or the browser), before any test ran.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, parseEnv } from 'node:util';
import { chromium } from '@playwright/test';
import { DEFAULT_CHROMIUM_PATH, chromiumLaunchOptions } from '../config/chromium.js';
import { readRemoteSettings, RemoteSettingsError } from '../support/remoteSettings.js';
import { RUNNER_OPTIONS } from './runnerOptions.js';

const BAD_INPUT = 2;
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };

const HELP = `navmap-validate ${version}: validates a NavMap deployment (docs/e2e.md) in Chromium and writes its reports.

Usage: npx @sdap/navmap-validate [options] [-- <playwright test options>]

Settings come from NAVMAP_E2E_* variables (docs/e2e.md lists them), or from a file of NAME=value lines.

Options:
  --env-file <file>          read NAVMAP_E2E_* settings from <file>; variables already set win
  --chromium <path>          the Chromium to run (default: NAVMAP_CHROMIUM_PATH, else ${DEFAULT_CHROMIUM_PATH})
  --output <dir>             where the reports go (default: ./navmap-validation):
                               report/validation-report.md, report/index.html (Playwright), report/junit.xml
  --report-missed-targets    list figures that miss the plan's targets without failing the run
                               (NAVMAP_E2E_MISSED_TARGETS=report)
  --list                     list the tests without running them (needs the settings, not the browser)
  --version, --help

Exit codes: 0 passed; 1 a check failed or a target was missed; 2 bad input (nothing ran).`;

/** Bad input: one line per problem, naming what to fix; nothing has run. */
class BadInput extends Error {
  override readonly name = 'BadInput' as const;
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

interface RunnerOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly chromiumPath: string;
  readonly output: string;
  readonly list: boolean;
  readonly playwrightArgs: readonly string[];
}

function readFlags(argv: readonly string[]): RunnerOptions | 'help' | 'version' {
  // Playwright's own options (`--grep`, `--workers` ...) follow "--" and go to it untouched.
  const split = argv.indexOf('--');
  const own = split === -1 ? argv : argv.slice(0, split);
  const playwrightArgs = split === -1 ? [] : argv.slice(split + 1);
  let values;
  try {
    ({ values } = parseArgs({
      args: [...own],
      options: RUNNER_OPTIONS,
    }));
  } catch (error) {
    // parseArgs names the flag: "Unknown option '--x'", "Option '--output <value>' argument missing".
    throw new BadInput([`${(error as Error).message.split(/\.\s|\n/)[0]}. Run npx @sdap/navmap-validate --help for the options.`]);
  }
  if (values.help) return 'help';
  if (values.version) return 'version';

  const problems: string[] = [];
  for (const flag of ['env-file', 'chromium', 'output'] as const) {
    if (values[flag] !== undefined && values[flag].trim() === '') problems.push(`--${flag} is empty: give it a path.`);
  }
  let fileEnv: Record<string, string> = {};
  const envFile = values['env-file'];
  if (envFile) {
    if (!existsSync(envFile)) problems.push(`--env-file ${envFile}: no such file; give the path of a file of NAVMAP_E2E_*=value lines.`);
    else fileEnv = parseEnv(readFileSync(envFile, 'utf8')) as Record<string, string>;
  }
  if (problems.length > 0) throw new BadInput(problems);
  const env: NodeJS.ProcessEnv = { ...fileEnv, ...process.env };
  if (values['report-missed-targets']) env.NAVMAP_E2E_MISSED_TARGETS = 'report';
  return {
    env,
    chromiumPath: values.chromium ?? (env.NAVMAP_CHROMIUM_PATH || DEFAULT_CHROMIUM_PATH),
    output: resolve(values.output ?? 'navmap-validation'),
    list: values.list ?? false,
    playwrightArgs,
  };
}

/** The NAVMAP_E2E_* variables, one line per problem (e2e/support/remoteSettings.ts says what each must be). */
function checkSettings(env: NodeJS.ProcessEnv): void {
  try {
    readRemoteSettings(env);
  } catch (error) {
    if (error instanceof RemoteSettingsError) throw new BadInput(error.problems);
    throw error;
  }
}

const HOW_TO_NAME_ANOTHER = 'name another with --chromium <path> or NAVMAP_CHROMIUM_PATH (Chrome, Edge or Chromium), or install Chromium (apt-get install chromium)';

/** Starts and closes the browser once, so a browser that cannot start stops the run before any test. */
async function checkBrowser(path: string): Promise<void> {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new BadInput([`No runnable Chromium at ${path}: ${HOW_TO_NAME_ANOTHER}.`]);
  }
  try {
    const browser = await chromium.launch({ ...chromiumLaunchOptions(path), timeout: 60_000 });
    await browser.close();
  } catch (error) {
    const reason = (error as Error).message.split('\n').find((line) => line.trim() !== '') ?? String(error);
    throw new BadInput([`Chromium at ${path} did not start (${reason.trim()}): ${HOW_TO_NAME_ANOTHER}.`]);
  }
}

function runPlaywright(options: RunnerOptions): Promise<number> {
  const require = createRequire(import.meta.url);
  const cli = join(dirname(require.resolve('@playwright/test/package.json')), 'cli.js');
  const config = join(packageDir, 'dist', 'config', 'installedRunner.config.js');
  const args = [cli, 'test', '--config', config, '--project=remote', ...(options.list ? ['--list'] : []), ...options.playwrightArgs];
  const env = { ...options.env, NAVMAP_CHROMIUM_PATH: options.chromiumPath, NAVMAP_VALIDATE_OUTPUT: options.output };
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, args, { env, stdio: 'inherit' });
    child.once('error', () => resolvePromise(1));
    child.once('exit', (code, signal) => resolvePromise(code ?? (signal ? 1 : 0)));
  });
}

async function main(argv: readonly string[]): Promise<number> {
  const flags = readFlags(argv);
  if (flags === 'help') {
    console.log(HELP);
    return 0;
  }
  if (flags === 'version') {
    console.log(version);
    return 0;
  }
  checkSettings(flags.env);
  if (!flags.list) await checkBrowser(flags.chromiumPath);
  const code = await runPlaywright(flags);
  if (!flags.list) console.log(`\nnavmap-validate: reports in ${join(flags.output, 'report')} (validation-report.md, index.html, junit.xml).`);
  return code;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof BadInput) {
      for (const problem of error.problems) console.error(`navmap-validate: ${problem}`);
      process.exit(BAD_INPUT);
    }
    console.error(error);
    process.exit(1);
  },
);
