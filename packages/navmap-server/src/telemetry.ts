// `@sdap/navmap-server/telemetry`: Application Insights through the Azure Monitor OpenTelemetry distro. Import it
// first, before express or `@sdap/navmap-server`; the main entry never loads it.
export { startNavMapTelemetry } from './telemetry/startNavMapTelemetry.js';
export type { NavMapTelemetry, NavMapTelemetryOptions } from './telemetry/startNavMapTelemetry.js';
export { navMapServerTelemetry } from './telemetry/navMapServerTelemetry.js';
export type {
  NavMapDependencyTarget,
  NavMapServerEventName,
  NavMapServerTelemetryEvent,
  NavMapTelemetrySink,
} from './telemetry/navMapServerTelemetry.js';
