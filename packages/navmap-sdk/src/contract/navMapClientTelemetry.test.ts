import { describe, expect, it } from 'vitest';
import { emitClientEvents } from '../../test/emitClientEvents.js';
import { navMapClientTelemetry } from './navMapClientTelemetry.js';

describe('navMapClientTelemetry', () => {
  it('lists exactly the fields of the events the client really emits, numbers as measurements', async () => {
    const events = await emitClientEvents();
    expect(new Set(events.map((event) => event.name))).toEqual(new Set(Object.keys(navMapClientTelemetry)));
    for (const event of events) {
      const { name, ...fields } = event;
      const { properties, measurements } = navMapClientTelemetry[name];
      expect({ name, fields: Object.keys(fields).sort() }).toEqual({ name, fields: [...properties, ...measurements].sort() });
      for (const field of measurements) expect({ name, field, type: typeof (fields as Record<string, unknown>)[field] }).toEqual({ name, field, type: 'number' });
      for (const field of properties) expect(['string', 'boolean']).toContain(typeof (fields as Record<string, unknown>)[field]);
    }
  });

  it('is frozen, so a consumer cannot change the contract at run time', () => {
    expect(Object.isFrozen(navMapClientTelemetry)).toBe(true);
    expect(Object.isFrozen(navMapClientTelemetry.NavMapLoaded.measurements)).toBe(true);
  });
});
