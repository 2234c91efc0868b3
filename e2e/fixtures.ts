import { test as base, expect, type Page } from '@playwright/test';
import type { LocalStack } from '@sdap/local-stack';
import { ModelDrivenForm } from './pages/ModelDrivenForm.js';
import { NavMapEndpoint } from './pages/NavMapEndpoint.js';
import { launchRemoteContext } from './remote/browserProfile.js';
import { readRemoteSettings } from './support/remoteSettings.js';
import { remoteTarget, type LocalTargets, type ValidationTarget } from './support/ValidationTarget.js';

/** The deployment plan's words for the three layers a map can come from (docs/operations/deployment-runbook.md). */
const NAVMAP_LOAD_LINE = /^\[NavMapClient\] Layer (1 SUCCESS - Loaded from server|2 HIT - Loaded from cache|3 FALLBACK - Loaded from bundled snapshot) /;

/** The page's console lines that pass `keep`, with their level, collected as they arrive. */
function consoleLines(page: Page, keep: (text: string) => boolean): { type: string; text: string }[] {
  const lines: { type: string; text: string }[] = [];
  page.on('console', (message) => {
    if (keep(message.text())) lines.push({ type: message.type(), text: message.text() });
  });
  return lines;
}

interface TestFixtures {
  /** The model-driven form page object on this test's page. */
  form: ModelDrivenForm;
  endpoint: NavMapEndpoint;
  /** Every console line of the page that starts with `[NavMapClient]`, with its level. */
  navMapConsole: { type: string; text: string }[];
  /**
   * The `[NavMapClient]` lines that say where a map was loaded from (one per control load: server, cache or
   * bundled snapshot). Count loads with these: uploads log `[NavMapClient]` lines of their own at any moment.
   */
  navMapLoads: { type: string; text: string }[];
  /** The local stack; skips the test on `remote`, naming why. */
  localStack: LocalStack;
}

interface WorkerFixtures {
  target: ValidationTarget;
  /**
   * Starts local stacks as targets: given by the `local` project's configuration (the repository's root
   * playwright.config.ts); the installed runner has none and runs `remote` only.
   */
  localTargets: LocalTargets;
}

const noLocalTargets: LocalTargets = {
  start() {
    throw new Error(
    'This project has no local environment: the installed runner (@sdap/navmap-validate) runs the remote project only; the local project runs from a clone of the repository (npm run test:e2e).',
    );
  },
};

/**
 * The suite's `test`: one target per worker (the local stack, started once and stopped at the end, or the
 * deployed environment of the `NAVMAP_E2E_*` variables), and page objects on it.
 */
export const test = base.extend<TestFixtures, WorkerFixtures>({
  localTargets: [noLocalTargets, { option: true, scope: 'worker' }],
  target: [
    async ({ localTargets }, use, workerInfo) => {
      if (workerInfo.project.name === 'remote') {
        await use(remoteTarget(readRemoteSettings(process.env)));
        return;
      }
      const local = await localTargets.start();
      try {
        await use(local);
      } finally {
        await local.stop();
      }
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  // On `remote`, pages open in a profile that allows third-party cookies, as the app's users' browsers do
  // (e2e/remote/browserProfile.ts says why); the local project keeps Playwright's own context.
  context: async ({ context, launchOptions, storageState, ignoreHTTPSErrors }, use, testInfo) => {
    if (testInfo.project.name !== 'remote') {
      await use(context);
      return;
    }
    const remoteContext = await launchRemoteContext({
      launchOptions,
      ...(typeof storageState === 'string' ? { storageState } : {}),
      ...(ignoreHTTPSErrors === undefined ? {} : { ignoreHTTPSErrors }),
    });
    try {
      await use(remoteContext);
    } finally {
      await remoteContext.close();
    }
  },
  form: async ({ page, target }, use) => {
    await use(new ModelDrivenForm(page, target));
  },
  endpoint: async ({ target }, use) => {
    await use(new NavMapEndpoint(target));
  },
  navMapConsole: async ({ page }, use) => {
    await use(consoleLines(page, (text) => text.startsWith('[NavMapClient]')));
  },
  navMapLoads: async ({ page }, use) => {
    await use(consoleLines(page, (text) => NAVMAP_LOAD_LINE.test(text)));
  },
  localStack: async ({ target }, use) => {
    test.skip(!target.local, 'needs the local environment (its admin endpoint or a second server configuration)');
    await use(target.local as LocalStack);
  },
});

export { expect };

/** Records a measured figure for the validation report (a `figure` annotation). */
export function figure(description: string): void {
  test.info().annotations.push({ type: 'figure', description });
}
