import { expect, openHarness, test } from './fixtures/test.js';

test.describe('createNavMapClient page-wide sharing in Chromium', () => {
  test('8.3 five instances on one page make one request and share one memory copy', async ({ harnessPage, navmap }) => {
    const { page, lines, config } = harnessPage;
    navmap.behaviour = { kind: 'hold' };
    const loads = page.evaluate(async (options) => {
      const indexes = [0, 1, 2, 3, 4].map(() => harness.create(options));
      return Promise.all(indexes.map((index) => harness.load(index)));
    }, config());
    await navmap.waitForRequests(1);
    navmap.release();
    const results = await loads;
    expect(results.map((result) => result.ok && result.source)).toEqual(['server', 'server', 'server', 'server', 'server']);
    expect(navmap.requests).toHaveLength(1);
    expect(lines).toHaveLength(1); // one console line for the one load
    const entries = await page.evaluate(() => harness.clients.map((client) => client.getNavEntry('sprk_invoice')?.navProperty));
    expect(entries).toEqual(['sprk_Invoice', 'sprk_Invoice', 'sprk_Invoice', 'sprk_Invoice', 'sprk_Invoice']);
    // A sixth instance created later gets the memory copy: still one request.
    await page.evaluate(async (options) => harness.load(harness.create(options)), config());
    expect(navmap.requests).toHaveLength(1);
  });

  test('two bundled copies of the SDK on one page share one load', async ({ harnessPage, navmap }) => {
    const { page, config } = harnessPage;
    navmap.behaviour = { kind: 'hold' };
    const loads = page.evaluate(async (options) => {
      const first = harness.load(harness.create(options));
      const second = globalThis.harness2.load(globalThis.harness2.create(options));
      return Promise.all([first, second]);
    }, config());
    await navmap.waitForRequests(1);
    navmap.release();
    const results = await loads;
    expect(results.map((result) => result.ok && result.source)).toEqual(['server', 'server']);
    expect(navmap.requests).toHaveLength(1);
    expect(await page.evaluate(() => globalThis.harness !== globalThis.harness2)).toBe(true);
  });

  test('clients for another environment or child entity do not share', async ({ harnessPage, navmap }) => {
    const { page, config } = harnessPage;
    await page.evaluate(async (options) => harness.load(harness.create(options)), config());
    const other = await page.evaluate(async (options) => harness.load(harness.create({ ...options, childEntity: 'sprk_note' })), config());
    expect(other).toMatchObject({ ok: false }); // the server's map is for sprk_document
    expect(navmap.requests).toHaveLength(2);
  });

  test('4.1 twenty form loads make at most one server load', async ({ harnessPage, navmap, site, context }) => {
    test.setTimeout(120_000); // twenty page loads on a busy 2-core machine
    const { config } = harnessPage;
    const layers: string[] = [];
    for (let load = 0; load < 20; load++) {
      const { page } = load === 0 ? harnessPage : await openHarness(await context.newPage(), site, navmap);
      const result = await page.evaluate(async (options) => harness.load(harness.create(options)), config());
      layers.push(result.ok ? result.source : 'failed');
      await page.close();
    }
    expect(navmap.requests).toHaveLength(1);
    expect(layers.filter((layer) => layer === 'cache')).toHaveLength(19);
  });
});
