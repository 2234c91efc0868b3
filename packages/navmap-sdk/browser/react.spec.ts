import { test as base, expect, type Page } from '@playwright/test';
import type { ReactHarness } from './page/reactHarness.js';
import { startFakeNavMapServer, TEST_ENVIRONMENT, TEST_TOKEN, type FakeNavMapServer } from './fixtures/startFakeNavMapServer.js';
import { REACT_VERSIONS, reactPageFiles, type ReactVersion } from './fixtures/reactPage.js';
import { startStaticSite } from './fixtures/startStaticSite.js';
import type { HarnessClientConfig } from './page/harness.js';

declare global {
  var reactHarness: ReactHarness;
}

interface ReactPage {
  readonly page: Page;
  /** The console's errors and warnings (React's warnings among them), except Chromium's lines for failed requests. */
  readonly problems: string[];
  config(overrides?: Partial<HarnessClientConfig>): HarnessClientConfig;
}

const test = base.extend<{ navmap: FakeNavMapServer }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixture's dependencies from this pattern
  navmap: async ({}, use) => {
    const server = await startFakeNavMapServer();
    await use(server);
    await server.close();
  },
});

/** The page with React `version` from its UMD files and the hook harness, and the console's errors and warnings. */
async function openReactPage(page: Page, version: ReactVersion, navmap: FakeNavMapServer, use: (reactPage: ReactPage) => Promise<void>): Promise<void> {
  const site = await startStaticSite(await reactPageFiles(version));
  const problems: string[] = [];
  page.on('console', (message) => {
    const isProblem = message.type() === 'error' || message.type() === 'warning';
    if (isProblem && !message.text().startsWith('Failed to load resource:')) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  try {
    await page.goto(`${site.url}/`);
    await page.waitForFunction(() => globalThis.reactHarness !== undefined);
    const config = (overrides: Partial<HarnessClientConfig> = {}): HarnessClientConfig => ({
      baseUrl: navmap.url,
      environment: TEST_ENVIRONMENT,
      token: TEST_TOKEN,
      ...overrides,
    });
    await use({ page, problems, config });
  } finally {
    await site.close();
  }
}

const view = (page: Page, name: string) => page.getByTestId(name);

/** The server's map from now on: sprk_matter's navigation property renamed (a schema change). */
function renameMatter(navmap: FakeNavMapServer, navProperty: string): void {
  const matter = navmap.map.parents.sprk_matter;
  if (!matter) throw new Error('the test map has sprk_matter');
  navmap.map = { ...navmap.map, parents: { ...navmap.map.parents, sprk_matter: { ...matter, navProperty } } };
}

for (const version of Object.keys(REACT_VERSIONS) as ReactVersion[]) {
  test.describe(`@sdap/navmap-sdk/react on React ${version} (UMD) in Chromium`, () => {
    test('renders loading, then ready with the source, and the entry of a parent', async ({ page, navmap }) => {
      await openReactPage(page, version, navmap, async ({ page, problems, config }) => {
        expect(await page.evaluate(() => reactHarness.reactVersion)).toMatch(version === '18' ? /^18\./ : /^16\.14\./);
        navmap.behaviour = { kind: 'hold' };
        await page.evaluate((options) => {
          const client = reactHarness.create(options);
          reactHarness.mount('map', client);
          reactHarness.mount('matter', client, 'SPRK_Matter');
        }, config());
        await expect(view(page, 'map')).toHaveText('loading');
        await expect(view(page, 'matter')).toHaveText('loading');
        await navmap.waitForRequests(1);
        navmap.release();
        await expect(view(page, 'map')).toHaveText('ready server account,contact,sprk_invoice,sprk_matter,sprk_project');
        await expect(view(page, 'matter')).toHaveText('ready server sprk_Matter');
        expect(navmap.requests).toHaveLength(1); // the two views share the one load
        const renders = await page.evaluate(() => reactHarness.renders);
        expect(renders.map?.filter((status, index, all) => status !== all[index - 1])).toEqual(['loading', 'ready']);
        expect(problems).toEqual([]);
      });
    });

    test('shows the error when no layer has a map, and the client\'s unsupported_parent for an unknown parent', async ({ page, navmap }) => {
      await openReactPage(page, version, navmap, async ({ page, problems, config }) => {
        navmap.behaviour = { kind: 'status', status: 503, headers: { 'retry-after': '30' } };
        await page.evaluate((options) => reactHarness.mount('map', reactHarness.create(options)), config());
        await expect(view(page, 'map')).toHaveAttribute('data-status', 'error');
        await expect(view(page, 'map')).toContainText('error server_unavailable: ');

        navmap.behaviour = { kind: 'ok' };
        await page.evaluate(() => reactHarness.reload('map'));
        await expect(view(page, 'map')).toHaveText(/^ready server /);

        await page.evaluate(() => reactHarness.mount('lead', 0, 'lead'));
        await expect(view(page, 'lead')).toHaveText(/^error unsupported_parent: NavMap has no entry for parent `lead`.* Available parents: account, contact, sprk_invoice, sprk_matter, sprk_project\.$/);
        // The failed load logged its own [NavMapClient] error line; nothing else (no React warning) was printed.
        expect(problems.filter((line) => !line.startsWith('[NavMapClient]'))).toEqual([]);
      });
    });

    test('renders again after invalidate() (loading, then the new map) and after reload() (past the caches)', async ({ page, navmap }) => {
      await openReactPage(page, version, navmap, async ({ page, problems, config }) => {
        await page.evaluate((options) => reactHarness.mount('matter', reactHarness.create(options), 'sprk_matter'), config());
        await expect(view(page, 'matter')).toHaveText('ready server sprk_Matter');

        renameMatter(navmap, 'sprk_MatterRenamed');
        navmap.behaviour = { kind: 'hold' };
        await page.evaluate(() => reactHarness.invalidate(0));
        await expect(view(page, 'matter')).toHaveText('loading');
        await navmap.waitForRequests(2);
        navmap.release();
        await expect(view(page, 'matter')).toHaveText('ready server sprk_MatterRenamed');

        navmap.behaviour = { kind: 'ok' };
        renameMatter(navmap, 'sprk_Matter');
        await page.evaluate(() => reactHarness.reload('matter'));
        await expect(view(page, 'matter')).toHaveText('ready server sprk_Matter');
        expect(navmap.requests.map((request) => request.noCache)).toEqual([false, false, true]);
        expect(problems).toEqual([]);
      });
    });

    test('a view follows withBindRetry\'s reload past the caches without a request of its own', async ({ page, navmap }) => {
      await openReactPage(page, version, navmap, async ({ page, problems, config }) => {
        await page.evaluate((options) => reactHarness.mount('matter', reactHarness.create(options), 'sprk_matter'), config());
        await expect(view(page, 'matter')).toHaveText('ready server sprk_Matter');
        renameMatter(navmap, 'sprk_MatterRef');

        expect(await page.evaluate(() => reactHarness.createDocument(0, 'sprk_matter', '3a785f76-c773-f011-b4cb-6045bdd8b757'))).toBe(2);
        await expect(view(page, 'matter')).toHaveText('ready server sprk_MatterRef');
        expect(navmap.creates.map((create) => create.status)).toEqual([400, 204]);
        // The view's own load after invalidate() joined the reload: one ordinary request, then one past the caches.
        expect(navmap.requests.map((request) => request.noCache)).toEqual([false, true]);
        expect(problems.filter((line) => !line.startsWith('[NavMapClient]'))).toEqual([]);
      });
    });

    test('unmounting during a load lets go of the client and updates no state (no React warning)', async ({ page, navmap }) => {
      await openReactPage(page, version, navmap, async ({ page, problems, config }) => {
        navmap.behaviour = { kind: 'hold' };
        await page.evaluate((options) => {
          reactHarness.mount('map', reactHarness.create(options));
          reactHarness.mount('matter', 0, 'sprk_matter');
        }, config());
        await navmap.waitForRequests(1);
        expect(await page.evaluate(() => reactHarness.subscriptions(0))).toBe(2);
        const rendersBefore = await page.evaluate(() => Object.values(reactHarness.renders).flat().length);
        await page.evaluate(() => {
          reactHarness.unmount('map');
          reactHarness.unmount('matter');
        });
        expect(await page.evaluate(() => reactHarness.subscriptions(0))).toBe(0);
        navmap.release();
        expect(await page.evaluate(() => reactHarness.load(0))).toBe(true); // the load ends after the views are gone
        await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 50))); // any late update would land here
        expect(await page.evaluate(() => Object.values(reactHarness.renders).flat().length)).toBe(rendersBefore);
        expect(problems).toEqual([]);
      });
    });

    test('views on two clients with the same key share one load and follow each other\'s invalidate()', async ({ page, navmap }) => {
      await openReactPage(page, version, navmap, async ({ page, problems, config }) => {
        navmap.behaviour = { kind: 'hold' };
        await page.evaluate((options) => {
          reactHarness.mount('first', reactHarness.create(options), 'sprk_invoice');
          reactHarness.mount('second', reactHarness.create(options), 'sprk_invoice');
        }, config());
        await navmap.waitForRequests(1);
        navmap.release();
        await expect(view(page, 'first')).toHaveText('ready server sprk_Invoice');
        await expect(view(page, 'second')).toHaveText('ready server sprk_Invoice');
        expect(navmap.requests).toHaveLength(1);

        navmap.behaviour = { kind: 'ok' };
        await page.evaluate(() => reactHarness.invalidate(1));
        await expect(view(page, 'first')).toHaveText('ready server sprk_Invoice');
        expect(navmap.requests).toHaveLength(2); // both views reloaded through one request
        expect(problems).toEqual([]);
      });
    });
  });
}
