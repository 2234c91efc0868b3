import type { ApplicationInsights } from '@microsoft/applicationinsights-web';
import { describe, expect, it, vi } from 'vitest';
import { createNavMapClient } from '../client/createNavMapClient.js';
import type { NavMapClientEvent } from '../contract/NavMapClientEvent.js';
import { createAppInsightsEventSink, type AppInsightsEventTracker } from './createAppInsightsEventSink.js';

const loaded: NavMapClientEvent = { name: 'NavMapLoaded', environment: 'https://org.crm.dynamics.com', childEntity: 'sprk_document', layer: 'server', durationMs: 42, entityCount: 5, ageMs: 0 };

describe('createAppInsightsEventSink', () => {
  it('accepts the real ApplicationInsights type', () => {
    // Compile-time: the structural tracker type must stay compatible with the SDK's class.
    const accepts = (appInsights: ApplicationInsights): AppInsightsEventTracker => appInsights;
    expect(typeof accepts).toBe('function');
  });

  it('calls trackEvent({ name, measurements }, properties)', () => {
    const trackEvent = vi.fn();
    createAppInsightsEventSink({ trackEvent })(loaded);
    expect(trackEvent).toHaveBeenCalledExactlyOnceWith(
      { name: 'NavMapLoaded', measurements: { durationMs: 42, entityCount: 5, ageMs: 0 } },
      { environment: 'https://org.crm.dynamics.com', childEntity: 'sprk_document', layer: 'server' },
    );
  });

  it('never throws into the client and warns once when trackEvent keeps failing', () => {
    const warn = vi.fn();
    const sink = createAppInsightsEventSink({ trackEvent: () => { throw new TypeError('core is not initialized'); } }, { logger: { warn } });
    expect(() => { sink(loaded); sink(loaded); sink(loaded); }).not.toThrow();
    expect(warn).toHaveBeenCalledOnce();
    expect(warn.mock.calls[0]?.[0]).toMatch(/^\[NavMapClient\] Warning: Application Insights could not track NavMapLoaded \(TypeError: core is not initialized\)/);
  });

  it('survives a logger that throws too', () => {
    const sink = createAppInsightsEventSink({ trackEvent: () => { throw new Error('down'); } }, { logger: { warn: () => { throw new Error('no console'); } } });
    expect(() => sink(loaded)).not.toThrow();
  });

  it('refuses an argument without trackEvent and a logger without warn, naming them', () => {
    expect(() => createAppInsightsEventSink({} as AppInsightsEventTracker)).toThrow(expect.objectContaining({ code: 'invalid_config', message: expect.stringContaining('`appInsights`') }));
    expect(() => createAppInsightsEventSink(null as unknown as AppInsightsEventTracker)).toThrow(/`appInsights`/);
    expect(() => createAppInsightsEventSink({ trackEvent: vi.fn() }, { logger: {} as { warn(message: string): void } })).toThrow(/`logger`/);
  });

  it('receives the events of client.track() as onEvent', () => {
    const trackEvent = vi.fn();
    const client = createNavMapClient({ baseUrl: 'https://bff.contoso.com', getAccessToken: () => 'token', environment: 'https://org.crm.dynamics.com', storage: 'memory', logger: { log: vi.fn(), warn: vi.fn(), error: vi.fn() }, onEvent: createAppInsightsEventSink({ trackEvent }) });
    client.track({ name: 'DocumentCreateFailed', parentEntity: 'sprk_matter', errorCode: '0x80048d19', message: 'undeclared property', retried: true });
    expect(trackEvent).toHaveBeenCalledExactlyOnceWith(
      { name: 'DocumentCreateFailed', measurements: {} },
      { environment: 'https://org.crm.dynamics.com', childEntity: 'sprk_document', parentEntity: 'sprk_matter', errorCode: '0x80048d19', message: 'undeclared property', retried: 'true' },
    );
  });
});
