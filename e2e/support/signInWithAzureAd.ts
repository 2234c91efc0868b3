import type { Locator, Page } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';

/** Thrown when Entra ID's sign-in page shows an error: wrong account, password or code. */
export class AzureAdSignInError extends Error {
  override readonly name = 'AzureAdSignInError' as const;
}

/**
 * Microsoft Entra ID's sign-in pages for a test user: account, password, then (when the tenant asks for it) a code
 * from the user's authenticator app computed from its TOTP secret, then "Stay signed in?". Selectors are the
 * stable `name`s and ids of login.microsoftonline.com's converged sign-in page. An error the page shows (wrong
 * account, AADSTS50126 wrong password, wrong code) is thrown at once with Entra ID's words and the variable to check,
 * instead of waiting for a page that will not come.
 */
export async function signInWithAzureAd(page: Page, user: { readonly username: string; readonly password: string; readonly totpSecret?: string }): Promise<void> {
  await page.locator('input[name=loginfmt]').fill(user.username);
  await page.locator('input[type=submit]#idSIButton9').click();
  const passwordField = page.locator('input[name=passwd]');
  await appears(passwordField.or(page.locator('#usernameError')).first(), 30_000);
  await throwShownError(page, '#usernameError', `Entra ID does not know the account ${user.username}; check NAVMAP_E2E_USERNAME`);
  await passwordField.fill(user.password);
  await page.locator('input[type=submit]#idSIButton9').click();

  const codeField = page.locator('input[name=otc]');
  const staySignedIn = page.locator('#KmsiCheckboxField, #idBtn_Back');
  const passwordError = page.locator('#passwordError');
  await appears(codeField.or(staySignedIn).or(passwordError).first(), 30_000);
  await throwShownError(page, '#passwordError', `Entra ID refused the password of ${user.username}; check NAVMAP_E2E_PASSWORD`);
  if (await codeField.isVisible()) {
    if (!user.totpSecret) {
      throw new AzureAdSignInError('Entra ID asks the test user for a verification code: set NAVMAP_E2E_TOTP_SECRET to the secret of its authenticator app.');
    }
    const totp = new TOTP({ secret: Secret.fromBase32(user.totpSecret), digits: 6, period: 30, algorithm: 'SHA1' });
    await codeField.fill(totp.generate());
    await page.locator('input[type=submit]#idSubmit_SAOTCC_Continue').click();
    await appears(staySignedIn.or(page.locator('#idSpan_SAOTCC_Error_OTC')).first(), 30_000);
    await throwShownError(
      page,
      '#idSpan_SAOTCC_Error_OTC',
      `Entra ID refused the authenticator code of ${user.username}; check NAVMAP_E2E_TOTP_SECRET and this machine's clock`,
    );
  }
  // "Stay signed in?" Yes: the session cookie then outlives the browser, as a saved storage state needs.
  if (await appears(staySignedIn.first(), 10_000)) {
    await page.locator('input[type=submit]#idSIButton9').click();
  }
  await page.waitForURL((url) => !url.hostname.startsWith('login.'), { timeout: 60_000 });
}

async function throwShownError(page: Page, selector: string, what: string): Promise<void> {
  const error = page.locator(selector);
  if (await error.isVisible()) throw new AzureAdSignInError(`${what}. The sign-in page says: "${(await error.innerText()).trim()}"`);
}

function appears(locator: Locator, timeout: number): Promise<boolean> {
  return locator.waitFor({ state: 'visible', timeout }).then(
    () => true,
    () => false,
  );
}
