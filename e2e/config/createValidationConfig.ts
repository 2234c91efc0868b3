import { join } from 'node:path';
import { defineConfig, type PlaywrightTestConfig, type Project } from '@playwright/test';
import { readRemoteSettings, REMOTE_STORAGE_STATE } from '../support/remoteSettings.js';
import { chromiumLaunchOptions } from './chromium.js';

/** Specs that run on the local build and stack only, or check this repository rather than a deployment. */
export const LOCAL_ONLY_SPECS: readonly RegExp[] = [
  /pcfStartHarness\.spec\.[jt]s$/,
  /addParentEntity\.spec\.[jt]s$/,
  /platformLibraries\.spec\.[jt]s$/,
  /matrixCoverage\.spec\.[jt]s$/,
  /remoteSettings\.spec\.[jt]s$/,
];

export interface ValidationConfigOptions {
  /** The folder of the spec files (`e2e/specs`, or the installed runner's `dist/specs`). */
  readonly specsDir: string;
  /** The folder of the sign-in setup (`e2e/remote`, or `dist/remote`). */
  readonly setupDir: string;
  /** The validation report's reporter module (e2e/reporter/ValidationReportReporter). */
  readonly reporterFile: string;
  /**
   * Where the reports go: Playwright's HTML report (`index.html`), `validation-report.md` and `junit.xml`. Playwright
   * empties it at each run.
   */
  readonly reportDir: string;
  /** Where traces and screenshots of failed tests go (Playwright's `outputDir`); not inside `reportDir`. */
  readonly testResultsDir: string;
  /** Adds the `remote-setup` and `remote` projects; reads the NAVMAP_E2E_* variables at once (throws `RemoteSettingsError`). */
  readonly remote: boolean;
  /** Projects besides the remote ones (the repository's `local`). */
  readonly projects?: readonly Project[];
  /** The Chromium to launch. @default NAVMAP_CHROMIUM_PATH, else /usr/bin/chromium */
  readonly chromiumPath?: string;
  /** Playwright's globalSetup (the repository's local certificate). */
  readonly globalSetup?: string;
}

/**
 * The suite's Playwright configuration, shared by the repository (root playwright.config.ts, which adds the `local`
 * project) and the installed runner (@sdap/navmap-validate, `remote` only): one suite, one set of settings.
 *
 * @example
 * export default createValidationConfig({ specsDir, setupDir, reporterFile, reportDir: 'out/report', testResultsDir: 'out/test-results', remote: true });
 */
export function createValidationConfig(options: ValidationConfigOptions): PlaywrightTestConfig {
  // Throws RemoteSettingsError naming every missing or malformed variable before anything starts.
  const remoteStorageState = options.remote
    ? ((readRemoteSettings(process.env).signIn as { path?: string }).path ?? REMOTE_STORAGE_STATE)
    : undefined;
  return defineConfig({
    testDir: options.specsDir,
    // Two workers (on `local`, each with its own local stack): the tests wait on pages, uploads and timeouts more than
    // on the CPU; on a 2-core machine the local project took 2.2 min with two where it took 2.9 min with one.
    workers: 2,
    fullyParallel: false,
    timeout: 90_000,
    expect: { timeout: 15_000 },
    forbidOnly: Boolean(process.env.CI),
    outputDir: options.testResultsDir,
    reporter: [
      ['list'],
      // The HTML reporter empties its folder when it writes: the two reports written into it come after it.
      ['html', { open: 'never', outputFolder: options.reportDir }],
      ['junit', { outputFile: join(options.reportDir, 'junit.xml') }],
      [options.reporterFile, { outputFile: join(options.reportDir, 'validation-report.md') }],
    ],
    ...(options.globalSetup ? { globalSetup: options.globalSetup } : {}),
    use: {
      browserName: 'chromium',
      ignoreHTTPSErrors: true,
      trace: 'retain-on-failure',
      screenshot: 'only-on-failure',
      launchOptions: chromiumLaunchOptions(options.chromiumPath),
    },
    projects: [
      ...(options.projects ?? []),
      ...(options.remote
        ? [
            { name: 'remote-setup', testDir: options.setupDir, testMatch: /signIn\.setup\.[jt]s$/ },
            {
              name: 'remote',
              dependencies: ['remote-setup'],
              testIgnore: [...LOCAL_ONLY_SPECS],
              use: { storageState: remoteStorageState },
            },
          ]
        : []),
    ],
  });
}
