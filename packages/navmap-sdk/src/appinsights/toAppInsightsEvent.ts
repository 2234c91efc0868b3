import type { NavMapClientEvent } from '../contract/NavMapClientEvent.js';
import { navMapClientTelemetry, type NavMapEventTelemetry } from '../contract/navMapClientTelemetry.js';

/** An event as Application Insights stores it: `customDimensions` are strings, `customMeasurements` numbers. */
export interface AppInsightsEvent {
  readonly name: string;
  readonly properties: Record<string, string>;
  readonly measurements: Record<string, number>;
}

/**
 * Maps a client event to Application Insights' shape, as `navMapClientTelemetry` lists it: its dimensions as strings
 * (booleans as `"true"`/`"false"`), its numbers as measurements. Unset optional fields are left out. An event name
 * the table does not know (from a newer copy of the SDK on the page) is mapped by the type of each value.
 *
 * @example
 * toAppInsightsEvent({ name: 'DocumentCreated', environment, childEntity: 'sprk_document', parentEntity: 'sprk_matter', retried: true, durationMs: 120 });
 * // { name: 'DocumentCreated', properties: { environment, childEntity: 'sprk_document', parentEntity: 'sprk_matter', retried: 'true' },
 * //   measurements: { durationMs: 120 } }
 */
export function toAppInsightsEvent(event: NavMapClientEvent): AppInsightsEvent {
  const fields = event as unknown as Readonly<Record<string, unknown>>;
  const table: NavMapEventTelemetry | undefined = Object.hasOwn(navMapClientTelemetry, event.name)
    ? navMapClientTelemetry[event.name]
    : undefined;
  const keys = table ? [...table.properties, ...table.measurements] : Object.keys(fields).filter((key) => key !== 'name');
  const properties: Record<string, string> = {};
  const measurements: Record<string, number> = {};
  for (const key of keys) {
    const value = fields[key];
    if (typeof value === 'number') {
      // Application Insights refuses NaN and Infinity in customMeasurements.
      if (Number.isFinite(value)) measurements[key] = value;
    } else if (typeof value === 'string' || typeof value === 'boolean') {
      properties[key] = String(value);
    }
  }
  return { name: event.name, properties, measurements };
}
