/**
 * UniversalQuickCreate on model-driven forms: the validation matrix rows about uploads (1.4, 2.1-2.5, 3.1, 3.7,
 * 4.3) and the honest "stored but not linked" path, through the real control bundle, the BFF upload API, the
 * NavMap server and MSAL's silent sign-in.
 */
import { expect, test } from '../fixtures.js';
import { testFile } from '../pages/ModelDrivenForm.js';
import { recordMeasurement } from '../reporter/measurements.js';
import { NAVMAP_ROUTE, rewriteNavMap } from '../support/navMapTraffic.js';

test('1.4 document created with server metadata: the Matter record is bound with sprk_Matter@odata.bind to /sprk_matters(id)', async ({
  endpoint,
  form,
  target,
}) => {
  const matterId = target.records.sprk_matter as string;
  const served = await endpoint.map();
  const bindLines: string[] = [];
  form.page.on('console', (message) => {
    if (message.text().includes('@odata.bind')) bindLines.push(message.text());
  });
  await form.open('sprk_matter', matterId);
  const [id] = await form.upload([testFile('Server metadata.pdf', 1_024)]);
  const entry = served.parents.sprk_matter;
  expect(entry?.navProperty).toBe('sprk_Matter');
  expect(bindLines.some((line) => line.includes(`'${entry?.navProperty}@odata.bind'`))).toBe(true);
  const record = await form.retrieve('sprk_document', id as string, `?$select=_${entry?.lookupAttribute}_value`);
  expect(record[`_${entry?.lookupAttribute}_value`]).toBe(matterId);
});

test('2.1 upload on a Matter form: a small and a chunked file, both records bound to the form record, in its document grid and downloadable', async ({
  form,
  target,
}, testInfo) => {
  const matterId = target.records.sprk_matter as string;
  await form.open('sprk_matter', matterId);
  const uploadsBefore = target.local ? (await target.local.admin.requestCounts()).upload : 0;
  const smallFile = testFile('Engagement letter.pdf', 2_048);
  const largeFile = testFile('Discovery bundle.pdf', 5 * 1024 * 1024 + 123);
  await form.chooseFiles([smallFile, largeFile]);
  await form.startUpload();
  await expect(form.row('Discovery bundle.pdf')).toHaveAttribute('data-status', /uploading|linking|done/);
  await testInfo.attach('matter-form-during-upload', { body: await form.page.screenshot({ fullPage: true }), contentType: 'image/png' });

  const small = await form.createdRecordId('Engagement letter.pdf');
  const large = await form.createdRecordId('Discovery bundle.pdf');
  for (const [id, size] of [
    [small, 2_048],
    [large, 5 * 1024 * 1024 + 123],
  ] as const) {
    const record = await form.retrieve('sprk_document', id, '?$select=_sprk_matter_value,sprk_filesize,sprk_graphitemid,sprk_hasfile');
    expect(record._sprk_matter_value).toBe(matterId);
    expect(record.sprk_filesize).toBe(size);
    expect(record.sprk_hasfile).toBe(true);
    expect(typeof record.sprk_graphitemid).toBe('string');
  }
  // Locally: one PUT for the small file; a session plus two 3.2 MB chunks for the large one (5 MB > the 4 MiB threshold).
  if (target.local) expect((await target.local.admin.requestCounts()).upload - uploadsBefore).toBe(4);
  await testInfo.attach('matter-form-after-upload', { body: await form.page.screenshot({ fullPage: true }), contentType: 'image/png' });

  await form.expectDocumentInGrid(small, smallFile);
  await form.expectDocumentInGrid(large, largeFile);
  // The local form host's subgrid lists newest first (a deployed grid's order is its view's).
  if (target.local) expect((await form.subgridRecordIds()).slice(0, 2)).toEqual([large, small]);
  await testInfo.attach('matter-form-document-grid', { body: await form.page.screenshot({ fullPage: true }), contentType: 'image/png' });
});

for (const [rowId, entity] of [
  ['2.2', 'sprk_project'],
  ['2.3', 'sprk_invoice'],
  ['2.4', 'account'],
  ['2.5', 'contact'],
] as const) {
  test(`${rowId} upload on a ${entity} form binds with its own navigation property; the document is in the form's grid and downloads`, async ({ endpoint, form, target }) => {
    const parentId = target.records[entity];
    test.skip(!parentId, `no NAVMAP_E2E_RECORD_${entity.toUpperCase()} given`);
    const entry = (await endpoint.map()).parents[entity];
    expect(entry, `${entity} is served by the NavMap`).toBeDefined();
    const messages: string[] = [];
    form.page.on('console', (message) => messages.push(message.text()));
    await form.open(entity, parentId as string);
    const file = testFile(`${entity}.txt`, 512, 'text/plain');
    const [id] = await form.upload([file]);
    const lookup = `_${entry?.lookupAttribute}_value`;
    const record = await form.retrieve('sprk_document', id as string, `?$select=${lookup}`);
    expect(record[lookup]).toBe(parentId);
    expect(messages.some((text) => text.includes(`'${entry?.navProperty}@odata.bind'`))).toBe(true);
    await form.expectDocumentInGrid(id as string, file);
  });
}

test('3.1 unsupported parent: the form of a table without a relationship names it and lists the available parents', async ({ endpoint, form, target }) => {
  const unsupported = target.unsupportedRecord;
  test.skip(!unsupported, 'no NAVMAP_E2E_UNSUPPORTED_RECORD given');
  const errors: string[] = [];
  form.page.on('pageerror', (error) => errors.push(error.message));
  await form.open(unsupported?.entity as string, unsupported?.id as string);
  await expect(form.blocker()).toContainText(`parent \`${unsupported?.entity}\``);
  for (const parent of Object.keys((await endpoint.map()).parents)) await expect(form.blocker()).toContainText(parent);
  expect(errors).toEqual([]);
});

test('3.7 wrong-case navigation property: Dataverse refuses it naming the property, the log shows the exact key, no secret leaks', async ({
  context,
  form,
  target,
}) => {
  // A map whose Matter entry has the navigation property in the wrong case, even after the self-healing reload.
  await rewriteNavMap(context, (map) => {
    const matter = map.parents.sprk_matter;
    return matter ? { ...map, parents: { ...map.parents, sprk_matter: { ...matter, navProperty: matter.navProperty.toLowerCase() } } } : map;
  });
  const lines: string[] = [];
  form.page.on('console', (message) => lines.push(message.text()));
  const tokens: string[] = [];
  form.page.on('request', (request) => {
    const authorization = request.headers().authorization;
    if (authorization) tokens.push(authorization.replace(/^Bearer /, ''));
  });
  await form.open('sprk_matter', target.records.sprk_matter as string);
  await form.chooseFiles([testFile('Wrong case.pdf', 256)]);
  await form.startUpload();
  await expect(form.row('Wrong case.pdf')).toHaveAttribute('data-status', 'link-failed', { timeout: 60_000 });
  await expect(form.errorPanel()).toContainText('sprk_matter');
  const failure = lines.find((line) => line.includes("with 'sprk_matter@odata.bind' failed"));
  expect(failure, lines.join('\n')).toBeTruthy();
  expect(failure).toContain('sprk_matter');
  const shown = `${await form.errorPanel().innerText()}\n${lines.join('\n')}`;
  expect(tokens.length).toBeGreaterThan(0);
  for (const token of tokens) expect(shown).not.toContain(token);
  await context.unroute(NAVMAP_ROUTE);
});

test('a record that fails after the file was stored is shown as not linked and linked on retry without a new upload', async ({ form, localStack, target }) => {
  const matterId = target.records.sprk_matter as string;
  await form.open('sprk_matter', matterId);
  await form.upload([testFile('Warm-up.pdf', 100)]);

  await expect(localStack.admin.addFault({ target: 'records', kind: 'status', status: 503, count: 1 })).resolves.toMatchObject({ target: 'records' });
  await form.chooseFiles([testFile('Settlement.pdf', 4_096)]);
  await form.startUpload();
  await expect(form.row('Settlement.pdf')).toHaveAttribute('data-status', 'link-failed');
  await expect(form.errorPanel()).toContainText('Settlement.pdf: stored, but not linked to this record.');
  await expect(form.row('Settlement.pdf')).not.toContainText('Uploaded and linked');

  const uploadsBeforeRetry = (await localStack.admin.requestCounts()).upload;
  await form.row('Settlement.pdf').locator('[data-testid=uqc-retry-link]').click();
  const id = await form.createdRecordId('Settlement.pdf');
  expect((await localStack.admin.requestCounts()).upload).toBe(uploadsBeforeRetry);
  const record = await form.retrieve('sprk_document', id, '?$select=_sprk_matter_value');
  expect(record._sprk_matter_value).toBe(matterId);
  await expect(form.errorPanel()).toHaveCount(0);
});

test('the control works from the keyboard alone and announces results to screen readers', async ({ form, page, target }) => {
  const matterId = target.records.sprk_matter as string;
  await form.open('sprk_matter', matterId);
  const dropZone = form.control().locator('[data-testid=uqc-dropzone]');
  await expect(dropZone).toHaveAttribute('role', 'button');
  await expect(dropZone).toHaveAccessibleName('Choose files to upload, or drop them here');
  await expect(form.control().locator('[data-testid=uqc-results]')).toHaveAttribute('aria-live', 'polite');

  await dropZone.focus();
  const chooser = page.waitForEvent('filechooser');
  await page.keyboard.press('Enter');
  await (await chooser).setFiles({ ...testFile('Keyboard.pdf', 300) });
  // Tab order: drop zone, description, Upload.
  await page.keyboard.press('Tab');
  await page.keyboard.type('Chosen and sent without a mouse');
  await page.keyboard.press('Tab');
  await expect(form.control().locator('[data-testid=uqc-upload]')).toBeFocused();
  await page.keyboard.press('Enter');
  const id = await form.createdRecordId('Keyboard.pdf');
  const record = await form.retrieve('sprk_document', id, '?$select=sprk_description,_sprk_matter_value');
  expect(record).toMatchObject({ sprk_description: 'Chosen and sent without a mouse', _sprk_matter_value: matterId });
});

test('4.3 control init: the control is interactive before the NavMap arrives', async ({ context, form, page, target }) => {
  const matterId = target.records.sprk_matter as string;
  let answered = false;
  let requested = 0;
  await context.route(NAVMAP_ROUTE, async (route) => {
    requested++;
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // a slow server, as on a cold cache
    const response = await route.fetch();
    answered = true;
    await route.fulfill({ response });
  });
  await form.open('sprk_matter', matterId); // signs in, then waits for the control
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
  await form.chooseFiles([testFile('Early.pdf', 64)]);
  await expect(form.control().locator('[data-testid=uqc-upload]')).toBeEnabled();
  recordMeasurement({ metric: 'interactive after', value: interactiveMs, unit: 'ms', note: 'from reload to the drop zone, with the NavMap answer held back 3000 ms' });
});
