import type { NavMapClientEvent } from './NavMapClientEvent.js';

/** The `name` of every event the browser client reports. */
export type NavMapClientEventName = NavMapClientEvent['name'];

type EventNamed<N extends NavMapClientEventName> = Extract<NavMapClientEvent, { readonly name: N }>;
type FieldOf<E> = Exclude<keyof E, 'name'>;
/** Fields whose value is a number: Application Insights measurements (`customMeasurements`). */
type MeasurementOf<E> = { [K in FieldOf<E>]-?: NonNullable<E[K]> extends number ? K : never }[FieldOf<E>];
/** Every other field (strings, and booleans sent as `"true"`/`"false"`): dimensions (`customDimensions`). */
type PropertyOf<E> = Exclude<FieldOf<E>, MeasurementOf<E>>;

/** How one event reaches a telemetry backend: its string dimensions and its numeric measurements. */
export type NavMapEventTelemetry<N extends NavMapClientEventName = NavMapClientEventName> = N extends NavMapClientEventName
  ? {
      readonly properties: readonly PropertyOf<EventNamed<N>>[];
      readonly measurements: readonly MeasurementOf<EventNamed<N>>[];
    }
  : never;

/** The shape of {@link navMapClientTelemetry}: one entry per event name. */
export type NavMapClientTelemetry = { readonly [N in NavMapClientEventName]: NavMapEventTelemetry<N> };

type Listed<T extends NavMapClientTelemetry, N extends NavMapClientEventName> =
  | T[N]['properties'][number]
  | T[N]['measurements'][number];
type Unlisted<T extends NavMapClientTelemetry> = {
  [N in NavMapClientEventName]: [Exclude<FieldOf<EventNamed<N>>, Listed<T, N>>] extends [never]
    ? unknown
    : { readonly [missing in `${N}: fields missing from navMapClientTelemetry`]: Exclude<FieldOf<EventNamed<N>>, Listed<T, N>> };
};

/** Compile-time guard: the table must list every field of every event, so adding a field without listing it fails. */
function defineTelemetry<const T extends NavMapClientTelemetry>(table: T & Unlisted<T>): T {
  for (const entry of Object.values(table as NavMapClientTelemetry)) {
    Object.freeze(entry.properties);
    Object.freeze(entry.measurements);
    Object.freeze(entry);
  }
  return Object.freeze(table);
}

/**
 * The client's telemetry contract as data: for each event `name`, the fields sent as string dimensions
 * (`properties`, Application Insights `customDimensions`) and as numbers (`measurements`, `customMeasurements`).
 * Every event also carries `environment` and `childEntity`. The lists are checked against the event types at compile
 * time; `@sdap/navmap-sdk/appinsights` sends exactly these, and monitoring queries may use only these.
 *
 * @example
 * import { navMapClientTelemetry } from '@sdap/navmap-sdk';
 *
 * navMapClientTelemetry.NavMapLoaded.measurements; // ['durationMs', 'entityCount', 'ageMs']
 * // KQL: customEvents | where name == 'NavMapLoaded' | summarize percentile(todouble(customMeasurements.durationMs), 95)
 */
export const navMapClientTelemetry = /* @__PURE__ */ defineTelemetry({
  NavMapLoaded: {
    properties: ['environment', 'childEntity', 'layer'],
    measurements: ['durationMs', 'entityCount', 'ageMs'],
  },
  NavMapLayerFailed: {
    properties: ['environment', 'childEntity', 'layer', 'reason', 'message'],
    measurements: [],
  },
  NavMapRevalidated: {
    properties: ['environment', 'childEntity', 'changed'],
    measurements: ['status', 'durationMs'],
  },
  DocumentCreated: {
    properties: ['environment', 'childEntity', 'parentEntity', 'source', 'retried'],
    measurements: ['durationMs'],
  },
  DocumentCreateFailed: {
    properties: ['environment', 'childEntity', 'parentEntity', 'errorCode', 'message', 'source', 'retried'],
    measurements: [],
  },
});
