/**
 * The `remote` project's second sign-in route: a saved Playwright storage state (NAVMAP_E2E_STORAGE_STATE).
 * Playwright keeps cookies and localStorage, not sessionStorage (playwright#8874), where MSAL keeps its cache: the
 * control starts with no token and must get one again from the identity provider's session, without a sign-in page.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '../fixtures.js';
import { uploadAndCheckLink } from '../support/navMapTraffic.js';

interface SavedState {
  readonly cookies: readonly { readonly domain: string; readonly name: string }[];
  readonly origins: readonly Record<string, unknown>[];
}

test("saved session: with a storage state and no sessionStorage, the control gets its token again from the identity provider's session", async ({
  context,
  endpoint,
  form,
  navMapConsole,
  target,
}, testInfo) => {
  test.skip(testInfo.project.name !== 'remote', "a saved storage state is the remote project's sign-in route");
  const statePath = testInfo.project.use.storageState;
  if (typeof statePath !== 'string') throw new Error('The remote project has no storage state file.');
  const state = JSON.parse(readFileSync(statePath, 'utf8')) as SavedState;
  // What the state carries: the identity provider's session cookies; no sessionStorage, so no MSAL token cache.
  expect(state.cookies.some((cookie) => cookie.domain.replace(/^\./, '').startsWith('login.'))).toBe(true);
  expect(state.origins.every((origin) => !('sessionStorage' in origin))).toBe(true);

  const signInPages: string[] = [];
  const silentAuthorizations: { prompt: string | null; answer: string }[] = [];
  form.page.on('framenavigated', (frame) => {
    if (frame === form.page.mainFrame() && new URL(frame.url()).hostname.startsWith('login.')) signInPages.push(frame.url());
  });
  context.on('response', (response) => {
    const url = new URL(response.url());
    if (!url.hostname.startsWith('login.') || !url.pathname.endsWith('/authorize')) return;
    const location = response.headers().location ?? '';
    // The answer is on the redirect back: a code, or an error such as login_required. MSAL answers with a fragment or query.
    const answer = /[#?&]code=/.test(location) ? 'code' : (/[#?&]error=([^&]+)/.exec(location)?.[1] ?? `HTTP ${response.status()}`);
    silentAuthorizations.push({ prompt: url.searchParams.get('prompt'), answer });
  });

  const matterId = target.records.sprk_matter as string;
  await form.open('sprk_matter', matterId);
  await expect.poll(() => navMapConsole.map((line) => line.text).join('\n')).toContain('Layer 1 SUCCESS - Loaded from server');
  expect(signInPages, 'no sign-in page was shown').toEqual([]);
  expect(silentAuthorizations, "MSAL's silent request to the identity provider (prompt=none) was answered with a code from its session").toContainEqual({
    prompt: 'none',
    answer: 'code',
  });
  // The token the session gave also stores a file and links it: the whole control works on the saved session.
  await uploadAndCheckLink(form, 'sprk_matter', matterId, await endpoint.map(), 'Saved session.txt');
});
