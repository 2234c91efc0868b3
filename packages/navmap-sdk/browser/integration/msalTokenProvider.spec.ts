/**
 * `@sdap/navmap-sdk/msal` in Chromium against the local environment's OpenID Connect provider: a real sign-in
 * (authorization code + PKCE in a popup, through the provider's login form), then the silent and SSO paths, each
 * returning a real token for api://navmap-bff that the real navmap-server accepts.
 */
import { expect, test, type Page } from '@playwright/test';
import { bundlePage } from '../fixtures/bundlePage.js';
import { html, javascript, startStaticSite, type StaticSite } from '../fixtures/startStaticSite.js';
import type { MsalHarness } from '../page/msalHarness.js';
import { BFF_SCOPE, readLocalTls, startLocalStack, type LocalEnvironmentStack, type RunningNavMapServer } from '@sdap/local-stack';
import { decodeJwt } from 'jose';

declare global {
  var msalHarness: MsalHarness;
}

// msal-browser 5's Configuration, as the page bundle has it (the root node_modules holds another major).
type Configuration = Parameters<MsalHarness['init']>[0];

test.describe.configure({ mode: 'serial' });

let site: StaticSite;
let stack: LocalEnvironmentStack;
let navmap: RunningNavMapServer;

test.beforeAll(async () => {
  // https://localhost: the same site as the identity provider, which ssoSilent's hidden iframe needs for its cookies.
  site = await startStaticSite(
    {
      '/': html('<!doctype html><meta charset="utf-8"><title>MSAL test</title><script type="module" src="/msal.js"></script>'),
      '/msal.js': javascript(await bundlePage('msalHarness.ts')),
      '/redirect.html': html('<!doctype html><meta charset="utf-8"><script type="module" src="/bridge.js"></script>'),
      '/bridge.js': javascript(await bundlePage('redirectBridge.ts')),
    },
    { tls: await readLocalTls(), hostname: 'localhost' },
  );
  stack = await startLocalStack({ navMapOnBff: false });
  navmap = await stack.startServer({ cors: { origins: [site.url] }, logLevel: 'silent' });
});

test.afterAll(async () => {
  await stack?.stop();
  await site?.close();
});

function configuration(): Configuration {
  const authority = stack.environment.issuer;
  return {
    auth: {
      clientId: 'navmap-pcf',
      authority,
      knownAuthorities: [new URL(authority).host],
      redirectUri: `${site.url}/redirect.html`,
      OIDCOptions: { defaultScopes: ['openid', 'profile'] },
    },
    system: { protocolMode: 'OIDC' },
    cache: { cacheLocation: 'sessionStorage' },
  } as Configuration;
}

async function openApp(page: Page): Promise<void> {
  await page.goto(`${site.url}/`);
  await page.waitForFunction(() => globalThis.msalHarness !== undefined);
  await page.evaluate((config) => msalHarness.init(config), configuration());
}

function expectBffToken(token: string): void {
  const payload = decodeJwt(token);
  expect(payload.aud).toBe(stack.environment.bffAudience);
  expect(payload.scp).toBe('NavMap.Read');
  expect(payload.preferred_username).toBe(stack.environment.testUser.username);
}

test.describe('createMsalTokenProvider in Chromium against the local identity provider', () => {
  test('signs in once, then acquireTokenSilent and ssoSilent each return a token for api://navmap-bff', async ({ page, context }) => {
    const { username, password } = stack.environment.testUser;
    await openApp(page);

    // The one interactive step: MSAL's popup, the provider's login form filled as a user would.
    const popupOpened = page.waitForEvent('popup');
    const signedIn = page.evaluate((scopes) => msalHarness.signIn(scopes), [BFF_SCOPE]);
    const popup = await popupOpened;
    await popup.locator('#username').fill(username);
    await popup.locator('#password').fill(password);
    await popup.locator('#sign-in').click();
    expect(await signedIn).toBe(username);

    await test.step('acquireTokenSilent for the signed-in account', async () => {
      await page.evaluate(() => msalHarness.calls.splice(0));
      const outcome = await page.evaluate((scopes) => msalHarness.token({ scopes }), [BFF_SCOPE]);
      expect(outcome.ok).toBe(true);
      expectBffToken((outcome as { value: string }).value);
      expect(await page.evaluate(() => msalHarness.calls)).toEqual([{ method: 'acquireTokenSilent', outcome: 'token' }]);
    });

    await test.step('ssoSilent with the login hint, in a tab whose MSAL cache is empty', async () => {
      const tab = await context.newPage(); // sessionStorage is per tab: no account; the provider's session cookie remains
      await openApp(tab);
      expect(await tab.evaluate(() => msalHarness.accounts())).toBe(0);
      const outcome = await tab.evaluate((options) => msalHarness.token(options), { scopes: [BFF_SCOPE], loginHint: username });
      expect(outcome.ok).toBe(true);
      expectBffToken((outcome as { value: string }).value);
      expect(await tab.evaluate(() => msalHarness.calls)).toEqual([{ method: 'ssoSilent', outcome: 'token' }]);
    });

    await test.step('a provider built from `configuration` gets a token too', async () => {
      const tab = await context.newPage();
      await tab.goto(`${site.url}/`);
      await tab.waitForFunction(() => globalThis.msalHarness !== undefined);
      const outcome = await tab.evaluate(({ config, options }) => msalHarness.tokenFromConfiguration(config, options), {
        config: configuration(),
        options: { scopes: [BFF_SCOPE], loginHint: username },
      });
      expect(outcome.ok).toBe(true);
      expectBffToken((outcome as { value: string }).value);
    });

    await test.step('the real navmap-server accepts the user token: the client loads from the server', async () => {
      const outcome = await page.evaluate(
        ({ client, options }) => msalHarness.loadNavMap(client, options),
        { client: { baseUrl: navmap.url, environment: stack.navMapEnvironment }, options: { scopes: [BFF_SCOPE] } },
      );
      expect(outcome).toEqual({ ok: true, value: { source: 'server', navProperty: 'sprk_Matter' } });
    });
  });

  test('without a session and without allowInteraction it fails fast with interaction_required, opens no popup, and the client falls back', async ({ browser }) => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    let popups = 0;
    page.on('popup', () => (popups += 1));
    await openApp(page);
    const outcome = await page.evaluate((options) => msalHarness.token(options), { scopes: [BFF_SCOPE], loginHint: stack.environment.testUser.username });
    expect(outcome).toMatchObject({ ok: false, error: { name: 'NavMapError', code: 'interaction_required', message: expect.stringContaining('ssoSilent: login_required') } });
    expect(await page.evaluate(() => msalHarness.calls)).toEqual([{ method: 'ssoSilent', outcome: 'error' }]);

    const fallback = {
      version: '1',
      environment: stack.navMapEnvironment,
      childEntity: 'sprk_document',
      generatedAt: '2026-11-01T00:00:00.000Z',
      parents: { sprk_matter: { entitySet: 'sprk_matters', lookupAttribute: 'sprk_matter', navProperty: 'sprk_Matter', collectionNavProperty: 'sprk_matter_document' } },
    };
    const loaded = await page.evaluate(
      ({ client, options }) => msalHarness.loadNavMap(client, options),
      { client: { baseUrl: navmap.url, environment: stack.navMapEnvironment, fallback }, options: { scopes: [BFF_SCOPE] } },
    );
    expect(loaded).toEqual({ ok: true, value: { source: 'fallback', navProperty: 'sprk_Matter' } });
    expect(popups).toBe(0);
    await context.close();
  });

  test('signIn() opens the popup, and the same provider then gets its token silently', async ({ browser }) => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    await openApp(page);
    const popupOpened = page.waitForEvent('popup');
    const signedIn = page.evaluate((options) => msalHarness.signInThenToken(options), { scopes: [BFF_SCOPE] });
    const popup = await popupOpened;
    await popup.locator('#username').fill(stack.environment.testUser.username);
    await popup.locator('#password').fill(stack.environment.testUser.password);
    await popup.locator('#sign-in').click();
    const outcome = await signedIn;
    expect(outcome.ok).toBe(true);
    expectBffToken((outcome as { value: string }).value);
    expect(await page.evaluate(() => msalHarness.calls)).toEqual([
      { method: 'acquireTokenPopup', outcome: 'token' },
      { method: 'acquireTokenSilent', outcome: 'token' },
    ]);
    await context.close();
  });
});
