import { defineConfig } from '@playwright/test';
import { readRemoteSettings, selectsRemoteProject } from './e2e/support/remoteSettings.js';

/**
 * The end-to-end suite (docs/e2e.md).
 * - `local` (the default): each worker starts the local environment with navmap-server on its BFF and the built
 *   UniversalQuickCreate on its model-driven forms.
 * - `remote`: the same specs against a deployed environment described by NAVMAP_E2E_* variables; `remote-setup`
 *   signs in once. Selected with `--project=remote`; a missing or malformed variable stops the run at once.
 * Browser: Debian's Chromium (NAVMAP_CHROMIUM_PATH overrides); Playwright cannot download its own here.
 */
const remote = selectsRemoteProject(process.argv);
// Throws RemoteSettingsError naming every missing or malformed variable before anything starts.
const remoteStorageState = remote ? (readRemoteSettings(process.env).signIn as { path?: string }).path ?? 'playwright/.auth/remote.json' : undefined;

export default defineConfig({
  testDir: './e2e/specs',
  // Two workers (on `local`, each with its own local stack): the tests wait on pages, uploads and timeouts more than
  // on the CPU; on a 2-core machine the local project took 2.2 min with two where it took 2.9 min with one.
  workers: 2,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  forbidOnly: Boolean(process.env.CI),
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }], ['./e2e/reporter/ValidationReportReporter.ts']],
  // Trusts the local certificate in the workers (navmap-server fetches the identity provider's keys over https).
  globalSetup: './e2e/globalSetup.ts',
  use: {
    browserName: 'chromium',
    ignoreHTTPSErrors: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.NAVMAP_CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  projects: [
    { name: 'local' },
    ...(remote
      ? [
          { name: 'remote-setup', testDir: './e2e/remote', testMatch: /signIn\.setup\.ts/ },
          {
            name: 'remote',
            dependencies: ['remote-setup'],
            // The pcf-start harness and the added-parent procedure run the local build and stack only; the matrix and
            // settings checks are about this repository, not the deployment.
            testIgnore: [/pcfStartHarness\.spec\.ts/, /addParentEntity\.spec\.ts/, /matrixCoverage\.spec\.ts/, /remoteSettings\.spec\.ts/],
            use: { storageState: remoteStorageState },
          },
        ]
      : []),
  ],
});
