import { TEST_ENVIRONMENT } from './fixtures/startFakeNavMapServer.js';
import { expect, test } from './fixtures/test.js';

const MATTER_ID = '{3A785F76-C773-F011-B4CB-6045BDD8B757}';

test.describe('createNavMapClient API in Chromium', () => {
  test("requireNavEntry('lead') throws unsupported_parent naming lead and listing the parents", async ({ harnessPage }) => {
    const { page, config } = harnessPage;
    const outcome = await page.evaluate(async (options) => {
      const client = harness.clients[harness.create(options)]!;
      return harness.attempt(() => client.requireNavEntry('lead'));
    }, config());
    expect(outcome).toMatchObject({ ok: false, error: { name: 'NavMapError', code: 'unsupported_parent', details: { entity: 'lead', available: ['account', 'contact', 'sprk_invoice', 'sprk_matter', 'sprk_project'] } } });
    const { message } = (outcome as { error: { message: string } }).error;
    expect(message).toContain('`lead`');
    expect(message).toContain('Available parents: account, contact, sprk_invoice, sprk_matter, sprk_project.');
  });

  test('getNavEntry is undefined before a load and carries source and age after it', async ({ harnessPage }) => {
    const { page, config } = harnessPage;
    const [before, after] = await page.evaluate(async (options) => {
      const client = harness.clients[harness.create(options)]!;
      const first = client.getNavEntry('sprk_matter');
      await client.load();
      return [first, client.getNavEntry('SPRK_Matter')];
    }, config());
    expect(before).toBeUndefined();
    expect(after).toMatchObject({ entitySet: 'sprk_matters', navProperty: 'sprk_Matter', lookupAttribute: 'sprk_matter', source: 'server', ageMs: expect.any(Number) });
  });

  test('bind strips braces and lower-cases the GUID, and refuses a non-GUID before loading', async ({ harnessPage, navmap }) => {
    const { page, config } = harnessPage;
    const [bound, refused] = await page.evaluate(async ({ options, id }) => {
      const client = harness.clients[harness.create(options)]!;
      const refusal = await harness.attempt(() => client.bind('sprk_matter', 'not-a-guid'));
      return [await client.bind('sprk_project', id), refusal];
    }, { options: config(), id: MATTER_ID });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_guid' } });
    expect(bound).toEqual({ 'sprk_Project@odata.bind': '/sprk_projects(3a785f76-c773-f011-b4cb-6045bdd8b757)' });
    expect(navmap.requests).toHaveLength(1);
  });

  test('withBindRetry: a renamed navigation property gets one reload past the caches and one retry, then succeeds', async ({ harnessPage, navmap }) => {
    const { page, lines, config } = harnessPage;
    await page.evaluate(async (options) => harness.load(harness.create(options)), config());
    // The schema changes after the map was cached: the lookup's navigation property is renamed.
    navmap.map = { ...navmap.map, parents: { ...navmap.map.parents, sprk_matter: { ...navmap.map.parents.sprk_matter!, navProperty: 'sprk_MatterRef' } } };
    const outcome = await page.evaluate(async ({ options, id }) => {
      const client = harness.clients[harness.create(options)]!;
      let attempts = 0;
      const created = await client.withBindRetry(async (navMap) => {
        attempts += 1;
        const body = { sprk_documentname: 'A.pdf', ...(await navMap.bind('sprk_matter', id)) };
        const response = await fetch(`${options.baseUrl}/api/data/v9.2/sprk_documents`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        // Shaped like a PCF context.webAPI rejection: errorCode as the unsigned 32-bit number, Dataverse's message.
        if (!response.ok) {
          const { error } = (await response.json()) as { error: { code: string; message: string } };
          throw Object.assign(new Error(error.message), { errorCode: Number.parseInt(error.code, 16), code: error.code });
        }
        return response.headers.get('odata-entityid');
      });
      return { attempts, created };
    }, { options: config(), id: MATTER_ID });
    expect(outcome).toEqual({ attempts: 2, created: 'sprk_documents(00000000-0000-0000-0000-000000000001)' });
    expect(navmap.creates).toEqual([{ bindKeys: ['sprk_Matter@odata.bind'], status: 400 }, { bindKeys: ['sprk_MatterRef@odata.bind'], status: 204 }]);
    // The first load is an ordinary one; the reload after 0x80048d19 asks the server to skip its own cache too.
    expect(navmap.requests.map((request) => [request.status, request.ifNoneMatch, request.noCache])).toEqual([
      [200, undefined, false],
      [200, undefined, true],
    ]);
    expect(lines.filter((line) => line.type === 'warning')).toEqual([{ type: 'warning', text: expect.stringContaining('0x80048d19') }]);
  });

  test('withBindRetry runs exactly once more: a second 0x80048d19 and any other error pass through', async ({ harnessPage, navmap }) => {
    const { page, config } = harnessPage;
    const outcome = await page.evaluate(async (options) => {
      const client = harness.clients[harness.create(options)]!;
      let undeclared = 0;
      const first = await harness.attempt(() =>
        client.withBindRetry(async () => {
          undeclared += 1;
          throw Object.assign(new Error("An undeclared property 'sprk_matter' which only has property annotations"), { errorCode: 2147781913 });
        }),
      );
      let other = 0;
      const second = await harness.attempt(() =>
        client.withBindRetry(async () => {
          other += 1;
          throw Object.assign(new Error('Principal user is missing prvCreatesprk_document privilege'), { errorCode: 2147746336, status: 403 });
        }),
      );
      return { undeclared, first, other, second };
    }, config());
    expect(outcome).toMatchObject({ undeclared: 2, other: 1, first: { ok: false, error: { message: expect.stringContaining('undeclared property') } }, second: { ok: false, error: { message: expect.stringContaining('prvCreate') } } });
    expect(navmap.requests).toHaveLength(1); // the retry's reload; nothing was loaded before
  });

  test('7.2 events carry the documented dimensions, and track() reports DocumentCreated and DocumentCreateFailed', async ({ harnessPage }) => {
    const { page, lines, config } = harnessPage;
    const events = await page.evaluate(async (options) => {
      const client = harness.clients[harness.create(options)]!;
      await client.load();
      client.track({ name: 'DocumentCreated', parentEntity: 'sprk_matter', source: 'server', durationMs: 120 });
      client.track({ name: 'DocumentCreateFailed', parentEntity: 'sprk_project', errorCode: '0x80040217', message: 'Record not found' });
      return harness.events;
    }, config());
    expect(events).toEqual([
      { name: 'NavMapLoaded', layer: 'server', durationMs: expect.any(Number), entityCount: 5, ageMs: expect.any(Number), environment: TEST_ENVIRONMENT, childEntity: 'sprk_document' },
      { name: 'DocumentCreated', parentEntity: 'sprk_matter', source: 'server', durationMs: 120, environment: TEST_ENVIRONMENT, childEntity: 'sprk_document' },
      { name: 'DocumentCreateFailed', parentEntity: 'sprk_project', errorCode: '0x80040217', message: 'Record not found', environment: TEST_ENVIRONMENT, childEntity: 'sprk_document' },
    ]);
    expect(lines.map((line) => line.type)).toEqual(['log', 'log', 'error']);
    expect(lines[1]?.text).toContain('sprk_matter');
    expect(lines[2]?.text).toContain('sprk_project');
  });

  test('a bad option throws invalid_config naming it', async ({ harnessPage }) => {
    const { page, config } = harnessPage;
    const outcome = await page.evaluate(async (options) => harness.attempt(async () => harness.create({ ...options, timeoutMs: -1 })), config());
    expect(outcome).toMatchObject({ ok: false, error: { code: 'invalid_config', message: expect.stringContaining('`timeoutMs`') } });
  });
});
