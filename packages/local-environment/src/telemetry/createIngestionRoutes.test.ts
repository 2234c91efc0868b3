import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { environment, useTestEnvironmentPerFile } from '../../test/startTestEnvironment.js';

useTestEnvironmentPerFile();
let trackUrl: string;
let instrumentationKey: string;

beforeAll(async () => {
  const parts = Object.fromEntries(environment.telemetryConnectionString.split(';').map((part) => part.split('=', 2) as [string, string]));
  trackUrl = `${parts.IngestionEndpoint}v2/track`;
  instrumentationKey = parts.InstrumentationKey as string;
});
beforeEach(() => environment.telemetry.clear());

function item(name: string, iKey = instrumentationKey) {
  return {
    name: `Microsoft.ApplicationInsights.${iKey.replace(/-/g, '')}.Event`,
    time: new Date().toISOString(),
    iKey,
    data: { baseType: 'EventData', baseData: { ver: 2, name, properties: { layer: 'server' }, measurements: { durationMs: 12 } } },
  };
}

describe('Application Insights ingestion (local)', () => {
  it('has a connection string whose ingestion endpoint is the BFF origin', () => {
    expect(environment.telemetryConnectionString).toMatch(/^InstrumentationKey=[0-9a-f-]{36};IngestionEndpoint=http:\/\/[^;]+\/$/);
    expect(trackUrl.startsWith(environment.bffUrl)).toBe(true);
  });

  it('accepts a JSON array, keeps the items and lists them on the admin endpoint', async () => {
    const response = await fetch(trackUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify([item('NavMapLoaded'), item('DocumentCreated')]) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ itemsReceived: 2, itemsAccepted: 2, errors: [] });
    const listed = (await (await fetch(`${environment.adminUrl}/telemetry`)).json()) as { envelopes: { data: { baseData: { name: string } } }[] };
    expect(listed.envelopes.map((envelope) => envelope.data.baseData.name)).toEqual(['NavMapLoaded', 'DocumentCreated']);
    expect((await fetch(`${environment.adminUrl}/telemetry`, { method: 'DELETE' })).status).toBe(204);
    expect(environment.telemetry.envelopes()).toEqual([]);
  });

  it('accepts newline-delimited items as sendBeacon sends them, and answers CORS preflights', async () => {
    const preflight = await fetch(trackUrl, { method: 'OPTIONS', headers: { Origin: environment.dataverseUrl, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(environment.dataverseUrl);
    const response = await fetch(trackUrl, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: `${JSON.stringify(item('A'))}\n${JSON.stringify(item('B'))}\n` });
    expect(response.status).toBe(200);
    expect(environment.telemetry.envelopes()).toHaveLength(2);
  });

  it('refuses items without a valid instrumentation key one by one (206) and a body that is not JSON (400)', async () => {
    const partial = await fetch(trackUrl, { method: 'POST', body: JSON.stringify([item('Good'), item('Bad', 'not-a-key')]) });
    expect(partial.status).toBe(206);
    expect(await partial.json()).toEqual({ itemsReceived: 2, itemsAccepted: 1, errors: [{ index: 1, statusCode: 400, message: 'Invalid instrumentation key.' }] });
    const broken = await fetch(trackUrl, { method: 'POST', body: '{ not json' });
    expect(broken.status).toBe(400);
    expect(environment.telemetry.envelopes()).toHaveLength(1);
  });
});
