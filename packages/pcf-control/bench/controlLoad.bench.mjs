#!/usr/bin/env node
// How the control loads on a model-driven form, in Chromium (Debian's; NAVMAP_CHROMIUM_PATH overrides), on the local
// stack's form host (free ports, stopped at the end):
//   1. before/after: main 07e3434's standard control (React 18 + Fluent bundled) against this build's virtual control,
//      loads interleaved one by one so both see the same machine load. Per load: the bundle's script evaluation
//      (Chromium's EvaluateScript trace event for bundle.js), the platform libraries' evaluation (virtual only), and
//      navigation start to the control being interactive (its drop zone in the DOM, React's commit).
//   2. in-form cache: reloads of this build's control, each NavMapLoaded event's durationMs (the client's own figure,
//      from the start of load() to the map being available) as the control's telemetry sink sent it.
// Both controls are deployed as an admin deploys them: the stack imports this build's solution, the bench imports the
// baseline packed as a solution of its own (another control name), and the form switches between the two imported
// controls. The same host code serves both: it reads the control type from the imported manifest and loads React
// 17/Fluent only for a virtual control, as model-driven apps do. Figures only: nothing is asserted.
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { baselineControl, BASELINE_COMMIT, packBaselineSolution } from './baselineControl.mjs';

const LOADS = Number(process.env.NAVMAP_BENCH_LOADS ?? 20);
const WARM_UP = 2;
const DATA_DIR = join(tmpdir(), 'navmap-control-bench');
/** This build's web resources (`npm run build`), which the baseline's solution carries too. */
const WEB_RESOURCE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'out', 'web-resources');
const CHROMIUM_ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const median = (values) => percentile(values, 50);
const ms = (value) => (value === undefined ? '-' : value.toFixed(1));
const loadAverage = () => loadavg().map((value) => value.toFixed(2)).join(', ');

/**
 * Page probes, relative to navigation start: the control's drop zone entering the DOM (React's commit), the host
 * having run init and its first render (`data-formhost-ready`), the first IndexedDB open and its success, and the
 * client's map-loaded console line. They only observe: nothing in the page waits on them.
 */
const PAGE_PROBE = `
  window.__probe = {};
  const probe = window.__probe;
  new MutationObserver((_records, observer) => {
    if (probe.interactiveMs === undefined && document.querySelector('[data-testid=uqc-dropzone]')) probe.interactiveMs = performance.now();
    if (probe.hostReadyMs === undefined && document.body && document.body.dataset.formhostReady) probe.hostReadyMs = performance.now();
    if (probe.interactiveMs !== undefined && probe.hostReadyMs !== undefined) observer.disconnect();
  }).observe(document, { childList: true, subtree: true, attributes: true });
  const open = IDBFactory.prototype.open;
  IDBFactory.prototype.open = function (...args) {
    const request = open.apply(this, args);
    if (probe.idbOpenMs === undefined) {
      probe.idbOpenMs = performance.now();
      request.addEventListener('success', () => { probe.idbOpenedMs = performance.now(); });
    }
    return request;
  };
  for (const level of ['log', 'warn']) {
    const write = console[level];
    console[level] = function (...args) {
      if (probe.mapLoadedMs === undefined && typeof args[0] === 'string' && args[0].startsWith('[NavMapClient]')) probe.mapLoadedMs = performance.now();
      return write.apply(this, args);
    };
  }`;

/**
 * The duration a `[NavMapClient]` console line gives for a load from the browser cache, whatever its wording
 * ("Loaded from the cache in 3 ms", "Layer 2 HIT - Loaded from cache in 3 ms"); undefined for any other line.
 */
export function cacheLoadMsOf(line) {
  if (!line.startsWith('[NavMapClient]') || !/cache/i.test(line) || /server failed|from the server/i.test(line)) return undefined;
  const match = /(\d+(?:\.\d+)?)\s*ms\b/.exec(line);
  return match ? Number(match[1]) : undefined;
}

/** EvaluateScript durations (ms) from a Chromium trace, summed per script URL matching `pattern`. */
function evaluationMs(trace, pattern) {
  let total = 0;
  let found = false;
  for (const event of JSON.parse(trace.toString('utf8')).traceEvents) {
    if (event.name === 'EvaluateScript' && event.ph === 'X' && pattern.test(event.args?.data?.url ?? '')) {
      total += event.dur / 1000;
      found = true;
    }
  }
  return found ? total : undefined;
}

async function signIn(page, environment, formUrl) {
  await page.goto(formUrl);
  const username = page.locator('#username');
  await page.locator('[data-testid=uqc-root], [data-testid=uqc-blocker], #username').first().waitFor({ timeout: 60_000 });
  if (await username.isVisible()) {
    await username.fill(environment.testUser.username);
    await page.locator('#password').fill(environment.testUser.password);
    await page.locator('#sign-in').click();
  }
}

/** Waits until the page printed the control's map-loaded line (any layer) and returns it. */
function nextLoadedLine(page, timeout = 60_000) {
  return page.waitForEvent('console', { predicate: (message) => /^\[NavMapClient\].* in \d/.test(message.text()), timeout }).then((message) => message.text());
}

/** One traced load of the form: evaluation times and navigation start to interactive. */
async function tracedLoad(browser, page, formUrl) {
  await browser.startTracing(page, { categories: ['devtools.timeline'] });
  const loaded = nextLoadedLine(page);
  await page.goto(formUrl);
  await page.waitForFunction(() => window.__probe.interactiveMs !== undefined, undefined, { timeout: 60_000 });
  const line = await loaded;
  const probe = await page.evaluate(() => window.__probe);
  const trace = await browser.stopTracing();
  return {
    ...probe,
    bundleMs: evaluationMs(trace, /\/bundle\.js$/),
    platformMs: evaluationMs(trace, /\/_formhost\/platform\//),
    layer: cacheLoadMsOf(line) === undefined ? 'other' : 'cache',
    line,
  };
}

function printRow(name, before, after) {
  const ratio = before !== undefined && after !== undefined ? (after / before).toFixed(2) : '-';
  console.log(`${name.padEnd(52)} | ${ms(before).padStart(8)} | ${ms(after).padStart(8)} | ${ratio.padStart(6)}`);
}

async function main() {
  const { startLocalStack } = await import('@sdap/local-stack');
  const baseline = baselineControl();
  const baselineSolution = packBaselineSolution(baseline, WEB_RESOURCE_DIR, join(DATA_DIR, `${BASELINE_COMMIT}-solution.zip`));
  console.log(`load average at start: ${loadAverage()}`);
  // TTL an hour: every reload of the run is a fresh cache hit (no stale-while-revalidate traffic in the figures).
  const stack = await startLocalStack({ port: 0, ttlSeconds: 3600, dataDir: DATA_DIR });
  const browser = await chromium.launch({ executablePath: process.env.NAVMAP_CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    // The stack imported this build's solution and put its control on the forms; the baseline's solution is imported
    // beside it, and the forms take either control by name with the same property values.
    await stack.importSolution(baselineSolution.zipPath);
    const configureFormHost = stack.environment.configureFormHost.bind(stack.environment);
    let current;
    stack.environment.configureFormHost = (config) => {
      current = config;
      configureFormHost(config);
    };
    stack.setControlsPerForm(1);
    const controls = { before: { ...current, controlName: baselineSolution.controlName }, after: current };

    const record = stack.environment.records.sprk_matter?.[0];
    if (!record) throw new Error('The local stack seeded no sprk_matter record.');
    const formUrl = stack.environment.formUrl('sprk_matter', record.id);
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    await context.addInitScript({ content: PAGE_PROBE });
    const page = await context.newPage();

    // Sign in, then the first load fills the browser cache from the server.
    const firstLine = nextLoadedLine(page);
    await signIn(page, stack.environment, formUrl);
    console.log(`first load: ${await firstLine}`);

    const rows = { before: [], after: [] };
    for (let index = 0; index < WARM_UP + LOADS; index++) {
      for (const name of ['before', 'after']) {
        configureFormHost(controls[name]);
        const result = await tracedLoad(browser, page, formUrl);
        if (index >= WARM_UP) rows[name].push(result);
      }
    }

    // In-form cache loads: this build's control, untraced, the telemetry sink's NavMapLoaded events.
    configureFormHost(controls.after);
    // The sender batches for 1 s: let the traced loads' last batch arrive before clearing.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await stack.admin.clearTelemetry();
    const consoleMs = [];
    const probes = [];
    for (let index = 0; index < LOADS; index++) {
      const line = nextLoadedLine(page);
      await page.reload();
      const text = await line;
      const fromLine = cacheLoadMsOf(text);
      if (fromLine !== undefined) consoleMs.push(fromLine);
      probes.push(await page.evaluate(() => window.__probe));
      // The sender batches for 1 s: let the batch go before the page unloads.
      await page.waitForResponse((response) => response.url().endsWith('/v2/track'), { timeout: 10_000 }).catch(() => undefined);
    }
    const envelopes = (await stack.admin.telemetry()).filter((envelope) => envelope.data?.baseData?.name === 'NavMapLoaded');
    const byLayer = new Map();
    for (const envelope of envelopes) {
      const layer = envelope.data.baseData.properties?.layer ?? '?';
      byLayer.set(layer, [...(byLayer.get(layer) ?? []), envelope.data.baseData.measurements?.durationMs]);
    }
    const cacheMs = byLayer.get('cache') ?? [];

    const column = (name, key) => rows[name].map((row) => row[key]).filter((value) => value !== undefined);
    console.log('');
    console.log(`UniversalQuickCreate on the local form host, Chromium ${browser.version()}: medians of ${LOADS} loads each, after ${WARM_UP} warm-up loads, before/after interleaved`);
    console.log(`before: ${BASELINE_COMMIT} standard control (${baseline.bundlePath}, imported as ${baselineSolution.controlName} in ${baselineSolution.solutionName} ${baselineSolution.version}); after: this build's virtual control (${current.controlName})`);
    console.log(`${'ms (median)'.padEnd(52)} | ${'before'.padStart(8)} | ${'after'.padStart(8)} | ${'after/before'.padStart(6)}`);
    printRow('bundle.js script evaluation', median(column('before', 'bundleMs')), median(column('after', 'bundleMs')));
    printRow('platform React 17 + Fluent evaluation (host)', median(column('before', 'platformMs')), median(column('after', 'platformMs')));
    printRow('navigation start to control interactive', median(column('before', 'interactiveMs')), median(column('after', 'interactiveMs')));
    printRow('navigation start to map loaded (console line)', median(column('before', 'mapLoadedMs')), median(column('after', 'mapLoadedMs')));
    for (const name of ['before', 'after']) {
      const layers = rows[name].map((row) => row.layer);
      console.log(`${name}: map from the browser cache in ${layers.filter((layer) => layer === 'cache').length}/${layers.length} traced loads`);
    }
    console.log('');
    console.log(`in-form map load from the browser cache, this build, ${LOADS} reloads (NavMapLoaded durationMs from the telemetry sink):`);
    console.log(`  cache hits: ${cacheMs.length}/${LOADS}; other layers: ${[...byLayer].filter(([layer]) => layer !== 'cache').map(([layer, values]) => `${layer} ${values.length}`).join(', ') || 'none'}`);
    console.log(`  median ${ms(median(cacheMs))} ms, p95 ${ms(percentile(cacheMs, 95))} ms, max ${ms(Math.max(...cacheMs))} ms (target p95 < 10 ms)`);
    console.log(`  console lines, same reloads: median ${ms(median(consoleMs))} ms, p95 ${ms(percentile(consoleMs, 95))} ms (${consoleMs.length} parsed)`);
    const span = (from, to) => median(probes.map((probe) => probe[to] - probe[from]).filter(Number.isFinite));
    console.log('  where the time goes, same reloads (medians, ms from the first IndexedDB open, issued at init):');
    console.log(`    host's init + first render done: ${ms(span('idbOpenMs', 'hostReadyMs'))}; IndexedDB open success: ${ms(span('idbOpenMs', 'idbOpenedMs'))}; map loaded: ${ms(span('idbOpenMs', 'mapLoadedMs'))}`);
    console.log(`    navigation start to: IndexedDB open ${ms(median(probes.map((probe) => probe.idbOpenMs)))}, control interactive ${ms(median(probes.map((probe) => probe.interactiveMs)))}, map loaded ${ms(median(probes.map((probe) => probe.mapLoadedMs)))}`);
    console.log(`load average at end: ${loadAverage()} (${cpus().length} cores)`);
    await context.close();
  } finally {
    await browser.close();
    await stack.stop();
  }
}

// The bench keeps its own data folder, so a certificate another run regenerates in the shared default folder cannot
// replace the one it trusts.
const { runTrustingLocalCertificate } = await import('@sdap/local-environment');
await runTrustingLocalCertificate(main, DATA_DIR);
