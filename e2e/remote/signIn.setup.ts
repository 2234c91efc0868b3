/**
 * The `remote` project's setup: checks the NAVMAP_E2E_* variables, then signs the test user in to the deployed
 * model-driven app once (Entra ID, password and TOTP) and saves the session for the specs, unless a saved storage
 * state was given.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect, test } from '@playwright/test';
import { readRemoteSettings, REMOTE_STORAGE_STATE } from '../support/remoteSettings.js';
import { signInWithAzureAd } from '../support/signInWithAzureAd.js';

test('sign in to the deployed environment', async ({ page }) => {
  const settings = readRemoteSettings(process.env);
  if (settings.signIn.kind === 'storageState') {
    expect(existsSync(settings.signIn.path), `NAVMAP_E2E_STORAGE_STATE names ${settings.signIn.path}, which does not exist`).toBe(true);
    return;
  }
  await page.goto(`${settings.orgUrl}/main.aspx?appid=${settings.appId}`);
  await signInWithAzureAd(page, settings.signIn);
  await expect(page).toHaveURL(new RegExp(`^${settings.orgUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  mkdirSync(dirname(REMOTE_STORAGE_STATE), { recursive: true });
  await page.context().storageState({ path: REMOTE_STORAGE_STATE });
});
