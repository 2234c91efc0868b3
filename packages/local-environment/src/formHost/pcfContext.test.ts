import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSolution, solutionZip } from '../../test/solutionZip.js';
import { environment, useTestEnvironmentPerFile } from '../../test/startTestEnvironment.js';
import { formAttributes } from './createXrm.js';

/** A standard control that records what the host calls on it in `window.calls` and keeps its context in `window.ctx`. */
const RECORDING_CONTROL = `ComponentFramework.registerControl('Sdap.UniversalQuickCreate', class {
  init(context, notifyOutputChanged, state, container) { window.calls = ['init:' + (container ? 'container' : 'none')]; window.ctx = context; }
  updateView(context) { window.calls.push('updateView:' + context.mode.allocatedWidth + ':' + context.updatedProperties.join(',')); }
  destroy() { localStorage.setItem('destroyed', String(Date.now())); }
});`;

useTestEnvironmentPerFile();
let browser: Browser;
let page: Page;
const matterId = '3a785f76-c773-f011-b4cb-6045bdd8b757';

beforeAll(async () => {
  const zip = solutionZip({
    controlType: 'standard',
    platformLibraries: [],
    bundle: RECORDING_CONTROL,
    properties: [
      { name: 'bffBaseUrl', ofType: 'SingleLine.Text' },
      { name: 'uploadSessionThresholdBytes', ofType: 'Whole.None' },
    ],
    resx: { 'strings/UniversalQuickCreate.1033.resx': '<?xml version="1.0"?><root><data name="Upload_Button" xml:space="preserve"><value>Upload</value></data></root>' },
  });
  expect((await importSolution(environment, zip)).status).toBe(204);
  environment.configureFormHost({ controlName: 'sprk_Sdap.UniversalQuickCreate', parameters: { bffBaseUrl: environment.bffUrl, uploadSessionThresholdBytes: 4_194_304 } });
  browser = await chromium.launch({
    executablePath: process.env.NAVMAP_CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const session = (await (await fetch(`${environment.adminUrl}/sessions`, { method: 'POST' })).json()) as { name: string; value: string };
  await context.addCookies([{ name: session.name, value: session.value, url: environment.dataverseUrl }]);
  page = await context.newPage();
  await page.goto(environment.formUrl('sprk_matter', matterId));
  await page.waitForFunction(() => document.body.dataset.formhostReady === 'true');
}, 60_000);
afterAll(() => browser?.close());

const calls = () => page.evaluate(() => (window as unknown as { calls: string[] }).calls);

describe('the form host PCF context', () => {
  it('calls init with the container and updateView once for a standard control', async () => {
    expect(await calls()).toEqual(['init:container', 'updateView:-1:']);
  });

  it('calls updateView after requestRender', async () => {
    await page.evaluate(() => (window as unknown as { ctx: ComponentFramework.Context<unknown> }).ctx.factory.requestRender());
    await expect.poll(calls).toEqual(['init:container', 'updateView:-1:', 'updateView:-1:']);
  });

  it('calls updateView with the allocated size and "layout" after trackContainerResize(true), and not after false', async () => {
    await page.evaluate(() => {
      (window as unknown as { ctx: ComponentFramework.Context<unknown> }).ctx.mode.trackContainerResize(true);
      (document.getElementById('control-1') as HTMLElement).style.width = '300px';
    });
    await expect.poll(async () => (await calls()).at(-1)).toBe('updateView:300:layout');
    const count = (await calls()).length;
    await page.evaluate(() => {
      (window as unknown as { ctx: ComponentFramework.Context<unknown> }).ctx.mode.trackContainerResize(false);
      (document.getElementById('control-1') as HTMLElement).style.width = '200px';
    });
    await page.waitForTimeout(300);
    expect(await calls()).toHaveLength(count);
  });

  it('gives the user as Dataverse does, each property its manifest type, the resx strings and the user formats', async () => {
    const seen = await page.evaluate(() => {
      const ctx = (window as unknown as { ctx: ComponentFramework.Context<Record<string, ComponentFramework.PropertyTypes.Property>> }).ctx;
      return {
        userName: ctx.userSettings.userName,
        userId: ctx.userSettings.userId,
        offset: ctx.userSettings.getTimeZoneOffsetMinutes(new Date()),
        types: [ctx.parameters.bffBaseUrl?.type, ctx.parameters.uploadSessionThresholdBytes?.type],
        string: ctx.resources.getString('Upload_Button'),
        currency: ctx.formatting.formatCurrency(-1234.5),
        network: ctx.client.isNetworkAvailable(),
        popup: typeof ctx.factory.getPopupService().createPopup,
      };
    });
    expect(seen).toEqual({
      userName: 'Test User',
      userId: '{A1B3C5D7-E9F1-4A2C-B4D6-F8A0C2E4A603}',
      offset: expect.any(Number),
      types: ['SingleLine.Text', 'Whole.None'],
      string: 'Upload',
      currency: '-$1,234.50',
      network: true,
      popup: 'function',
    });
  });

  it('rejects what a browser form cannot do, with an errorCode, instead of answering made-up data', async () => {
    const error = await page.evaluate(() =>
      (window as unknown as { ctx: ComponentFramework.Context<unknown> }).ctx.device.captureImage().then(
        () => 'resolved',
        (reason: { errorCode: number; message: string }) => ({ errorCode: reason.errorCode, message: reason.message }),
      ),
    );
    expect(error).toMatchObject({ errorCode: expect.any(Number), message: expect.stringContaining('device.captureImage is not supported') });
  });

  it('creates, updates, pages and deletes records through webAPI', async () => {
    const result = await page.evaluate(async (id) => {
      const { webAPI } = (window as unknown as { ctx: ComponentFramework.Context<unknown> }).ctx;
      const created = await webAPI.createRecord('sprk_document', { sprk_documentname: 'Context.pdf', 'sprk_Matter@odata.bind': `/sprk_matters(${id})` });
      const updated = await webAPI.updateRecord('sprk_document', created.id, { sprk_documentname: 'Renamed.pdf' });
      const page1 = await webAPI.retrieveMultipleRecords('sprk_document', `?$select=sprk_documentname&$filter=sprk_documentname eq 'Renamed.pdf'`, 1);
      const deleted = await webAPI.deleteRecord('sprk_document', created.id);
      const after = await webAPI.retrieveMultipleRecords('sprk_document', `?$filter=sprk_documentname eq 'Renamed.pdf'`);
      return { updated, names: page1.entities.map((entity) => entity.sprk_documentname), deleted, after: after.entities.length };
    }, matterId);
    expect(result.updated.entityType).toBe('sprk_document');
    expect(result.names).toEqual(['Renamed.pdf']);
    expect(result.deleted).toEqual(result.updated);
    expect(result.after).toBe(0);
  });

  it('answers Xrm.Page attributes by name and Xrm.Utility.getEntityMetadata in PascalCase', async () => {
    await page.waitForFunction(() => (window as unknown as { Xrm: Xrm.XrmStatic }).Xrm.Page.data.entity.attributes.getLength() > 0);
    const seen = await page.evaluate(async () => {
      const xrm = (window as unknown as { Xrm: Xrm.XrmStatic }).Xrm;
      const metadata = await xrm.Utility.getEntityMetadata('sprk_matter');
      const attributes = xrm.Page.data.entity.attributes;
      return {
        name: attributes.get('sprk_mattername')?.getValue(),
        missing: attributes.get('no_such_column'),
        entitySet: metadata.EntitySetName,
        logicalName: metadata.LogicalName,
        clientUrl: xrm.Utility.getGlobalContext().getClientUrl(),
      };
    });
    expect(seen).toEqual({ name: expect.any(String), missing: null, entitySet: 'sprk_matters', logicalName: 'sprk_matter', clientUrl: environment.dataverseUrl });
  });

  it('calls destroy when the form is left', async () => {
    await page.goto(environment.formUrl('sprk_matter', matterId));
    await page.waitForFunction(() => document.body.dataset.formhostReady === 'true');
    expect(await page.evaluate(() => localStorage.getItem('destroyed'))).toMatch(/^\d+$/);
  });
});

describe('formAttributes', () => {
  it('reads a lookup from the annotated record as [{ id, name, entityType }] under the column name', () => {
    const record = {
      sprk_documentname: 'A.pdf',
      _sprk_matter_value: '3a785f76-c773-f011-b4cb-6045bdd8b757',
      '_sprk_matter_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'sprk_matter',
      '_sprk_matter_value@OData.Community.Display.V1.FormattedValue': 'MAT-2026-0001',
      sprk_filesize: 12,
    };
    expect(formAttributes(record)).toEqual([
      { name: 'sprk_documentname', type: 'string', value: 'A.pdf' },
      { name: 'sprk_matter', type: 'lookup', value: [{ id: '{3A785F76-C773-F011-B4CB-6045BDD8B757}', name: 'MAT-2026-0001', entityType: 'sprk_matter' }] },
      { name: 'sprk_filesize', type: 'integer', value: 12 },
    ]);
  });
});
