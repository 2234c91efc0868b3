/**
 * Sign-in on the form. S3: the org lacks the solution's redirect page (the control names it at once). S1, S2: uploads
 * when the browser blocks silent SSO, as Safari, Chrome with third-party cookies blocked, Edge
 * InPrivate and Playwright's Chromium contexts do: MSAL's hidden iframe to the identity provider, another site than
 * the forms, gets no session cookie and `ssoSilent` answers login_required, while a popup (first party) has the
 * session. Locally the stack serves its identity provider on another site (`identityProviderSite: 'cross-site'`,
 * 127.0.0.1 against localhost); on `remote` S1 runs in a Playwright context (third-party cookies blocked) with the saved
 * session, against the deployment's own identity provider. Real MSAL in the built control, the real popup
 * (Playwright's `popup` event), the real identity provider.
 */
import type { Browser, BrowserContext, Page, TestInfo } from '@playwright/test';
import { expect, test } from '../fixtures.js';
import { ModelDrivenForm, testFile } from '../pages/ModelDrivenForm.js';
import { readRemoteSettings } from '../support/remoteSettings.js';
import { remoteTarget, type StartedLocalTarget, type ValidationTarget } from '../support/ValidationTarget.js';

let crossSite: StartedLocalTarget | undefined;

test.beforeAll(async ({ localTargets }, workerInfo) => {
  if (workerInfo.project.name === 'remote') return;
  crossSite = await localTargets.start({ identityProviderSite: 'cross-site' });
});
test.afterAll(async () => {
  await crossSite?.stop();
});

/**
 * A browser context that blocks third-party cookies (Playwright's own; the remote project's pages otherwise open in a
 * profile that allows them), with the remote run's saved session, and the target it reaches.
 */
async function blockingContext(browser: Browser, testInfo: TestInfo): Promise<{ context: BrowserContext; target: ValidationTarget }> {
  if (testInfo.project.name !== 'remote') {
    return { context: await browser.newContext({ ignoreHTTPSErrors: true }), target: crossSite as StartedLocalTarget };
  }
  const storageState = testInfo.project.use.storageState;
  const context = await browser.newContext({ ignoreHTTPSErrors: true, ...(typeof storageState === 'string' ? { storageState } : {}) });
  return { context, target: remoteTarget(readRemoteSettings(process.env)) };
}

/** The Matter form, opened and signed in at the top level (first party), as a user starts. */
async function openMatterForm(page: Page, target: ValidationTarget): Promise<{ form: ModelDrivenForm; matterId: string; navMapLines: string[] }> {
  const navMapLines: string[] = [];
  page.on('console', (message) => {
    if (message.text().startsWith('[NavMapClient]')) navMapLines.push(message.text());
  });
  const form = new ModelDrivenForm(page, target);
  const matterId = target.records.sprk_matter as string;
  await form.open('sprk_matter', matterId);
  // The premise: the forms and the identity provider are different sites.
  if (target.local) {
    expect(new URL(page.url()).hostname).toBe('localhost');
    expect(new URL(target.local.environment.issuer).hostname).toBe('127.0.0.1');
  }
  return { form, matterId, navMapLines };
}

async function attachScreenshot(testInfo: TestInfo, name: string, page: Page): Promise<void> {
  await testInfo.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
}

test('S1 silent SSO blocked: the control asks to Sign in, opens the popup only on the click, then uploads the chosen file and links it', async ({ browser }, testInfo) => {
  const { context, target } = await blockingContext(browser, testInfo);
  const page = await context.newPage();
  const { form, matterId, navMapLines } = await openMatterForm(page, target);
  let popups = 0;
  page.on('popup', () => (popups += 1));
  // The map never waits for the user: without a token it falls back at once.
  await expect.poll(() => navMapLines.find((line) => line.startsWith('[NavMapClient] Layer 3 FALLBACK - Loaded from bundled snapshot'))).toBeTruthy();
  expect(navMapLines.join('\n')).toContain('interaction');

  const file = testFile('Signed in by popup.pdf', 3_000);
  await form.chooseFiles([file]);
  await form.startUpload();
  const prompt = form.control().locator('[data-testid=uqc-sign-in-needed]');
  await expect(prompt).toContainText('Sign in to upload');
  await expect(form.row(file.name)).toHaveAttribute('data-status', 'queued');
  expect(popups, 'no popup without a click').toBe(0);
  await attachScreenshot(testInfo, 'S1 silent sign-in blocked: Sign in asked, the file still chosen', page);

  const popupOpened = page.waitForEvent('popup');
  await prompt.locator('[data-testid=uqc-sign-in]').click();
  const popup = await popupOpened;
  // First party in the popup: the identity provider's session from the form's sign-in completes it without a prompt,
  // and MSAL may close it before this line runs.
  if (!popup.isClosed()) await popup.waitForEvent('close', { timeout: 30_000 });

  const id = await form.createdRecordId(file.name);
  await expect(prompt).toHaveCount(0);
  const record = await form.retrieve('sprk_document', id, '?$select=_sprk_matter_value');
  expect(record._sprk_matter_value).toBe(matterId);
  // Once a token exists, the map is read from the server.
  await expect.poll(() => navMapLines.find((line) => line.startsWith('[NavMapClient] Layer 1 SUCCESS - Loaded from server'))).toBeTruthy();
  await attachScreenshot(testInfo, 'S1 after Sign in: uploaded and linked', page);
  await form.expectDocumentInGrid(id, file);
  expect(popups).toBe(1);
  await context.close();
});

test('S2 sign-in popup closed: a clear message, the file still chosen, nothing uploaded; Sign in again then uploads it', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  test.skip(
    testInfo.project.name === 'remote',
    "ends the identity provider's session and signs in again with a password in the popup: local only (S1 covers the deployed sign-in)",
  );
  const { local } = crossSite as StartedLocalTarget;
  const { form } = await openMatterForm(page, crossSite as StartedLocalTarget);
  const file = testFile('Popup closed.pdf', 2_000);
  await form.chooseFiles([file]);
  await form.startUpload();
  const prompt = form.control().locator('[data-testid=uqc-sign-in-needed]');
  await expect(prompt).toContainText('Sign in to upload');
  const uploadsBefore = (await local.admin.requestCounts()).upload;

  // The user's session at the identity provider has ended: the popup asks for the account, and the user closes it.
  await page.context().clearCookies({ domain: '127.0.0.1' });
  const popupOpened = page.waitForEvent('popup');
  await prompt.locator('[data-testid=uqc-sign-in]').click();
  const popup = await popupOpened;
  await expect(popup.locator('#username')).toBeVisible();
  await attachScreenshot(testInfo, 'S2 the sign-in popup', popup);
  await popup.close();
  await expect(prompt).toContainText('Finish signing in in the pop-up window. Closed it? Select Sign in again.');
  await attachScreenshot(testInfo, 'S2 popup closed: Sign in stays available at once', page);

  // msal-browser 5 cannot see a popup close (COOP severs the handle): it gives up after its 60 s bridge timeout.
  await expect(prompt).toContainText('The sign-in window was closed, or sign-in did not finish in time. Your files are still chosen', { timeout: 75_000 });
  await expect(prompt.locator('[data-testid=uqc-sign-in]')).toBeEnabled();
  await expect(form.row(file.name)).toHaveAttribute('data-status', 'queued');
  await expect(form.control().locator('[data-testid=uqc-record-link]')).toHaveCount(0);
  expect((await local.admin.requestCounts()).upload, 'no upload request').toBe(uploadsBefore);
  await attachScreenshot(testInfo, 'S2 sign-in not finished: message, the file still chosen, nothing uploaded', page);

  // The same chosen file goes up after a completed sign-in.
  const again = page.waitForEvent('popup');
  await prompt.locator('[data-testid=uqc-sign-in]').click();
  const secondPopup = await again;
  await secondPopup.locator('#username').fill(local.environment.testUser.username);
  await secondPopup.locator('#password').fill(local.environment.testUser.password);
  // Waited for before the click: MSAL may close the popup before a wait registered after the click begins.
  const secondPopupClosed = secondPopup.waitForEvent('close', { timeout: 30_000 });
  await secondPopup.locator('#sign-in').click();
  await secondPopupClosed;
  await form.createdRecordId(file.name);
  await attachScreenshot(testInfo, 'S2 after signing in again: uploaded and linked', page);
});

test('S3 redirect page missing on the org: the control names the web resource to import at once, the chosen file stays, nothing uploads', async ({ browser, localTargets }, testInfo) => {
  test.skip(testInfo.project.name === 'remote', "deletes the org's redirect page web resource: local only");
  // An org of its own: an admin deletes the solution's redirect page (an HTML web resource) through the Web API.
  const target = await localTargets.start();
  const own = target.local;
  try {
    const redirectPage = own.solution.webResources.find((resource) => resource.type === 1);
    expect(redirectPage, 'the solution ships an HTML redirect page').toBeDefined();
    const name = redirectPage?.name ?? '';
    const deleted = await fetch(`${own.environment.dataverseUrl}/api/data/v9.2/webresourceset(${redirectPage?.id ?? ''})`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${await own.deployToken()}` },
    });
    expect(deleted.status).toBe(204);

    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    const form = new ModelDrivenForm(page, target);
    await form.open('sprk_matter', target.records.sprk_matter as string);
    const uploadsBefore = (await own.admin.requestCounts()).upload;
    const file = testFile('Redirect page missing.pdf', 1_000);
    await form.chooseFiles([file]);
    await form.startUpload();
    const prompt = form.control().locator('[data-testid=uqc-sign-in-needed]');
    // At once: not after MSAL's bridge timeouts (10 s silent, 60 s popup).
    await expect(prompt).toContainText(`${own.environment.dataverseUrl}/WebResources/${name} is missing (404)`, { timeout: 8_000 });
    await expect(prompt).toContainText(`web resource ${name}`);
    await expect(form.row(file.name)).toHaveAttribute('data-status', 'queued');
    expect((await own.admin.requestCounts()).upload, 'no upload request').toBe(uploadsBefore);
    await attachScreenshot(testInfo, 'S3 redirect page missing: the web resource to import named, the file still chosen', page);
    await context.close();
  } finally {
    await target.stop();
  }
});
