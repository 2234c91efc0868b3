import type { TelemetryCatalog, TelemetryEventShape } from './checkKqlQuery.js';

function isStringArray(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function eventShape(owner: string, name: string, value: unknown): TelemetryEventShape {
  const shape = value as { properties?: unknown; measurements?: unknown } | null;
  if (typeof shape !== 'object' || shape === null || !isStringArray(shape.properties) || !isStringArray(shape.measurements)) {
    throw new Error(`${owner}.${name} must be { properties: string[]; measurements: string[] }; it is ${JSON.stringify(value)}.`);
  }
  return { properties: [...shape.properties], measurements: [...shape.measurements] };
}

function events(owner: string, value: unknown): Record<string, TelemetryEventShape> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${owner} must be an object of events; it is ${JSON.stringify(value)}.`);
  }
  return Object.fromEntries(Object.entries(value).map(([name, shape]) => [name, eventShape(owner, name, shape)]));
}

/** Where the two telemetry constants come from; the defaults are the packages' own exports. */
export interface TelemetrySources {
  /** `navMapClientTelemetry` of `@sdap/navmap-sdk`: `{ <EventName>: { properties, measurements } }`. */
  readonly client: unknown;
  /** `navMapServerTelemetry` of `@sdap/navmap-server`: `{ events: { <EventName>: ... }, requests: string[], dependencyProperty?, dependencyTargets? }`. */
  readonly server: unknown;
}

/**
 * Builds the catalog of emitted telemetry from the runtime constants the SDK and the server export, so that a renamed
 * event or dimension in code fails the docs' tests. Throws, naming the constant, when one is missing or malformed.
 *
 * @example
 * const catalog = buildTelemetryCatalog({ client: navMapClientTelemetry, server: navMapServerTelemetry });
 */
export function buildTelemetryCatalog({ client, server }: TelemetrySources): TelemetryCatalog {
  const clientEvents = events('navMapClientTelemetry', client);
  const serverConstant = server as { events?: unknown; requests?: unknown; dependencyProperty?: unknown; dependencyTargets?: unknown } | null;
  if (typeof serverConstant !== 'object' || serverConstant === null) {
    throw new Error(`navMapServerTelemetry must be an object; it is ${JSON.stringify(server)}.`);
  }
  const serverEvents = events('navMapServerTelemetry.events', serverConstant.events);
  if (!isStringArray(serverConstant.requests)) {
    throw new Error(`navMapServerTelemetry.requests must be string[]; it is ${JSON.stringify(serverConstant.requests)}.`);
  }
  for (const name of Object.keys(serverEvents)) {
    if (Object.hasOwn(clientEvents, name)) throw new Error(`Event ${name} is declared by both the client and the server.`);
  }
  const { dependencyProperty, dependencyTargets } = serverConstant;
  const dependencies =
    typeof dependencyProperty === 'string' && isStringArray(dependencyTargets)
      ? { dependencyProperty, dependencyTargets: [...dependencyTargets] }
      : {};
  return { events: { ...clientEvents, ...serverEvents }, requests: [...serverConstant.requests], ...dependencies };
}

/** The catalog from the built `@sdap/navmap-sdk` and `@sdap/navmap-server` (run their builds first). */
export async function loadTelemetryCatalog(): Promise<TelemetryCatalog> {
  const sdk: Record<string, unknown> = await import('@sdap/navmap-sdk');
  const serverPackage: Record<string, unknown> = await import('@sdap/navmap-server');
  if (!('navMapClientTelemetry' in sdk)) throw new Error('@sdap/navmap-sdk does not export navMapClientTelemetry.');
  if (!('navMapServerTelemetry' in serverPackage)) throw new Error('@sdap/navmap-server does not export navMapServerTelemetry.');
  return buildTelemetryCatalog({ client: sdk.navMapClientTelemetry, server: serverPackage.navMapServerTelemetry });
}
