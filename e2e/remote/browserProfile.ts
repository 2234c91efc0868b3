/**
 * The `remote` project's browser: a Chromium profile that allows third-party cookies, as Edge and Chrome do by
 * default for the people who use the deployed app. Playwright's contexts block them (Chromium 156 here: its
 * off-the-record contexts and a new profile both do), so the control's silent sign-in, a hidden iframe to Entra ID
 * (login.microsoftonline.com, another site than the org), gets `login_required` instead of a token from the user's
 * Entra ID session (msal-browser#2537). The local project never meets this: its identity provider is on the same
 * site as its forms.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type LaunchOptions } from '@playwright/test';

/** Chromium preferences of a profile that allows third-party cookies ("Allow third-party cookies" in settings). */
const ALLOW_THIRD_PARTY_COOKIES = {
  profile: { cookie_controls_mode: 0, block_third_party_cookies: false },
  tracking_protection: { block_all_3pc_toggle_enabled: false, tracking_protection_3pcd_enabled: false },
};

interface StorageState {
  readonly cookies: Parameters<BrowserContext['addCookies']>[0];
  readonly origins: readonly { readonly origin: string; readonly localStorage: readonly { readonly name: string; readonly value: string }[] }[];
}

/**
 * A browser context in its own Chromium profile that allows third-party cookies, with a Playwright storage state
 * (cookies and localStorage; like Playwright's own, no sessionStorage) applied. Closing it removes the profile.
 */
export async function launchRemoteContext(options: {
  readonly launchOptions: LaunchOptions;
  readonly storageState?: string;
  readonly ignoreHTTPSErrors?: boolean;
}): Promise<BrowserContext> {
  const profile = await mkdtemp(join(tmpdir(), 'navmap-remote-profile-'));
  await mkdir(join(profile, 'Default'));
  await writeFile(join(profile, 'Default', 'Preferences'), JSON.stringify(ALLOW_THIRD_PARTY_COOKIES));
  const context = await chromium.launchPersistentContext(profile, { ...options.launchOptions, ignoreHTTPSErrors: options.ignoreHTTPSErrors ?? false });
  // Chromium may still be writing the profile as it closes: retry, and never fail a test over a temporary folder.
  context.once('close', () => void rm(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }).catch(() => undefined));
  if (options.storageState) {
    const state = JSON.parse(await readFile(options.storageState, 'utf8')) as StorageState;
    await context.addCookies(state.cookies);
    // localStorage as Playwright's storageState restores it: set on each origin before its first script runs.
    await context.addInitScript((origins: StorageState['origins']) => {
      const saved = origins.find((entry) => entry.origin === window.location.origin);
      for (const item of saved?.localStorage ?? []) if (window.localStorage.getItem(item.name) === null) window.localStorage.setItem(item.name, item.value);
    }, state.origins);
  }
  return context;
}
