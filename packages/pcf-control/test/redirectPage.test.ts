import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM build script without types
import { WEB_RESOURCES } from '../scripts/solutionPackage.mjs';

// The packed redirect page and script, served at the paths Dataverse serves them, in Chromium: the bridge must hand a
// response in the page's URL to the form that waits on the BroadcastChannel named in the response's state, as
// msal-browser's waitForBridgeResponse does.
const root = join(import.meta.dirname, '..');
const zip = unzipSync(readFileSync(join(root, 'out', 'solution', 'UniversalQuickCreateSolution.zip')));
const served = new Map(
  (WEB_RESOURCES as { name: string; fileName: string }[]).map((resource) => [
    `/WebResources/${resource.name}`,
    { body: zip[resource.fileName.slice(1)], type: resource.name.endsWith('.html') ? 'text/html' : 'application/javascript' },
  ]),
);
const CHROMIUM_ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

let server: Server;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const file = served.get(path);
    if (path === '/main.aspx') response.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><title>form</title>');
    else if (file?.body) response.writeHead(200, { 'content-type': file.type }).end(Buffer.from(file.body));
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: process.env.NAVMAP_CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe('the redirect page web resource', () => {
  it('broadcasts the sign-in response in its URL to the form waiting on the channel its state names', async () => {
    const context = await browser.newContext();
    const form = await context.newPage();
    await form.goto(`${origin}/main.aspx`);
    const channelId = '0194f2c1-6a3b-7c2d-9e8f-a1b2c3d4e5f6';
    const received = form.evaluate(
      (id) => new Promise<unknown>((resolve) => (new BroadcastChannel(id).onmessage = (event) => resolve(event.data))),
      channelId,
    );
    const state = Buffer.from(JSON.stringify({ id: channelId, meta: { interactionType: 'popup' } })).toString('base64');
    const fragment = `#code=authorization-code&state=${encodeURIComponent(state)}`;
    const popup = await context.newPage();
    await popup.goto(`${origin}/WebResources/sprk_/navmap/msalredirect.html${fragment}`);
    await expect(received).resolves.toEqual({ v: 1, payload: fragment.slice(1) });
    // The response leaves the page's address (it holds an authorization code).
    expect(popup.url()).toBe(`${origin}/WebResources/sprk_/navmap/msalredirect.html`);
    await context.close();
  }, 60_000);

  it('explains itself when opened without a sign-in response', async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}/WebResources/sprk_/navmap/msalredirect.html`);
    await expect.poll(() => page.textContent('body'), { timeout: 10_000 }).toBe(
      'This page completes sign-in for the UniversalQuickCreate control. It has nothing to show on its own.',
    );
    expect(await page.title()).toBe('Microsoft Authentication');
    await page.close();
  }, 60_000);
});
