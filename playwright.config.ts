import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createValidationConfig } from './e2e/config/createValidationConfig.js';
import type { LocalTargets } from './e2e/support/ValidationTarget.js';
import { selectsRemoteProject } from './e2e/support/remoteSettings.js';

/**
 * The end-to-end suite (docs/e2e.md), the same suite @sdap/navmap-validate installs (e2e/config/createValidationConfig.ts).
 * - `local` (the default): each worker starts the local environment with navmap-server on its BFF and the built
 *   UniversalQuickCreate on its model-driven forms (injected here: the installed runner has no local environment).
 * - `remote`: the same specs against a deployed environment described by NAVMAP_E2E_* variables; `remote-setup`
 *   signs in once. Selected with `--project=remote`; a missing or malformed variable stops the run at once.
 * Browser: Debian's Chromium (NAVMAP_CHROMIUM_PATH overrides); Playwright cannot download its own here.
 */
const root = dirname(fileURLToPath(import.meta.url));

/**
 * The local stack, imported when a worker starts one: a run that only reads this file (`--list`, `--project=remote`,
 * remoteSettings.spec's 17 CLI runs) skips loading it, 2 s of CPU each on a 2-core machine.
 */
const localTargets: LocalTargets = {
  start: async (options) => (await import('./e2e/local/startLocalTarget.js')).localTargets.start(options),
};

export default createValidationConfig({
  specsDir: './e2e/specs',
  setupDir: './e2e/remote',
  reporterFile: './e2e/reporter/ValidationReportReporter.ts',
  reportDir: join(root, 'playwright-report'),
  testResultsDir: join(root, 'test-results'),
  remote: selectsRemoteProject(process.argv),
  // Trusts the local certificate in the workers (navmap-server fetches the identity provider's keys over https).
  globalSetup: './e2e/local/globalSetup.ts',
  projects: [{ name: 'local', use: { localTargets } }],
});
