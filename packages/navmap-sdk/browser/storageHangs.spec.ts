import { expect, openHarness, test } from './fixtures/test.js';

/**
 * Storage that hangs (an IndexedDB open blocked by another tab) or refuses in ways other than a DOMException: the load
 * goes on to the server within the storage time limit, and each refusal is a warning and a `NavMapLayerFailed` event.
 */
test.describe('createNavMapClient when storage hangs or refuses in Chromium', () => {
  test('an IndexedDB open queued behind another tab\'s blocked upgrade falls through to the server within the time limit', async ({ page, site, navmap, context }) => {
    // Another tab holds an old connection without closing it on versionchange and asks for an upgrade: every new open
    // of the database queues behind that upgrade until the tab closes (IndexedDB 3.0, "Opening a database connection").
    const other = await context.newPage();
    await other.goto(`${site.url}/`);
    await other.evaluate(async () => {
      const old = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('navmap');
        request.onupgradeneeded = () => request.result.createObjectStore('cache');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      (globalThis as Record<string, unknown>).old = old; // kept open, never closed
      indexedDB.open('navmap', old.version + 1); // blocked by `old`
    });
    const { lines, config } = await openHarness(page, site, navmap);
    const started = Date.now();
    const result = await page.evaluate(async (options) => harness.load(harness.create(options)), config({ timeoutMs: 1000 }));
    expect(result).toMatchObject({ ok: true, source: 'server' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await page.evaluate(() => harness.events.filter((event) => event.name === 'NavMapLayerFailed'))).toEqual([
      expect.objectContaining({ layer: 'cache', reason: 'storage_unavailable', message: expect.stringContaining('did not answer within 1000 ms') }),
    ]);
    expect(lines[0]).toMatchObject({ type: 'warning', text: expect.stringContaining('TimeoutError') });
  });

  test("closes its IndexedDB connection on versionchange, so another tab's deleteDatabase is not blocked", async ({ harnessPage, site, navmap, context }) => {
    const { page, config } = harnessPage;
    expect(await page.evaluate(async (options) => harness.load(harness.create(options)), config())).toMatchObject({ ok: true, source: 'server' });
    const other = await openHarness(await context.newPage(), site, navmap);
    const outcome = await other.page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const request = indexedDB.deleteDatabase('navmap');
          request.onblocked = () => resolve('blocked');
          request.onsuccess = () => resolve('deleted');
          setTimeout(() => resolve('no answer in 3 s'), 3000);
        }),
    );
    expect(outcome).toBe('deleted');
    // The first tab opens the database again on next use.
    expect(await page.evaluate(async () => harness.load(0, { refresh: true }))).toMatchObject({ ok: true, source: 'server' });
    expect(await page.evaluate(() => harness.idb.keys())).toHaveLength(1);
  });

  const refusals: { title: string; init: () => void; warnings: number }[] = [
    { title: 'indexedDB set to null (Firefox with IndexedDB disabled)', warnings: 1, init: () => Object.defineProperty(globalThis, 'indexedDB', { value: null, configurable: true }) },
    {
      title: 'indexedDB.open throwing a TypeError',
      warnings: 1,
      init: () => {
        IDBFactory.prototype.open = () => {
          throw new TypeError('open is not available');
        };
      },
    },
    {
      title: 'no indexedDB and sessionStorage set to null',
      warnings: 2,
      init: () => {
        Object.defineProperty(globalThis, 'indexedDB', { value: undefined, configurable: true });
        Object.defineProperty(globalThis, 'sessionStorage', { value: null, configurable: true });
      },
    },
    {
      title: 'no indexedDB and sessionStorage.getItem throwing a TypeError',
      warnings: 2,
      init: () => {
        Object.defineProperty(globalThis, 'indexedDB', { value: undefined, configurable: true });
        Storage.prototype.getItem = () => {
          throw new TypeError('getItem failed');
        };
      },
    },
  ];
  for (const { title, init, warnings } of refusals) {
    test(`${title} is a storage refusal: the client degrades with a warning and loads from the server`, async ({ page, site, navmap }) => {
      await page.addInitScript(init);
      const { lines, config } = await openHarness(page, site, navmap);
      const result = await page.evaluate(async (options) => harness.load(harness.create(options)), config());
      expect(result).toMatchObject({ ok: true, source: 'server' });
      expect(lines.filter((line) => line.type === 'warning')).toHaveLength(warnings);
      const failed = await page.evaluate(() => harness.events.filter((event) => event.name === 'NavMapLayerFailed'));
      expect(failed).toHaveLength(warnings);
      expect(failed.every((event) => event.layer === 'cache' && event.reason === 'storage_unavailable')).toBe(true);
      expect(navmap.requests).toHaveLength(1);
    });
  }
});
