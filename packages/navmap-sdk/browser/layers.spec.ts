import { sdapMap, TEST_ENVIRONMENT, unreachableUrl } from './fixtures/startFakeNavMapServer.js';
import { expect, openHarness, test } from './fixtures/test.js';

const KEY = `navmap:v1:${TEST_ENVIRONMENT}:sprk_document`;
const PARENTS = ['account', 'contact', 'sprk_invoice', 'sprk_matter', 'sprk_project'];

test.describe('createNavMapClient layers in Chromium', () => {
  test('1.1 loads from the server on empty caches, logs it with the entities, and fills IndexedDB', async ({ harnessPage, navmap }) => {
    const { page, lines, config } = harnessPage;
    const result = await page.evaluate(async (options) => harness.load(harness.create(options)), config());
    expect(result).toMatchObject({ ok: true, source: 'server', parents: PARENTS });
    expect(navmap.requests).toEqual([{ authorization: 'Bearer test-token-for-navmap', ifNoneMatch: undefined, noCache: false, status: 200 }]);
    const stored = (await page.evaluate((key) => harness.idb.get(key), KEY)) as { map: unknown; etag: string; storedAt: number };
    expect(stored.map).toEqual(navmap.map);
    expect(stored.etag).toMatch(/^".+"$/);
    const loaded = await page.evaluate(() => harness.events.filter((event) => event.name === 'NavMapLoaded'));
    expect(loaded).toEqual([expect.objectContaining({ layer: 'server', entityCount: 5, environment: TEST_ENVIRONMENT, ageMs: expect.any(Number), durationMs: expect.any(Number) })]);
    expect(lines).toEqual([{ type: 'log', text: expect.stringMatching(/^\[NavMapClient\] Layer 1 SUCCESS - Loaded from server .*sprk_document map for https:\/\/sdap-test\.crm\.dynamics\.com, 5 parents \(account, contact, sprk_invoice, sprk_matter, sprk_project\)/) }]);
  });

  test('1.2 a fresh cache entry resolves after a reload with no request to the endpoint', async ({ harnessPage, navmap, site, context }) => {
    const { page, config } = harnessPage;
    await page.evaluate(async (options) => harness.load(harness.create(options)), config());
    expect(navmap.requests).toHaveLength(1);
    await page.close();
    const reloaded = await openHarness(await context.newPage(), site, navmap);
    const result = await reloaded.page.evaluate(async (options) => harness.load(harness.create(options)), config());
    expect(result).toMatchObject({ ok: true, source: 'cache', parents: PARENTS });
    expect(navmap.requests).toHaveLength(1);
    expect(reloaded.lines).toEqual([{ type: 'log', text: expect.stringContaining('[NavMapClient] Layer 2 HIT - Loaded from cache') }]);
    expect(await reloaded.page.evaluate(() => harness.events.map((event) => event.name === 'NavMapLoaded' && event.layer))).toEqual(['cache']);
  });

  test('a stale entry is returned before the server answers, then revalidated with If-None-Match; 304 refreshes its age', async ({ harnessPage, navmap, site, context }) => {
    const { config } = harnessPage;
    await harnessPage.page.evaluate(async (options) => harness.load(harness.create(options)), config());
    const first = (await harnessPage.page.evaluate((key) => harness.idb.get(key), KEY)) as { etag: string; storedAt: number };
    // Age the entry by an hour: past ttlMs (5 min), within maxStaleMs (24 h).
    await harnessPage.page.evaluate(async ({ key, entry }) => harness.idb.put(key, entry), { key: KEY, entry: { ...first, storedAt: first.storedAt - 3_600_000 } });
    await harnessPage.page.close();

    navmap.behaviour = { kind: 'hold' };
    const { page } = await openHarness(await context.newPage(), site, navmap);
    const result = await page.evaluate(async (options) => harness.load(harness.create(options)), config());
    expect(result).toMatchObject({ ok: true, source: 'cache' });
    expect((result as { ageMs: number }).ageMs).toBeGreaterThanOrEqual(3_600_000);
    await navmap.waitForRequests(2);
    expect(navmap.requests).toHaveLength(1); // the revalidation request is still held: the map came before it
    navmap.release();
    await page.waitForFunction(() => harness.events.some((event) => event.name === 'NavMapRevalidated'));
    expect(navmap.requests[1]).toEqual({ authorization: 'Bearer test-token-for-navmap', ifNoneMatch: first.etag, noCache: false, status: 304 });
    const revalidated = await page.evaluate(() => harness.events.find((event) => event.name === 'NavMapRevalidated'));
    expect(revalidated).toMatchObject({ status: 304, changed: false });
    const after = (await page.evaluate((key) => harness.idb.get(key), KEY)) as { storedAt: number };
    expect(after.storedAt).toBeGreaterThanOrEqual(first.storedAt);
    expect(await page.evaluate(() => harness.clients[0]?.getNavEntry('sprk_matter')?.ageMs)).toBeLessThan(60_000);
  });

  test('load({ refresh: true }) skips the fresh cache and sends Cache-Control: no-cache without If-None-Match', async ({ harnessPage, navmap }) => {
    const { page, config } = harnessPage;
    const results = await page.evaluate(async (options) => {
      const index = harness.create(options);
      return [await harness.load(index), await harness.load(index), await harness.load(index, { refresh: true })];
    }, config());
    expect(results.map((result) => result.ok && result.source)).toEqual(['server', 'server', 'server']);
    expect(navmap.requests.map(({ ifNoneMatch, noCache, status }) => ({ ifNoneMatch, noCache, status }))).toEqual([
      { ifNoneMatch: undefined, noCache: false, status: 200 },
      { ifNoneMatch: undefined, noCache: true, status: 200 },
    ]);
  });

  test('a revalidation that gets a new map (200) replaces the stale one', async ({ harnessPage, navmap }) => {
    const { page, config } = harnessPage;
    await page.evaluate(async (options) => harness.load(harness.create({ ...options, ttlMs: 0 })), config());
    navmap.map = { ...navmap.map, parents: { ...navmap.map.parents, sprk_matter: { ...navmap.map.parents.sprk_matter!, navProperty: 'sprk_MatterRenamed' } } };
    const second = await page.evaluate(async (options) => harness.load(harness.create({ ...options, ttlMs: 0 })), config());
    expect(second).toMatchObject({ ok: true, source: 'server' }); // the memory copy, stale: returned at once
    await page.waitForFunction(() => harness.events.some((event) => event.name === 'NavMapRevalidated'));
    expect(await page.evaluate(() => harness.events.find((event) => event.name === 'NavMapRevalidated'))).toMatchObject({ status: 200, changed: true });
    expect(await page.evaluate(() => harness.clients[1]?.getNavEntry('sprk_matter')?.navProperty)).toBe('sprk_MatterRenamed');
  });

  test('1.3 with the server unreachable and no cache, the bundled fallback is used with a warning and sprk_matter resolves', async ({ harnessPage }) => {
    const { page, lines, config } = harnessPage;
    const fallback = sdapMap(TEST_ENVIRONMENT, '2026-11-01T00:00:00.000Z');
    const result = await page.evaluate(async (options) => {
      const index = harness.create(options);
      const loaded = await harness.load(index);
      return { loaded, bind: await harness.clients[index]!.bind('sprk_matter', '{3A785F76-C773-F011-B4CB-6045BDD8B757}') };
    }, config({ baseUrl: await unreachableUrl(), fallback }));
    expect(result.loaded).toMatchObject({ ok: true, source: 'fallback' });
    expect(result.bind).toEqual({ 'sprk_Matter@odata.bind': '/sprk_matters(3a785f76-c773-f011-b4cb-6045bdd8b757)' });
    expect(lines).toEqual([{ type: 'warning', text: expect.stringMatching(/^\[NavMapClient\] Layer 3 FALLBACK - Loaded from bundled snapshot in .*; Layer 1 failed: The NavMap server failed \(network_error: /) }]);
    const events = await page.evaluate(() => harness.events.map((event) => [event.name, 'layer' in event ? event.layer : '', 'reason' in event ? event.reason : '']));
    expect(events).toEqual([['NavMapLayerFailed', 'server', 'network_error'], ['NavMapLoaded', 'fallback', '']]);
  });

  test('an entry older than maxStaleMs waits for the server, and is used when the server fails', async ({ harnessPage, navmap, site, context }) => {
    const { config } = harnessPage;
    await harnessPage.page.evaluate(async (options) => harness.load(harness.create(options)), config());
    const entry = (await harnessPage.page.evaluate((key) => harness.idb.get(key), KEY)) as { storedAt: number };
    await harnessPage.page.evaluate(async ({ key, entry }) => harness.idb.put(key, entry), { key: KEY, entry: { ...entry, storedAt: entry.storedAt - 2 * 86_400_000 } });
    await harnessPage.page.close();
    navmap.behaviour = { kind: 'status', status: 500 };
    const { page, lines } = await openHarness(await context.newPage(), site, navmap);
    const result = await page.evaluate(async (options) => harness.load(harness.create(options)), config({ fallback: sdapMap() }));
    expect(result).toMatchObject({ ok: true, source: 'cache' });
    expect(lines).toEqual([{ type: 'warning', text: expect.stringContaining('server_unavailable') }]);
    expect(navmap.requests.at(-1)).toMatchObject({ status: 500, ifNoneMatch: expect.stringMatching(/^"/) });
  });

  test('with every layer failing, load rejects with server_unavailable and logs one error line', async ({ harnessPage }) => {
    const { page, lines, config } = harnessPage;
    const result = await page.evaluate(async (options) => harness.load(harness.create(options)), config({ baseUrl: await unreachableUrl() }));
    expect(result).toMatchObject({ ok: false, error: { code: 'server_unavailable', message: expect.stringContaining('network_error') } });
    expect(lines).toEqual([{ type: 'error', text: expect.stringContaining('no cache entry exists and no `fallback` is bundled') }]);
  });
});
