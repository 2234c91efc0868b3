import { describe, expect, it } from 'vitest';
import { emitClientEvents, EVENTS_ENVIRONMENT } from '../../test/emitClientEvents.js';
import type { NavMapClientEvent } from '../contract/NavMapClientEvent.js';
import { navMapClientTelemetry } from '../contract/navMapClientTelemetry.js';
import { toAppInsightsEvent } from './toAppInsightsEvent.js';

const context = { environment: EVENTS_ENVIRONMENT, childEntity: 'sprk_document' };

describe('toAppInsightsEvent', () => {
  it('sends the listed dimensions as strings and the numbers as measurements', () => {
    expect(toAppInsightsEvent({ name: 'NavMapLoaded', ...context, layer: 'cache', durationMs: 1.25, entityCount: 5, ageMs: 60_000 })).toEqual({
      name: 'NavMapLoaded',
      properties: { ...context, layer: 'cache' },
      measurements: { durationMs: 1.25, entityCount: 5, ageMs: 60_000 },
    });
    expect(toAppInsightsEvent({ name: 'NavMapRevalidated', ...context, status: 304, changed: false, durationMs: 12 })).toEqual({
      name: 'NavMapRevalidated',
      properties: { ...context, changed: 'false' },
      measurements: { status: 304, durationMs: 12 },
    });
  });

  it('leaves out unset optional fields and non-finite numbers', () => {
    expect(toAppInsightsEvent({ name: 'DocumentCreated', ...context, parentEntity: 'account', durationMs: Number.NaN })).toEqual({
      name: 'DocumentCreated',
      properties: { ...context, parentEntity: 'account' },
      measurements: {},
    });
  });

  it('drops a field the table does not list, and maps an unknown event by the type of each value', () => {
    const extra = { name: 'NavMapLayerFailed', ...context, layer: 'server', reason: 'timeout', message: 'slow', secret: 'x' } as NavMapClientEvent;
    expect(toAppInsightsEvent(extra).properties).not.toHaveProperty('secret');
    const future = { name: 'NavMapFutureEvent', ...context, count: 3, flag: true, nested: { a: 1 } } as unknown as NavMapClientEvent;
    expect(toAppInsightsEvent(future)).toEqual({ name: 'NavMapFutureEvent', properties: { ...context, flag: 'true' }, measurements: { count: 3 } });
  });

  it('maps every event the real client emits onto exactly the names navMapClientTelemetry lists', async () => {
    for (const event of await emitClientEvents()) {
      const mapped = toAppInsightsEvent(event);
      const { properties, measurements } = navMapClientTelemetry[event.name];
      expect(Object.keys(mapped.properties).sort()).toEqual([...properties].sort());
      expect(Object.keys(mapped.measurements).sort()).toEqual([...measurements].sort());
      for (const value of Object.values(mapped.properties)) expect(typeof value).toBe('string');
    }
  });
});
