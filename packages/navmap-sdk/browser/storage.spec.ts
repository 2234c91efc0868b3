import { sdapMap, TEST_ENVIRONMENT } from './fixtures/startFakeNavMapServer.js';
import { expect, openHarness, test } from './fixtures/test.js';

const KEY = `navmap:v1:${TEST_ENVIRONMENT}:sprk_document`;

test.describe('createNavMapClient storage in Chromium', () => {
  test('a second tab reuses the IndexedDB entry without a request', async ({ harnessPage, navmap, site, context }) => {
    const { page, config } = harnessPage;
    await page.evaluate(async (options) => harness.load(harness.create(options)), config());
    const second = await openHarness(await context.newPage(), site, navmap); // the first tab stays open
    const result = await second.page.evaluate(async (options) => harness.load(harness.create(options)), config());
    expect(result).toMatchObject({ ok: true, source: 'cache' });
    expect(navmap.requests).toHaveLength(1);
  });

  test('blocked IndexedDB (indexedDB.open throws SecurityError) degrades to sessionStorage with a warning', async ({ page, site, navmap }) => {
    await page.addInitScript(() => {
      IDBFactory.prototype.open = () => {
        throw new DOMException('Access to IndexedDB is denied in this context.', 'SecurityError');
      };
    });
    const { lines, config } = await openHarness(page, site, navmap);
    const result = await page.evaluate(async (options) => harness.load(harness.create(options)), config());
    expect(result).toMatchObject({ ok: true, source: 'server' });
    expect(lines[0]).toMatchObject({ type: 'warning', text: expect.stringContaining('indexeddb storage is unavailable (SecurityError') });
    expect(await page.evaluate(() => harness.events[0])).toMatchObject({ name: 'NavMapLayerFailed', layer: 'cache', reason: 'storage_unavailable' });
    const stored = await page.evaluate((key) => JSON.parse(sessionStorage.getItem(key) ?? 'null') as unknown, KEY);
    expect(stored).toMatchObject({ map: { environment: TEST_ENVIRONMENT } });

    await page.reload();
    await page.waitForFunction(() => globalThis.harness !== undefined);
    const again = await page.evaluate(async (options) => harness.load(harness.create(options)), config());
    expect(again).toMatchObject({ ok: true, source: 'cache' });
    expect(navmap.requests).toHaveLength(1);
  });

  test('without indexedDB and with sessionStorage refused, the client caches in memory and still loads', async ({ page, site, navmap }) => {
    await page.addInitScript(() => {
      Object.defineProperty(globalThis, 'indexedDB', { value: undefined, configurable: true });
      Object.defineProperty(globalThis, 'sessionStorage', {
        configurable: true,
        get() {
          throw new DOMException('The document is sandboxed and lacks the allow-same-origin flag.', 'SecurityError');
        },
      });
    });
    const { lines, config } = await openHarness(page, site, navmap);
    const result = await page.evaluate(async (options) => harness.load(harness.create(options)), config());
    expect(result).toMatchObject({ ok: true, source: 'server' });
    expect(lines.filter((line) => line.type === 'warning').map((line) => line.text)).toEqual([
      expect.stringContaining('indexeddb storage is unavailable'),
      expect.stringContaining('session storage is unavailable (SecurityError'),
    ]);
  });

  test('3.6 a full sessionStorage makes caching a warning only; the map stays in memory', async ({ harnessPage, navmap }) => {
    const { page, lines, config } = harnessPage;
    const filled = await page.evaluate(() => {
      const chunk = 'x'.repeat(256 * 1024);
      let index = 0;
      try {
        for (;;) sessionStorage.setItem(`filler-${index++}`, chunk);
      } catch (error) {
        return (error as DOMException).name;
      }
    });
    expect(filled).toBe('QuotaExceededError');
    const result = await page.evaluate(async (options) => {
      // Fill the last bytes too, so not even a small entry fits.
      try {
        for (let size = 65536; size >= 1; size = Math.floor(size / 2)) {
          try {
            for (;;) sessionStorage.setItem(`small-${Math.random()}`, 'y'.repeat(size));
          } catch {
            // next smaller size
          }
        }
      } finally {
        // nothing
      }
      const index = harness.create({ ...options, storage: 'session' });
      const loaded = await harness.load(index);
      return { loaded, entry: harness.clients[index]!.getNavEntry('sprk_project') };
    }, config());
    expect(result.loaded).toMatchObject({ ok: true, source: 'server' });
    expect(result.entry).toMatchObject({ navProperty: 'sprk_Project', source: 'server' });
    expect(await page.evaluate(() => harness.events.find((event) => event.name === 'NavMapLayerFailed'))).toMatchObject({ layer: 'cache', reason: 'quota_exceeded' });
    expect(lines.map((line) => line.type)).toEqual(['warning', 'log']);
    expect(lines[0]?.text).toContain('QuotaExceededError');
    expect(navmap.requests).toHaveLength(1);
  });

  test('a full IndexedDB quota (Chromium quota override) makes caching a warning; the map stays in memory', async ({ harnessPage, navmap, site, context }) => {
    const { page, lines, config } = harnessPage;
    const cdp = await context.newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: site.url, quotaSize: 1 });
    const result = await page.evaluate(async (options) => {
      const index = harness.create(options);
      const loaded = await harness.load(index);
      return { loaded, entry: harness.clients[index]!.getNavEntry('account') };
    }, config());
    expect(result.loaded).toMatchObject({ ok: true, source: 'server' });
    expect(result.entry).toMatchObject({ navProperty: 'sprk_Account' });
    expect(await page.evaluate(() => harness.events.filter((event) => event.name === 'NavMapLayerFailed'))).toEqual([
      expect.objectContaining({ layer: 'cache', reason: 'quota_exceeded' }),
    ]);
    expect(lines.map((line) => line.type)).toEqual(['warning', 'log']);
    expect(await page.evaluate((key) => harness.idb.get(key), KEY)).toBeUndefined();
    expect(navmap.requests).toHaveLength(1);
  });

  const badEntries: { title: string; reason: string; entry: (now: number) => unknown }[] = [
    { title: 'a corrupted entry', reason: 'invalid_entry', entry: () => ({ map: { version: '1', parents: 'garbage' }, etag: 7 }) },
    { title: 'an entry that is not an object', reason: 'invalid_entry', entry: () => 'not an entry' },
    { title: 'an entry of another contract version', reason: 'version_mismatch', entry: (now) => ({ map: { ...sdapMap(), version: '2' }, etag: null, storedAt: now }) },
    { title: "another environment's entry under this key", reason: 'environment_mismatch', entry: (now) => ({ map: sdapMap('https://other.crm.dynamics.com'), etag: null, storedAt: now }) },
  ];
  for (const { title, reason, entry } of badEntries) {
    test(`${title} is dropped (${reason}) and the server map replaces it`, async ({ harnessPage, navmap }) => {
      const { page, lines, config } = harnessPage;
      await page.evaluate(async ({ key, value }) => harness.idb.put(key, value), { key: KEY, value: entry(Date.now()) });
      const result = await page.evaluate(async (options) => harness.load(harness.create(options)), config());
      expect(result).toMatchObject({ ok: true, source: 'server', environment: TEST_ENVIRONMENT });
      expect(await page.evaluate(() => harness.events[0])).toMatchObject({ name: 'NavMapLayerFailed', layer: 'cache', reason });
      expect(lines[0]).toMatchObject({ type: 'warning', text: expect.stringContaining('Dropped the cached') });
      expect(await page.evaluate((key) => harness.idb.get(key), KEY)).toMatchObject({ map: { version: '1', environment: TEST_ENVIRONMENT }, etag: expect.any(String) });
      expect(navmap.requests).toHaveLength(1);
    });
  }

  test("another environment's own entry is neither used nor touched", async ({ harnessPage, navmap }) => {
    const { page, config } = harnessPage;
    const otherKey = 'navmap:v1:https://other.crm.dynamics.com:sprk_document';
    const other = { map: sdapMap('https://other.crm.dynamics.com'), etag: '"other"', storedAt: Date.now() };
    await page.evaluate(async ({ key, value }) => harness.idb.put(key, value), { key: otherKey, value: other });
    const result = await page.evaluate(async (options) => harness.load(harness.create(options)), config());
    expect(result).toMatchObject({ ok: true, source: 'server' });
    expect(await page.evaluate((key) => harness.idb.get(key), otherKey)).toEqual(other);
    expect(navmap.requests).toHaveLength(1);
  });

  test("a null tab copy in sessionStorage is no entry: the shared IndexedDB entry is used, not deleted", async ({ harnessPage, navmap }) => {
    const { page, config } = harnessPage;
    const good = { map: sdapMap(), etag: '"good"', storedAt: Date.now() };
    await page.evaluate(async ({ key, value }) => {
      await harness.idb.put(key, value);
      sessionStorage.setItem(key, 'null');
    }, { key: KEY, value: good });
    const result = await page.evaluate(async (options) => harness.load(harness.create(options)), config());
    expect(result).toMatchObject({ ok: true, source: 'cache' });
    expect(await page.evaluate((key) => harness.idb.get(key), KEY)).toEqual(good);
    expect(navmap.requests).toHaveLength(0);
  });
});
