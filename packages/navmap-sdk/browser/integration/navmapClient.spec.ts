/**
 * `@sdap/navmap-sdk/client` in Chromium against the REAL navmap-server reading the local environment's Dataverse
 * emulator, with real tokens (navmap-e2e client credentials for the BFF). Failures the real server cannot be made to
 * produce on demand (a 500, a malformed body, a hang) are forced with Playwright's page.route on the real endpoint.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { startStaticSite, type StaticSite } from '../fixtures/startStaticSite.js';
import { unreachableUrl } from '../fixtures/startFakeNavMapServer.js';
import { expect, harnessFiles, openHarness, test, type HarnessPage } from '../fixtures/test.js';
import { SDAP_NAVMAP_PARENTS, startLocalStack, type LocalEnvironmentStack, type RunningNavMapServer } from '@sdap/local-stack';

const MATTER_ID = '3a785f76-c773-f011-b4cb-6045bdd8b757';
const ENDPOINT = '/api/pcf/dataverse-navmap';

test.describe.configure({ mode: 'serial' });

let site: StaticSite;
let stack: LocalEnvironmentStack;
let navmap: RunningNavMapServer;
let navmapEnvironment: string;
let token: string;

/** A local environment and a navmap-server on its own port that the test pages' origin may call (CORS). */
async function startServerForPages(origin: string, cache: { ttlSeconds: number; refreshAheadSeconds: number } = { ttlSeconds: 300, refreshAheadSeconds: 30 }) {
  const started = await startLocalStack({ navMapOnBff: false });
  const server = await started.startServer({ cors: { origins: [origin] }, cache, logLevel: 'silent' });
  return { stack: started, navmap: server, navmapEnvironment: started.navMapEnvironment };
}

interface SeenRequest {
  readonly ifNoneMatch: string | undefined;
  status: number | undefined;
}

/** NavMap GETs the browser actually sent (preflights excluded), with the status it got. */
function watchEndpoint(context: BrowserContext): SeenRequest[] {
  const seen: SeenRequest[] = [];
  context.on('request', (request) => {
    if (request.method() !== 'GET' || !request.url().startsWith(`${navmap.url}${ENDPOINT}`)) return;
    const entry: SeenRequest = { ifNoneMatch: request.headers()['if-none-match'], status: undefined };
    seen.push(entry);
    void request.response().then((response) => (entry.status = response?.status()));
  });
  return seen;
}

async function open(page: Page): Promise<HarnessPage> {
  return openHarness(page, site, { url: navmap.url, environment: navmapEnvironment, token });
}

const keyOf = () => `navmap:v1:${navmapEnvironment}:sprk_document`;
const configuredParents = SDAP_NAVMAP_PARENTS.map((parent) => (typeof parent === 'string' ? parent : parent.entity)).sort();

test.beforeAll(async () => {
  site = await startStaticSite(await harnessFiles());
  ({ stack, navmap, navmapEnvironment } = await startServerForPages(site.url));
  token = await stack.callerToken();
});

test.afterAll(async () => {
  await stack?.stop();
  await site?.close();
});

test.describe('createNavMapClient against the real navmap-server', () => {
  test('1.1 loads from the server: every configured parent with Dataverse\'s exact-case navProperty, IndexedDB filled', async ({ page, context }) => {
    const seen = watchEndpoint(context);
    const { lines, config } = await open(page);
    const result = await page.evaluate(async (options) => harness.load(harness.create(options)), config());
    expect(result).toMatchObject({ ok: true, source: 'server', parents: configuredParents, environment: navmapEnvironment });
    expect(seen).toEqual([{ ifNoneMatch: undefined, status: 200 }]);
    expect(lines).toEqual([{ type: 'log', text: expect.stringContaining('[NavMapClient] Layer 1 SUCCESS - Loaded from server') }]);

    const stored = (await page.evaluate((key) => harness.idb.get(key), keyOf())) as { map: { parents: Record<string, { navProperty: string }> } };
    const metadata = await fetch(
      `${stack.environment.dataverseUrl}/api/data/v9.2/EntityDefinitions(LogicalName='sprk_document')/ManyToOneRelationships?$select=ReferencedEntity,ReferencingEntityNavigationPropertyName`,
      { headers: { authorization: `Bearer ${await stack.dataverseToken()}` } },
    ).then((response) => response.json() as Promise<{ value: { ReferencedEntity: string; ReferencingEntityNavigationPropertyName: string }[] }>);
    for (const [parent, entry] of Object.entries(stored.map.parents)) {
      const navigationProperties = metadata.value.filter((row) => row.ReferencedEntity === parent).map((row) => row.ReferencingEntityNavigationPropertyName);
      expect(navigationProperties, parent).toContain(entry.navProperty);
    }
  });

  test('1.2 a reload resolves from the cache with no request to the endpoint; a second tab too', async ({ page, context }) => {
    const seen = watchEndpoint(context);
    const first = await open(page);
    await page.evaluate(async (options) => harness.load(harness.create(options)), first.config());
    await page.reload();
    const reloaded = await open(page);
    expect(await page.evaluate(async (options) => harness.load(harness.create(options)), reloaded.config())).toMatchObject({ ok: true, source: 'cache' });
    const tab = await open(await context.newPage());
    expect(await tab.page.evaluate(async (options) => harness.load(harness.create(options)), tab.config())).toMatchObject({ ok: true, source: 'cache' });
    expect(seen).toHaveLength(1);
  });

  test('a stale entry is returned at once and revalidated with If-None-Match; the real server\'s 304 refreshes its age', async ({ page, context }) => {
    const seen = watchEndpoint(context);
    const first = await open(page);
    await page.evaluate(async (options) => harness.load(harness.create(options)), first.config());
    const entry = (await page.evaluate((key) => harness.idb.get(key), keyOf())) as { etag: string; storedAt: number };
    await page.evaluate(async ({ key, value }) => harness.idb.put(key, value), { key: keyOf(), value: { ...entry, storedAt: entry.storedAt - 3_600_000 } });
    await page.reload();
    const { config } = await open(page);
    const result = await page.evaluate(async (options) => harness.load(harness.create(options)), config());
    expect(result).toMatchObject({ ok: true, source: 'cache' });
    expect((result as { ageMs: number }).ageMs).toBeGreaterThanOrEqual(3_600_000);
    await page.waitForFunction(() => harness.events.some((event) => event.name === 'NavMapRevalidated'));
    expect(await page.evaluate(() => harness.events.find((event) => event.name === 'NavMapRevalidated'))).toMatchObject({ status: 304, changed: false });
    await expect.poll(() => seen.map((request) => [request.status, request.ifNoneMatch])).toEqual([[200, undefined], [304, entry.etag]]);
    expect(await page.evaluate(() => harness.clients[0]!.getNavEntry('sprk_matter')!.ageMs)).toBeLessThan(60_000);
  });

  test('8.3 five instances on one page make one request', async ({ page, context }) => {
    const seen = watchEndpoint(context);
    const { config } = await open(page);
    const results = await page.evaluate(async (options) => Promise.all([0, 1, 2, 3, 4].map(() => harness.load(harness.create(options)))), config());
    expect(results.map((result) => result.ok && result.source)).toEqual(['server', 'server', 'server', 'server', 'server']);
    expect(seen).toHaveLength(1);
  });

  test('blocked IndexedDB and a full sessionStorage are warnings; the real map still loads', async ({ page, context }) => {
    await page.addInitScript(() => {
      IDBFactory.prototype.open = () => {
        throw new DOMException('Access to IndexedDB is denied in this context.', 'SecurityError');
      };
      try {
        for (let index = 0; ; index++) sessionStorage.setItem(`filler-${index}`, 'x'.repeat(64 * 1024));
      } catch {
        for (let size = 32 * 1024; size >= 1; size = Math.floor(size / 2)) {
          try {
            for (let index = 0; ; index++) sessionStorage.setItem(`small-${size}-${index}`, 'y'.repeat(size));
          } catch {
            // full at this size; try a smaller one
          }
        }
      }
    });
    const seen = watchEndpoint(context);
    const { lines, config } = await open(page);
    const result = await page.evaluate(async (options) => harness.load(harness.create(options)), config());
    expect(result).toMatchObject({ ok: true, source: 'server' });
    const failures = await page.evaluate(() => harness.events.flatMap((event) => (event.name === 'NavMapLayerFailed' ? [event.reason] : [])));
    expect(failures).toEqual(['storage_unavailable', 'quota_exceeded']);
    expect(lines.map((line) => line.type)).toEqual(['warning', 'warning', 'log']);
    expect(await page.evaluate(() => harness.clients[0]!.getNavEntry('sprk_project')?.navProperty)).toBe('sprk_Project');
    expect(seen).toHaveLength(1);
  });

  for (const [title, reason, value] of [
    ['a corrupted entry', 'invalid_entry', { map: { version: '1', parents: 42 }, storedAt: 0 }],
    ['an entry of another contract version', 'version_mismatch', { map: { version: '0' }, etag: null, storedAt: 0 }],
    ["another environment's map under this key", 'environment_mismatch', 'other-environment'],
  ] as const) {
    test(`${title} is dropped (${reason}) and replaced by the real server's map`, async ({ page, context }) => {
      const seen = watchEndpoint(context);
      const { config } = await open(page);
      const planted =
        value === 'other-environment'
          ? { map: { version: '1', environment: 'https://other.crm.dynamics.com', childEntity: 'sprk_document', generatedAt: new Date().toISOString(), parents: {} }, etag: null, storedAt: Date.now() }
          : value;
      await page.evaluate(async ({ key, value }) => harness.idb.put(key, value), { key: keyOf(), value: planted });
      expect(await page.evaluate(async (options) => harness.load(harness.create(options)), config())).toMatchObject({ ok: true, source: 'server' });
      expect(await page.evaluate(() => harness.events[0])).toMatchObject({ name: 'NavMapLayerFailed', layer: 'cache', reason });
      expect(await page.evaluate((key) => harness.idb.get(key), keyOf())).toMatchObject({ map: { environment: navmapEnvironment, version: '1' } });
      expect(seen).toHaveLength(1);
    });
  }

  const failures: { title: string; reason: string; setUp: (page: Page) => Promise<{ token?: string; baseUrl?: string }> }[] = [
    { title: '3.3 a token the real server refuses (401)', reason: 'unauthorized', setUp: async () => ({ token: 'not-a-jwt' }) },
    {
      title: '3.5 a server slower than timeoutMs',
      reason: 'timeout',
      setUp: async (page) => {
        await page.route(`**${ENDPOINT}*`, (route) => (route.request().method() === 'GET' ? new Promise<void>(() => undefined) : route.continue()));
        return {};
      },
    },
    {
      title: 'a 500 from the endpoint',
      reason: 'server_unavailable',
      setUp: async (page) => {
        await page.route(`**${ENDPOINT}*`, (route) => route.fulfill({ status: 500, headers: { 'access-control-allow-origin': '*' }, json: { error: { code: 'server_unavailable', message: 'down' } } }));
        return {};
      },
    },
    {
      title: '3.4 a malformed body',
      reason: 'invalid_response',
      setUp: async (page) => {
        await page.route(`**${ENDPOINT}*`, async (route) => {
          const response = await route.fetch();
          const body = (await response.json()) as { parents: Record<string, { navProperty: string }> };
          body.parents.sprk_matter!.navProperty = 'sprk_Matter@odata.bind';
          await route.fulfill({ response, json: body });
        });
        return {};
      },
    },
    { title: '3.2 an unreachable server', reason: 'network_error', setUp: async () => ({ baseUrl: await unreachableUrl() }) },
  ];
  for (const { title, reason, setUp } of failures) {
    test(`${title} fails the server layer with ${reason} and the bundled fallback is used`, async ({ page }) => {
      const overrides = await setUp(page);
      const { lines, config } = await open(page);
      const fallback = await navmap.server.cache.get().then((lookup) => lookup.entry.map);
      const result = await page.evaluate(async (options) => harness.load(harness.create(options)), config({ ...overrides, fallback, timeoutMs: 1000 }));
      expect(result).toMatchObject({ ok: true, source: 'fallback' });
      expect(await page.evaluate(() => harness.events[0])).toMatchObject({ name: 'NavMapLayerFailed', layer: 'server', reason });
      expect(lines).toEqual([{ type: 'warning', text: expect.stringContaining('Layer 3 FALLBACK - Loaded from bundled snapshot') }]);
    });
  }

  test("requireNavEntry('lead') names lead and lists the real parents", async ({ page }) => {
    const { config } = await open(page);
    const outcome = await page.evaluate(async (options) => harness.attempt(() => harness.clients[harness.create(options)]!.requireNavEntry('lead')), config());
    expect(outcome).toMatchObject({ ok: false, error: { code: 'unsupported_parent' } });
    expect((outcome as { error: { message: string } }).error.message).toContain(`\`lead\``);
    expect((outcome as { error: { message: string } }).error.message).toContain(`Available parents: ${configuredParents.join(', ')}.`);
  });

  test('bind normalizes a form GUID and the emulator links the created record to the parent', async ({ page }) => {
    const { config } = await open(page);
    const dataverse = { url: stack.environment.dataverseUrl, token: await stack.dataverseToken() };
    const created = await page.evaluate(
      async ({ options, dataverse, id }) => {
        const bind = await harness.clients[harness.create(options)]!.bind('sprk_matter', id);
        const response = await fetch(`${dataverse.url}/api/data/v9.2/sprk_documents`, {
          method: 'POST',
          headers: { authorization: `Bearer ${dataverse.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ sprk_documentname: 'bind-test.pdf', ...bind }),
        });
        return { bind, status: response.status, entityId: response.headers.get('odata-entityid') };
      },
      { options: config(), dataverse, id: `{${MATTER_ID.toUpperCase()}}` },
    );
    expect(created.bind).toEqual({ 'sprk_Matter@odata.bind': `/sprk_matters(${MATTER_ID})` });
    expect(created.status).toBe(204);
    const record = await fetch(`${created.entityId}?$select=_sprk_matter_value`, { headers: { authorization: `Bearer ${dataverse.token}` } }).then((response) => response.json() as Promise<Record<string, unknown>>);
    expect(record._sprk_matter_value).toBe(MATTER_ID);
  });
});

test.describe('withBindRetry against the emulator after a navigation property is renamed', () => {
  let renamed: Awaited<ReturnType<typeof startServerForPages>>;

  test.beforeAll(async () => {
    renamed = await startServerForPages(site.url, { ttlSeconds: 2, refreshAheadSeconds: 1 });
  });
  test.afterAll(async () => {
    await renamed?.stack.stop();
  });

  test('one 0x80048d19, one reload from the server, one retry, then the record is created', async ({ page, context }) => {
    const seen: string[] = [];
    context.on('request', (request) => {
      if (request.method() === 'GET' && request.url().startsWith(`${renamed.navmap.url}${ENDPOINT}`)) seen.push(request.url());
    });
    const { config } = await openHarness(page, site, { url: renamed.navmap.url, environment: renamed.navmapEnvironment, token: await renamed.stack.callerToken() });
    expect(await page.evaluate(async (options) => harness.load(harness.create(options)), config())).toMatchObject({ ok: true, source: 'server' });
    expect(await page.evaluate(() => harness.clients[0]!.getNavEntry('sprk_matter')!.navProperty)).toBe('sprk_Matter');

    await renamed.stack.admin.changeRelationship('sprk_matter_document', { ReferencingEntityNavigationPropertyName: 'sprk_MatterRef' });
    // The server shows a schema change after its cache TTL (2 s here); wait until it serves the new name.
    const bff = await renamed.stack.callerToken();
    await expect
      .poll(
        async () => {
          const response = await fetch(`${renamed.navmap.url}${ENDPOINT}?v=1`, { headers: { authorization: `Bearer ${bff}` } });
          return ((await response.json()) as { parents: Record<string, { navProperty: string }> }).parents.sprk_matter?.navProperty;
        },
        { timeout: 15_000 },
      )
      .toBe('sprk_MatterRef');

    const dataverse = { url: renamed.stack.environment.dataverseUrl, token: await renamed.stack.dataverseToken() };
    const outcome = await page.evaluate(
      async ({ options, dataverse, id }) => {
        const client = harness.clients[harness.create(options)]!;
        const attempts: { bindKey: string; status: number }[] = [];
        const entityId = await client.withBindRetry(async (navMap) => {
          const bind = await navMap.bind('sprk_matter', id);
          const response = await fetch(`${dataverse.url}/api/data/v9.2/sprk_documents`, {
            method: 'POST',
            headers: { authorization: `Bearer ${dataverse.token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ sprk_documentname: 'renamed.pdf', ...bind }),
          });
          attempts.push({ bindKey: Object.keys(bind)[0]!, status: response.status });
          if (!response.ok) {
            // Shaped as PCF's context.webAPI rejects: errorCode as an unsigned number, Dataverse's message.
            const { error } = (await response.json()) as { error: { code: string; message: string } };
            throw Object.assign(new Error(error.message), { errorCode: Number.parseInt(error.code, 16) });
          }
          return response.headers.get('odata-entityid');
        });
        return { attempts, entityId };
      },
      { options: config(), dataverse, id: MATTER_ID },
    );
    expect(outcome.attempts).toEqual([
      { bindKey: 'sprk_Matter@odata.bind', status: 400 },
      { bindKey: 'sprk_MatterRef@odata.bind', status: 204 },
    ]);
    expect(outcome.entityId).toContain('sprk_documents(');
    expect(seen).toHaveLength(2); // the first load and the one reload past the caches
  });
});
