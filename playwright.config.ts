import { defineConfig } from '@playwright/test';

/**
 * The end-to-end suite. Project `local` runs against the local environment with navmap-server mounted on its BFF
 * and the built UniversalQuickCreate control on its model-driven forms (each spec file starts its own stack).
 * Browser: Debian's Chromium (NAVMAP_CHROMIUM_PATH overrides); Playwright cannot download its own here.
 */
export default defineConfig({
  testDir: './e2e/specs',
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  forbidOnly: Boolean(process.env.CI),
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }], ['./e2e/reporter/ValidationReportReporter.ts']],
  // Trusts the local certificate in the workers (navmap-server fetches the identity provider's keys over https).
  globalSetup: './e2e/client/globalSetup.ts',
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
  projects: [{ name: 'local' }],
});
