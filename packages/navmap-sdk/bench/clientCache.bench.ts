/**
 * How long `load()` takes to resolve from the persistent cache and from memory, measured inside Chromium (Debian's,
 * NAVMAP_CHROMIUM_PATH overrides) over 100 loads per row after 10 warm-up loads. Goal: persistent cache under 5 ms.
 * The page runs the BUILT client (dist), bundled as a control would bundle it; the page is cross-origin isolated so
 * performance.now() has 5 µs resolution.
 */
import { chromium, type Page } from '@playwright/test';
import { bundlePage } from '../browser/fixtures/bundlePage.js';
import type {} from '../browser/fixtures/harnessGlobals.js';
import { startFakeNavMapServer, TEST_ENVIRONMENT, TEST_TOKEN } from '../browser/fixtures/startFakeNavMapServer.js';
import { html, javascript, startStaticSite } from '../browser/fixtures/startStaticSite.js';

const LOADS = 100;
const WARM_UP = 10;
const REGISTRY = '@sdap/navmap-sdk/client/registry@1';

type Row = { name: string; durations: number[]; sources: Set<string> };

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

const navmap = await startFakeNavMapServer();
const site = await startStaticSite(
  {
    '/': html('<!doctype html><meta charset="utf-8"><script type="module" src="/harness.js"></script>'),
    '/harness.js': javascript(await bundlePage('harness.ts')),
  },
  { crossOriginIsolated: true },
);
const browser = await chromium.launch({
  executablePath: process.env.NAVMAP_CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const config = { baseUrl: navmap.url, environment: TEST_ENVIRONMENT, token: TEST_TOKEN };
const quietConsole = 'globalThis.__name = (target) => target; for (const level of ["log", "warn", "error"]) console[level] = () => {};';

async function open(page: Page): Promise<void> {
  await page.goto(`${site.url}/`);
  await page.waitForFunction(() => globalThis.harness !== undefined);
}

/** One timed load in the page: a new client; `forgetMemory` drops the page-wide memory copy first. */
function timedLoad(page: Page, storage: 'indexeddb' | 'session', forgetMemory: boolean): Promise<{ ms: number; source: string }> {
  return page.evaluate(
    async ({ config, storage, forgetMemory, registry }) => {
      if (forgetMemory) delete (globalThis as Record<symbol, unknown>)[Symbol.for(registry)];
      const client = harness.clients[harness.create({ ...config, storage })]!;
      const started = performance.now();
      const result = await client.load();
      return { ms: performance.now() - started, source: result.source };
    },
    { config, storage, forgetMemory, registry: REGISTRY },
  );
}

async function measure(name: string, run: () => Promise<{ ms: number; source: string }>): Promise<Row> {
  const row: Row = { name, durations: [], sources: new Set() };
  for (let index = 0; index < WARM_UP + LOADS; index++) {
    const { ms, source } = await run();
    if (index >= WARM_UP) {
      row.durations.push(ms);
      row.sources.add(source);
    }
  }
  return row;
}

try {
  const page = await browser.newPage();
  await page.addInitScript({ content: quietConsole }); // tsx's keepNames wraps page functions in __name()
  await open(page);
  const rows: Row[] = [];
  for (const storage of ['indexeddb', 'session'] as const) {
    await timedLoad(page, storage, true); // fills this storage from the server
    rows.push(
      await measure(`persistent cache (${storage}), fresh page each load`, async () => {
        await open(page);
        return timedLoad(page, storage, false);
      }),
    );
    rows.push(await measure(`persistent cache (${storage}), same page, memory dropped`, () => timedLoad(page, storage, true)));
  }
  rows.push(await measure('memory copy, new client each load', () => timedLoad(page, 'indexeddb', false)));
  const isolated = await page.evaluate(() => globalThis.crossOriginIsolated);

  console.log(`NavMap client load() in Chromium ${browser.version()}: ${LOADS} loads per row after ${WARM_UP} warm-up loads (ms; cross-origin isolated: ${isolated})`);
  console.log('layer                                                    | median | p95    | source');
  for (const row of rows) {
    console.log(`${row.name.padEnd(56)} | ${percentile(row.durations, 50).toFixed(3).padStart(6)} | ${percentile(row.durations, 95).toFixed(3).padStart(6)} | ${[...row.sources].join(',')}`);
  }
  console.log(`requests to the NavMap endpoint: ${navmap.requests.length} (one per storage kind, to fill it)`);
} finally {
  await browser.close();
  await site.close();
  await navmap.close();
}
