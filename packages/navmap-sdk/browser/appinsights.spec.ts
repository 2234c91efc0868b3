import { test as base, expect } from '@playwright/test';
import type { AppInsightsHarness, AppInsightsRunConfig } from './page/appInsightsHarness.js';
import { bundlePage } from './fixtures/bundlePage.js';
import { startIngestionServer, type IngestionServer } from './fixtures/startIngestionServer.js';
import { sdapMap, startFakeNavMapServer, TEST_ENVIRONMENT, TEST_TOKEN, type FakeNavMapServer } from './fixtures/startFakeNavMapServer.js';
import { html, javascript, startStaticSite, type StaticSite } from './fixtures/startStaticSite.js';

declare global {
  // Registered by the page bundle (browser/page/appInsightsHarness.ts).
  var appInsightsHarness: AppInsightsHarness;
}

const IKEY = '5b1f8a8e-2d4c-4f7a-9c1e-3a0b6d2e7f10';

const test = base.extend<{ ingestion: IngestionServer; navmap: FakeNavMapServer; throttled: FakeNavMapServer; site: StaticSite }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixture's dependencies from this pattern
  ingestion: async ({}, use) => {
    const server = await startIngestionServer();
    await use(server);
    await server.close();
  },
  // eslint-disable-next-line no-empty-pattern -- as above
  navmap: async ({}, use) => {
    const server = await startFakeNavMapServer();
    await use(server);
    await server.close();
  },
  // eslint-disable-next-line no-empty-pattern -- as above
  throttled: async ({}, use) => {
    const server = await startFakeNavMapServer();
    server.behaviour = { kind: 'status', status: 429, headers: { 'retry-after': '30' } };
    await use(server);
    await server.close();
  },
  // eslint-disable-next-line no-empty-pattern -- as above
  site: async ({}, use) => {
    const site = await startStaticSite({
      '/': html('<!doctype html><meta charset="utf-8"><title>NavMap + Application Insights</title><script type="module" src="/ai.js"></script>'),
      '/ai.js': javascript(await bundlePage('appInsightsHarness.ts', 'appInsightsHarness')),
    });
    await use(site);
    await site.close();
  },
});

test.describe('createAppInsightsEventSink with the real Application Insights SDK in Chromium', () => {
  test('sends NavMap events and track() events as customEvents with dimensions and measurements', async ({ page, ingestion, navmap, throttled, site }) => {
    // Observed, not routed: routing makes Playwright disable the HTTP cache, and Chromium then sends
    // `Cache-Control: no-cache` on every request, which would hide what the client itself sends.
    const leftLoopback: string[] = [];
    page.on('request', (request) => {
      const { protocol, hostname } = new URL(request.url());
      if (protocol.startsWith('http') && hostname !== '127.0.0.1' && hostname !== 'localhost') leftLoopback.push(request.url());
    });
    await page.goto(`${site.url}/`);
    await page.waitForFunction(() => globalThis.appInsightsHarness !== undefined);
    const config: AppInsightsRunConfig = {
      connectionString: `InstrumentationKey=${IKEY};IngestionEndpoint=${ingestion.url}`,
      baseUrl: navmap.url,
      failingBaseUrl: throttled.url,
      environment: TEST_ENVIRONMENT,
      token: TEST_TOKEN,
      fallback: sdapMap(TEST_ENVIRONMENT, '2026-11-01T00:00:00.000Z'),
    };
    const { sources } = await page.evaluate(async (config: AppInsightsRunConfig) => globalThis.appInsightsHarness.run(config), config);
    expect(sources).toEqual(['server', 'fallback']);

    const events = await ingestion.waitFor('EventData', 5);
    const context = { environment: TEST_ENVIRONMENT, childEntity: 'sprk_document' };
    const byName = events.map((envelope) => ({ iKey: envelope.iKey, ...envelope.data?.baseData }));
    expect(byName).toEqual([
      { iKey: IKEY, ver: 2, name: 'NavMapLoaded', properties: { ...context, layer: 'server' }, measurements: { durationMs: expect.any(Number), entityCount: 5, ageMs: expect.any(Number) } },
      { iKey: IKEY, ver: 2, name: 'NavMapLayerFailed', properties: { ...context, layer: 'server', reason: 'rate_limited', message: expect.stringContaining('answered 429 (retry after 30 s)') }, measurements: {} },
      { iKey: IKEY, ver: 2, name: 'NavMapLoaded', properties: { ...context, layer: 'fallback' }, measurements: { durationMs: expect.any(Number), entityCount: 5, ageMs: expect.any(Number) } },
      { iKey: IKEY, ver: 2, name: 'DocumentCreated', properties: { ...context, parentEntity: 'sprk_matter', source: 'server', retried: 'false' }, measurements: { durationMs: 87.5 } },
      { iKey: IKEY, ver: 2, name: 'DocumentCreateFailed', properties: { ...context, parentEntity: 'sprk_project', errorCode: '0x80040217', message: 'sprk_project does not exist', source: 'server', retried: 'true' }, measurements: {} },
    ]);
    expect(events.every((envelope) => envelope.name === `Microsoft.ApplicationInsights.${IKEY.replaceAll('-', '')}.Event`)).toBe(true);
    // Fetch tracking stays on by default; it must not have added headers the NavMap server's CORS refuses.
    expect(navmap.requests).toEqual([{ authorization: `Bearer ${TEST_TOKEN}`, ifNoneMatch: undefined, noCache: false, status: 200 }]);
    expect(leftLoopback).toEqual([]);
  });
});
