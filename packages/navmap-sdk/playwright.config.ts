import { defineConfig } from '@playwright/test';
// The suite's one set of Chromium switches (e2e/config/chromium.js), plain JavaScript: no build needed to import it.
import { chromiumLaunchOptions } from '@sdap/navmap-validate/chromium';

/**
 * Real-browser tests of `@sdap/navmap-sdk/client` and `/msal` in Debian's Chromium (NAVMAP_CHROMIUM_PATH overrides).
 * Project `client` (`browser/*.spec.ts`) runs against servers the tests start; project `integration`
 * (`browser/integration/`) against the real navmap-server and local environment, started through `@sdap/local-stack`.
 */
export default defineConfig({
  // The tests wait on pages and servers far more than on the CPU: two workers took 1.5 min where one took 2.4 min on a
  // 2-core machine. Tests within a file stay in order (fullyParallel: false).
  workers: 2,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 5_000 },
  reporter: [['list']],
  forbidOnly: Boolean(process.env.CI),
  // Trusts the local identity provider's certificate in the workers (the integration project needs it).
  globalSetup: './browser/integration/globalSetup.ts',
  use: {
    browserName: 'chromium',
    ignoreHTTPSErrors: true,
    launchOptions: chromiumLaunchOptions(),
  },
  projects: [
    { name: 'client', testDir: './browser', testMatch: '*.spec.ts', testIgnore: 'integration/**' },
    { name: 'integration', testDir: './browser/integration', testMatch: '*.spec.ts' },
  ],
});
