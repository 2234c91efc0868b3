import { sdapMap, TEST_ENVIRONMENT, unreachableUrl, type FakeBehaviour } from './fixtures/startFakeNavMapServer.js';
import { expect, test } from './fixtures/test.js';

const fallback = sdapMap(TEST_ENVIRONMENT, '2026-11-01T00:00:00.000Z');

test.describe('createNavMapClient server failures in Chromium', () => {
  const cases: { title: string; behaviour: FakeBehaviour; token?: string | null; reason: string }[] = [
    { title: '3.5 a server that does not answer within timeoutMs', behaviour: { kind: 'hang' }, reason: 'timeout' },
    { title: 'a server that stops in the middle of the body', behaviour: { kind: 'stall-body' }, reason: 'timeout' },
    { title: '3.3 a 401 for a refused token', behaviour: { kind: 'ok' }, token: 'expired-token', reason: 'unauthorized' },
    { title: '3.3 getAccessToken failing (no signed-in user)', behaviour: { kind: 'ok' }, token: null, reason: 'unauthorized' },
    { title: 'a 500', behaviour: { kind: 'status', status: 500 }, reason: 'server_unavailable' },
    { title: 'a 429 from the rate limit', behaviour: { kind: 'status', status: 429, headers: { 'retry-after': '30' } }, reason: 'rate_limited' },
    { title: 'a 404 for a wrong baseUrl path', behaviour: { kind: 'status', status: 404 }, reason: 'not_found' },
    { title: 'a 403 for a missing scope', behaviour: { kind: 'status', status: 403 }, reason: 'forbidden' },
    { title: '3.4 a body of the wrong shape', behaviour: { kind: 'malformed' }, reason: 'invalid_response' },
    { title: '3.4 a body that is not JSON', behaviour: { kind: 'not-json' }, reason: 'invalid_response' },
  ];
  for (const { title, behaviour, token, reason } of cases) {
    test(`${title} falls back to the bundled map with reason ${reason}`, async ({ harnessPage, navmap }) => {
      const { page, lines, config } = harnessPage;
      navmap.behaviour = behaviour;
      // A short timeout only where the server never finishes: a loaded CI machine can take longer than that to answer.
      const options = config({ fallback, timeoutMs: reason === 'timeout' ? 400 : 5_000, ...(token === undefined ? {} : { token }) });
      const result = await page.evaluate(async (options) => harness.load(harness.create(options)), options);
      expect(result).toMatchObject({ ok: true, source: 'fallback' });
      const failed = await page.evaluate(() => harness.events.filter((event) => event.name === 'NavMapLayerFailed'));
      expect(failed).toEqual([expect.objectContaining({ layer: 'server', reason })]);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ type: 'warning', text: expect.stringContaining(`(${reason}:`) });
      expect(await page.evaluate(() => harness.clients[0]!.getNavEntry('sprk_matter'))).toMatchObject({ navProperty: 'sprk_Matter', source: 'fallback' });
      if (token === null) expect(navmap.requests).toHaveLength(0);
    });
  }

  test('a 429 names the Retry-After wait, and with no other layer load() rejects carrying status 429', async ({ harnessPage, navmap }) => {
    const { page, config } = harnessPage;
    navmap.behaviour = { kind: 'status', status: 429, headers: { 'retry-after': '30' } };
    const result = await page.evaluate(async (options) => harness.load(harness.create(options)), config());
    expect(result).toMatchObject({ ok: false, error: { code: 'server_unavailable', details: { status: 429 }, message: expect.stringContaining('rate_limited') } });
    expect(await page.evaluate(() => harness.events)).toEqual([
      expect.objectContaining({ name: 'NavMapLayerFailed', layer: 'server', reason: 'rate_limited', message: expect.stringContaining('answered 429 (retry after 30 s)') }),
    ]);
    expect(navmap.requests).toHaveLength(1); // no retry of its own
  });

  test('3.2 an unreachable server falls back with network_error', async ({ harnessPage }) => {
    const { page, config } = harnessPage;
    const result = await page.evaluate(async (options) => harness.load(harness.create(options)), config({ baseUrl: await unreachableUrl(), fallback }));
    expect(result).toMatchObject({ ok: true, source: 'fallback' });
    expect(await page.evaluate(() => harness.events[0])).toMatchObject({ name: 'NavMapLayerFailed', layer: 'server', reason: 'network_error' });
  });

  test('3.3 a 401 with an old cache entry falls back to the cache, not the bundled map', async ({ harnessPage, navmap }) => {
    const { page, config } = harnessPage;
    const key = `navmap:v1:${TEST_ENVIRONMENT}:sprk_document`;
    const old = { map: sdapMap(TEST_ENVIRONMENT, '2026-10-01T00:00:00.000Z'), etag: '"old"', storedAt: Date.now() - 2 * 86_400_000 };
    await page.evaluate(async ({ key, value }) => harness.idb.put(key, value), { key, value: old });
    const result = await page.evaluate(async (options) => harness.load(harness.create(options)), config({ token: 'expired', fallback }));
    expect(result).toMatchObject({ ok: true, source: 'cache' });
    expect(navmap.requests).toEqual([{ authorization: 'Bearer expired', ifNoneMatch: '"old"', noCache: false, status: 401 }]);
  });

  test('a server map for another environment is refused as invalid_response', async ({ harnessPage, navmap }) => {
    const { page, config } = harnessPage;
    navmap.map = sdapMap('https://other.crm.dynamics.com');
    const result = await page.evaluate(async (options) => harness.load(harness.create(options)), config({ fallback }));
    expect(result).toMatchObject({ ok: true, source: 'fallback' });
    expect(await page.evaluate(() => harness.events[0])).toMatchObject({ reason: 'invalid_response', message: expect.stringContaining('other.crm.dynamics.com') });
  });

  test('8.1 a server map with no parents is not used: the bundled map is, with a warning naming the parents errors', async ({ harnessPage, navmap }) => {
    const { page, lines, config } = harnessPage;
    navmap.map = { ...sdapMap(), parents: {}, errors: { sprk_matter: { code: 'entity_not_found', message: 'No table sprk_matter.' } } };
    const result = await page.evaluate(async (options) => harness.load(harness.create(options)), config({ fallback }));
    expect(result).toMatchObject({ ok: true, source: 'fallback' });
    expect(await page.evaluate(() => harness.events[0])).toMatchObject({
      name: 'NavMapLayerFailed',
      reason: 'invalid_response',
      message: expect.stringContaining('no parents (sprk_matter: entity_not_found)'),
    });
    expect(lines).toEqual([expect.objectContaining({ type: 'warning', text: expect.stringContaining('Layer 3 FALLBACK - Loaded from bundled snapshot') })]);
  });
});
