import type { Locator, Page } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';

/**
 * Microsoft Entra ID's sign-in pages for a test user: account, password, then (when the tenant asks for it) a code
 * from the user's authenticator app computed from its TOTP secret, then "Stay signed in?". Selectors are the
 * stable `name`s and ids of login.microsoftonline.com's converged sign-in page.
 */
export async function signInWithAzureAd(page: Page, user: { readonly username: string; readonly password: string; readonly totpSecret?: string }): Promise<void> {
  await page.locator('input[name=loginfmt]').fill(user.username);
  await page.locator('input[type=submit]#idSIButton9').click();
  await page.locator('input[name=passwd]').fill(user.password);
  await page.locator('input[type=submit]#idSIButton9').click();

  const codeField = page.locator('input[name=otc]');
  const staySignedIn = page.locator('#KmsiCheckboxField, #idBtn_Back');
  const leftSignIn = page.waitForURL((url) => !url.hostname.startsWith('login.'), { timeout: 60_000 });
  await appears(codeField.or(staySignedIn).first(), 30_000);
  if (await codeField.isVisible()) {
    if (!user.totpSecret) {
      throw new Error('Entra ID asks the test user for a verification code: set NAVMAP_E2E_TOTP_SECRET to the secret of its authenticator app.');
    }
    const totp = new TOTP({ secret: Secret.fromBase32(user.totpSecret), digits: 6, period: 30, algorithm: 'SHA1' });
    await codeField.fill(totp.generate());
    await page.locator('input[type=submit]').first().click();
  }
  if (await appears(staySignedIn.first(), 10_000)) {
    await page.locator('input[type=submit]#idSIButton9').click();
  }
  await leftSignIn;
}

function appears(locator: Locator, timeout: number): Promise<boolean> {
  return locator.waitFor({ state: 'visible', timeout }).then(
    () => true,
    () => false,
  );
}
