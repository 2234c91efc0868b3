/**
 * Smoke test: the production bundle renders in Microsoft's pcf-start test harness without errors, on the React the
 * harness gives virtual controls: React 16.14 (as canvas apps do), with the harness's own Fluent 9 platform library.
 * The harness loads React 16.14 UMD from unpkg, which this machine cannot reach; the requests are answered with the
 * react@16.14.0 and react-dom@16.14.0 UMD files installed here (npm aliases react16 and react-dom16).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { expect, test } from '@playwright/test';
import { CONTROL_BUNDLE } from '@sdap/local-stack';
import { react16Umd } from '../support/react16.js';

const require = createRequire(import.meta.url);
let harness: ChildProcess | undefined;
let harnessUrl = '';

test.beforeAll(async () => {
  const pcfStart = require.resolve('pcf-start/bin/pcf-start.js');
  harness = spawn(process.execPath, [pcfStart, '--codePath', dirname(CONTROL_BUNDLE)], {
    env: { ...process.env, PP_TOOLS_TELEMETRY_OPTOUT: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // browser-sync starts at 8181 and takes the next free port when that one is busy; it prints the one it chose.
  harnessUrl = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`pcf-start printed no URL within 60 s:\n${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      // eslint-disable-next-line no-control-regex
      output += chunk.toString().replace(/\x1b\[[0-9;]*m/g, ''); // browser-sync colours the URL
      const match = /Local:\s+(http:\/\/localhost:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    };
    harness?.stdout?.on('data', read);
    harness?.stderr?.on('data', read);
    harness?.on('exit', (code) => reject(new Error(`pcf-start exited with ${code}:\n${output}`)));
  });
});

test.afterAll(() => {
  harness?.kill('SIGTERM');
});

test('the production bundle renders in the pcf-start harness without errors', async ({ page }) => {
  await page.route(/unpkg\.com\/react@16\.14\.0\//, async (route) => route.fulfill({ contentType: 'application/javascript', body: await react16Umd('react16', 'react.development.js') }));
  await page.route(/unpkg\.com\/react-dom@16\.14\.0\//, async (route) => route.fulfill({ contentType: 'application/javascript', body: await react16Umd('react-dom16', 'react-dom.development.js') }));
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(harnessUrl);
  // The harness gives the required properties no values, so the control says which one to set: rendered, not crashed.
  const control = page.locator('[data-testid=uqc-blocker]');
  await expect(control).toContainText('The control is not configured');
  await expect(control).toContainText('bffBaseUrl');
  // The harness page runs React 16.14; the bundle brings none of its own (platformLibraries.spec.ts).
  expect(await page.evaluate(() => (window as unknown as { React?: { version: string } }).React?.version)).toBe('16.14.0');
  expect(errors).toEqual([]);
});
