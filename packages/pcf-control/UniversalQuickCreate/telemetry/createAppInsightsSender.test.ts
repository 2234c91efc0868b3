import { parseTelemetryItems, type TelemetryEnvelope } from '@sdap/local-environment';
import { createAppInsightsEventSink } from '@sdap/navmap-sdk/appinsights';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAppInsightsSender } from './createAppInsightsSender';
import { parseConnectionString } from './parseConnectionString';

const IKEY = '2f4b1c7e-8a6d-4e3f-9b21-5c0d7a9e1f34';
const endpoint = parseConnectionString(`InstrumentationKey=${IKEY};IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/;LiveEndpoint=https://westeurope.livediagnostics.monitor.azure.com/`);

function recordingFetch(status = 200) {
  const requests: { url: string; init: RequestInit }[] = [];
  const fetch = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    requests.push({ url: String(url), init: init ?? {} });
    return new Response(JSON.stringify({ itemsReceived: 1, itemsAccepted: 1, errors: [] }), { status });
  });
  return { fetch, requests };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('parseConnectionString', () => {
  it('reads the key and the ingestion endpoint, and the documented defaults', () => {
    expect(endpoint).toEqual({ instrumentationKey: IKEY, trackUrl: 'https://westeurope-5.in.applicationinsights.azure.com/v2/track' });
    expect(parseConnectionString(`instrumentationkey=${IKEY}`).trackUrl).toBe('https://dc.services.visualstudio.com/v2/track');
    expect(parseConnectionString(`InstrumentationKey=${IKEY};EndpointSuffix=applicationinsights.azure.cn`).trackUrl).toBe('https://dc.applicationinsights.azure.cn/v2/track');
  });

  it('names what is wrong', () => {
    expect(() => parseConnectionString('IngestionEndpoint=https://x')).toThrow('has no InstrumentationKey=<guid>');
    expect(() => parseConnectionString(`InstrumentationKey=${IKEY};IngestionEndpoint=not a url`)).toThrow('IngestionEndpoint "not a url" is not a URL');
  });
});

describe('createAppInsightsSender', () => {
  it('posts the events of a batch as Application Insights event envelopes, as the web SDK writes them', async () => {
    const { fetch, requests } = recordingFetch();
    const sender = createAppInsightsSender({ endpoint, fetch, batchDelayMs: 500 });
    const sink = createAppInsightsEventSink(sender);
    sink({ name: 'NavMapLoaded', environment: 'https://org.crm.dynamics.com', childEntity: 'sprk_document', layer: 'cache', durationMs: 3, entityCount: 5, ageMs: 1200 });
    sink({ name: 'DocumentCreateFailed', environment: 'https://org.crm.dynamics.com', childEntity: 'sprk_document', parentEntity: 'sprk_matter', errorCode: '0x80040220', message: 'denied', retried: false });
    expect(fetch).not.toHaveBeenCalled();

    await vi.advanceTimersByTimeAsync(500);

    expect(requests).toHaveLength(1);
    expect(requests[0]?.url).toBe('https://westeurope-5.in.applicationinsights.azure.com/v2/track');
    expect(requests[0]?.init).toMatchObject({ method: 'POST', headers: { 'Content-Type': 'application/json' }, keepalive: false });
    const items = parseTelemetryItems(String(requests[0]?.init.body)) as TelemetryEnvelope[];
    expect(items).toHaveLength(2);
    for (const item of items) {
      expect(item.name).toBe(`Microsoft.ApplicationInsights.${IKEY.replace(/-/g, '')}.Event`);
      expect(item.iKey).toBe(IKEY);
      expect(Number.isNaN(Date.parse(item.time))).toBe(false);
      expect(item.data?.baseType).toBe('EventData');
    }
    expect(items[0]?.data?.baseData).toEqual({
      ver: 2,
      name: 'NavMapLoaded',
      properties: { environment: 'https://org.crm.dynamics.com', childEntity: 'sprk_document', layer: 'cache' },
      measurements: { durationMs: 3, entityCount: 5, ageMs: 1200 },
    });
    expect(items[1]?.data?.baseData).toMatchObject({ name: 'DocumentCreateFailed', properties: { errorCode: '0x80040220', retried: 'false' } });
  });

  it('sends what is queued with keepalive when the page is hidden, and nothing when the queue is empty', async () => {
    const { fetch, requests } = recordingFetch();
    const sender = createAppInsightsSender({ endpoint, fetch });
    await sender.flush(true);
    expect(fetch).not.toHaveBeenCalled();
    sender.trackEvent({ name: 'NavMapRevalidated', measurements: {} }, { environment: 'https://org.crm.dynamics.com' });
    await sender.flush(true);
    expect(requests[0]?.init.keepalive).toBe(true);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(fetch).toHaveBeenCalledOnce();
  });

  it('warns once, and never throws, when the ingestion endpoint refuses or cannot be reached', async () => {
    const warn = vi.fn();
    const failing = vi.fn(async () => Promise.reject(new TypeError('Failed to fetch')));
    const sender = createAppInsightsSender({ endpoint, fetch: failing, logger: { warn } });
    for (let batch = 0; batch < 3; batch++) {
      sender.trackEvent({ name: 'NavMapLoaded' }, {});
      await expect(sender.flush()).resolves.toBeUndefined();
    }
    expect(failing).toHaveBeenCalledTimes(3);
    expect(warn).toHaveBeenCalledExactlyOnceWith(expect.stringContaining('Application Insights did not accept the control\'s events (Failed to fetch)'));

    const refused = createAppInsightsSender({ endpoint, fetch: recordingFetch(400).fetch, logger: { warn } });
    refused.trackEvent({ name: 'NavMapLoaded' }, {});
    await refused.flush();
    expect(warn).toHaveBeenLastCalledWith(expect.stringContaining('(HTTP 400)'));
  });
});
