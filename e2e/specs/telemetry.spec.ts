/**
 * Row 7.2: the control sends NavMap's events to Application Insights (its `appInsightsConnectionString` property)
 * as custom events with the documented dimensions (`navMapClientTelemetry` in @sdap/navmap-sdk, which
 * docs/operations/monitoring.md queries). The items are read off the page's requests to the ingestion endpoint, so
 * the check runs on a deployed form as well; locally, the local ingestion endpoint must also have accepted them.
 */
import type { BrowserContext } from '@playwright/test';
import { parseTelemetryItems, type TelemetryEnvelope } from '@sdap/local-environment';
import { navMapClientTelemetry } from '@sdap/navmap-sdk';
import { expect, test } from '../fixtures.js';
import { testFile } from '../pages/ModelDrivenForm.js';

interface EventItem {
  readonly name: string;
  readonly properties: Readonly<Record<string, string>>;
  readonly measurements: Readonly<Record<string, number>>;
}

/** The custom events in the context's requests to an Application Insights ingestion endpoint (`/v2/track`, `/v2.1/track`). */
function collectCustomEvents(context: BrowserContext): EventItem[] {
  const events: EventItem[] = [];
  context.on('request', (request) => {
    if (request.method() !== 'POST' || !/\/v2(\.1)?\/track$/.test(new URL(request.url()).pathname)) return;
    const items = parseTelemetryItems(request.postData() ?? '') as TelemetryEnvelope[];
    for (const item of items) {
      if (item.data?.baseType !== 'EventData') continue;
      events.push({ name: item.data.baseData?.name ?? '', properties: item.data.baseData?.properties ?? {}, measurements: item.data.baseData?.measurements ?? {} });
    }
  });
  return events;
}

test('7.2 telemetry: NavMapLoaded (with layer), DocumentCreated and DocumentCreateFailed reach Application Insights with their dimensions', async ({
  context,
  form,
  target,
}) => {
  test.setTimeout(120_000);
  const events = collectCustomEvents(context);
  // One record create is refused the way Dataverse refuses it, so the control reports a DocumentCreateFailed. Routed
  // before the page opens and armed later, so no request event is missed (docs/e2e.md, "The specs").
  let refuseNextCreate = false;
  await context.route('**/api/data/v9.2/sprk_documents', async (route) => {
    if (!refuseNextCreate || route.request().method() !== 'POST') return route.fallback();
    refuseNextCreate = false;
    await route.fulfill({
      status: 403,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: '0x80040220', message: 'Principal user is missing prvCreatesprk_document privilege.' } }),
    });
  });
  const matterId = target.records.sprk_matter as string;
  await form.open('sprk_matter', matterId);
  await form.upload([testFile('Telemetry.pdf', 512)]);

  refuseNextCreate = true;
  await form.chooseFiles([testFile('Refused.pdf', 256)]);
  await form.startUpload();
  await expect(form.row('Refused.pdf')).toHaveAttribute('data-status', 'link-failed');

  // The control sends its events a second after the first of a batch; a deployed control may batch for longer.
  const missing = () => ['NavMapLoaded', 'DocumentCreated', 'DocumentCreateFailed'].filter((name) => !events.some((event) => event.name === name));
  await expect.poll(missing, { timeout: 45_000, intervals: [1_000] }).toEqual([]);

  for (const event of events) {
    const contract = navMapClientTelemetry[event.name as keyof typeof navMapClientTelemetry];
    expect(contract, `${event.name} is a documented event`).toBeDefined();
    const documented = [...(contract?.properties ?? []), ...(contract?.measurements ?? [])] as string[];
    for (const key of [...Object.keys(event.properties), ...Object.keys(event.measurements)]) expect(documented, `${event.name}.${key}`).toContain(key);
  }
  const loaded = events.find((event) => event.name === 'NavMapLoaded');
  expect(loaded?.properties).toMatchObject({ layer: 'server', childEntity: 'sprk_document', environment: target.orgUrl });
  expect(loaded?.measurements.entityCount).toBeGreaterThan(0);
  expect(typeof loaded?.measurements.durationMs).toBe('number');
  expect(events.find((event) => event.name === 'DocumentCreated')?.properties).toMatchObject({ parentEntity: 'sprk_matter', source: 'server' });
  expect(events.find((event) => event.name === 'DocumentCreateFailed')?.properties).toMatchObject({ parentEntity: 'sprk_matter', errorCode: '0x80040220' });

  if (target.local) {
    const accepted = target.local.environment.telemetry.envelopes().map((envelope) => envelope.data?.baseData?.name);
    expect(accepted).toEqual(expect.arrayContaining(['NavMapLoaded', 'DocumentCreated', 'DocumentCreateFailed']));
  }
});
