/**
 * UniversalQuickCreate on model-driven forms of the local environment: the validation matrix rows about uploads
 * (1.4, 2.1-2.5, 3.1) and the honest "stored but not linked" path, through the real control bundle, the real BFF
 * upload API, the real navmap-server and MSAL's silent sign-in.
 */
import { expect, test, type Page } from '@playwright/test';
import { sdapSeed } from '@sdap/local-environment';
import { ModelDrivenForm, type UploadFile } from '../pages/ModelDrivenForm.js';
import { startLocalStack, type LocalStack } from '../support/startLocalStack.js';

let stack: LocalStack;

test.beforeAll(async () => {
  stack = await startLocalStack();
});
test.afterAll(async () => {
  await stack?.stop();
});

function file(name: string, bytes: number, mimeType = 'application/pdf'): UploadFile {
  const buffer = Buffer.alloc(bytes);
  for (let index = 0; index < bytes; index++) buffer[index] = (index * 31 + name.length) % 251;
  return { name, mimeType, buffer };
}

async function openForm(page: Page, entity: string, id: string): Promise<ModelDrivenForm> {
  const form = new ModelDrivenForm(page, stack.environment.dataverseUrl, stack.environment.testUser);
  await form.open(entity, id);
  return form;
}

async function adminRequests(): Promise<{ metadata: number; records: number; upload: number }> {
  return (await fetch(`${stack.environment.adminUrl}/requests`)).json() as Promise<{ metadata: number; records: number; upload: number }>;
}

/** The map the server serves, read with the e2e client's token: the tests compare against it, not a list of their own. */
async function servedMap(): Promise<{ parents: Record<string, { lookupAttribute: string; navProperty: string }> }> {
  const token = await stack.environment.getClientCredentialsToken('navmap-e2e', 'navmap-e2e-secret', stack.environment.bffAudience);
  const response = await fetch(`${stack.bffBaseUrl}/api/pcf/dataverse-navmap?v=1`, { headers: { Authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return response.json() as Promise<{ parents: Record<string, { lookupAttribute: string; navProperty: string }> }>;
}

test('2.1 upload on a Matter form: a small and a chunked file, both records bound to the form record', async ({ page }, testInfo) => {
  const matter = sdapSeed.records.sprk_matter[0] as { id: string };
  const form = await openForm(page, 'sprk_matter', matter.id);
  const before = await adminRequests();
  await form.chooseFiles([file('Engagement letter.pdf', 2_048), file('Discovery bundle.pdf', 5 * 1024 * 1024 + 123)]);
  await form.startUpload();
  await expect(form.row('Discovery bundle.pdf')).toHaveAttribute('data-status', /uploading|linking|done/);
  await testInfo.attach('matter-form-during-upload', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });

  const small = await form.createdRecordId('Engagement letter.pdf');
  const large = await form.createdRecordId('Discovery bundle.pdf');
  for (const [id, size] of [[small, 2_048], [large, 5 * 1024 * 1024 + 123]] as const) {
    const record = await form.retrieve('sprk_document', id, '?$select=_sprk_matter_value,sprk_filesize,sprk_graphitemid,sprk_hasfile');
    expect(record._sprk_matter_value).toBe(matter.id);
    expect(record.sprk_filesize).toBe(size);
    expect(record.sprk_hasfile).toBe(true);
    expect(typeof record.sprk_graphitemid).toBe('string');
  }
  // One PUT for the small file; a session plus two 3.2 MB chunks for the large one (5 MB > the 4 MiB threshold).
  expect((await adminRequests()).upload - before.upload).toBe(4);
  await testInfo.attach('matter-form-after-upload', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
});

for (const [rowId, entity] of [
  ['2.2', 'sprk_project'],
  ['2.3', 'sprk_invoice'],
  ['2.4', 'account'],
  ['2.5', 'contact'],
] as const) {
  test(`${rowId} upload on a ${entity} form binds with its own navigation property`, async ({ page }) => {
    const parent = sdapSeed.records[entity][1] as { id: string };
    const entry = (await servedMap()).parents[entity];
    expect(entry, `${entity} is served by the NavMap`).toBeDefined();
    const messages: string[] = [];
    page.on('console', (message) => messages.push(message.text()));
    const form = await openForm(page, entity, parent.id);
    await form.chooseFiles([file(`${entity}.txt`, 512, 'text/plain')]);
    await form.startUpload();
    const id = await form.createdRecordId(`${entity}.txt`);
    const lookup = `_${entry?.lookupAttribute}_value`;
    const record = await form.retrieve('sprk_document', id, `?$select=${lookup}`);
    expect(record[lookup]).toBe(parent.id);
    expect(messages.some((text) => text.includes(`'${entry?.navProperty}@odata.bind'`))).toBe(true);
  });
}

test('3.1 unsupported parent: the Lead form names lead and lists the available parents, nothing crashes', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const lead = sdapSeed.records.lead[0] as { id: string };
  const form = await openForm(page, 'lead', lead.id);
  await expect(form.blocker()).toContainText('parent `lead`');
  for (const parent of ['sprk_matter', 'sprk_project', 'sprk_invoice', 'account', 'contact']) await expect(form.blocker()).toContainText(parent);
  expect(errors).toEqual([]);
});

test('a record that fails after the file was stored is shown as not linked and linked on retry without a new upload', async ({ page }) => {
  const matter = sdapSeed.records.sprk_matter[1] as { id: string };
  const form = await openForm(page, 'sprk_matter', matter.id);
  await form.chooseFiles([file('Warm-up.pdf', 100)]);
  await form.startUpload();
  await form.createdRecordId('Warm-up.pdf');

  const fault = await fetch(`${stack.environment.adminUrl}/faults`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ target: 'records', kind: 'status', status: 503, count: 1 }),
  });
  expect(fault.ok).toBe(true);
  await form.chooseFiles([file('Settlement.pdf', 4_096)]);
  await form.startUpload();
  await expect(form.row('Settlement.pdf')).toHaveAttribute('data-status', 'link-failed');
  await expect(form.errorPanel()).toContainText('Settlement.pdf: stored, but not linked to this record.');
  await expect(form.row('Settlement.pdf')).not.toContainText('Uploaded and linked');

  const uploadsBeforeRetry = (await adminRequests()).upload;
  await form.row('Settlement.pdf').locator('[data-testid=uqc-retry-link]').click();
  const id = await form.createdRecordId('Settlement.pdf');
  expect((await adminRequests()).upload).toBe(uploadsBeforeRetry);
  const record = await form.retrieve('sprk_document', id, '?$select=_sprk_matter_value');
  expect(record._sprk_matter_value).toBe(matter.id);
  await expect(form.errorPanel()).toHaveCount(0);
});

test('the control works from the keyboard alone and announces results to screen readers', async ({ page }) => {
  const matter = sdapSeed.records.sprk_matter[0] as { id: string };
  const form = await openForm(page, 'sprk_matter', matter.id);
  const dropZone = form.control().locator('[data-testid=uqc-dropzone]');
  await expect(dropZone).toHaveAttribute('role', 'button');
  await expect(dropZone).toHaveAccessibleName('Choose files to upload, or drop them here');
  await expect(form.control().locator('[data-testid=uqc-results]')).toHaveAttribute('aria-live', 'polite');

  await dropZone.focus();
  const chooser = page.waitForEvent('filechooser');
  await page.keyboard.press('Enter');
  await (await chooser).setFiles({ ...file('Keyboard.pdf', 300) });
  // Tab order: drop zone, description, Upload.
  await page.keyboard.press('Tab');
  await page.keyboard.type('Chosen and sent without a mouse');
  await page.keyboard.press('Tab');
  await expect(form.control().locator('[data-testid=uqc-upload]')).toBeFocused();
  await page.keyboard.press('Enter');
  const id = await form.createdRecordId('Keyboard.pdf');
  const record = await form.retrieve('sprk_document', id, '?$select=sprk_description,_sprk_matter_value');
  expect(record).toMatchObject({ sprk_description: 'Chosen and sent without a mouse', _sprk_matter_value: matter.id });
});

test('4.3 control init: the control is interactive before the NavMap arrives', async ({ page, context }, testInfo) => {
  const matter = sdapSeed.records.sprk_matter[0] as { id: string };
  let answered = false;
  let requested = 0;
  await context.route('**/api/pcf/dataverse-navmap**', async (route) => {
    requested++;
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // a slow server, as on a cold cache
    const response = await route.fetch();
    answered = true;
    await route.fulfill({ response });
  });
  const form = new ModelDrivenForm(page, stack.environment.dataverseUrl, stack.environment.testUser);
  await form.open('sprk_matter', matter.id); // signs in, then waits for the control
  // The first load is still waiting on the slow server, so nothing was cached: the reload must ask the server again.
  expect(answered).toBe(false);
  requested = 0;
  const started = Date.now();
  await page.reload();
  const dropZone = form.control().locator('[data-testid=uqc-dropzone]');
  await expect(dropZone).toBeVisible();
  const interactiveMs = Date.now() - started;
  await expect.poll(() => requested).toBeGreaterThan(0);
  expect(answered).toBe(false);
  await form.chooseFiles([file('Early.pdf', 64)]);
  await expect(form.control().locator('[data-testid=uqc-upload]')).toBeEnabled();
  testInfo.annotations.push({ type: 'figure', description: `interactive ${interactiveMs} ms after reload, NavMap answer delayed 3000 ms` });
});
