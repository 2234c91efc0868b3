export { createAppInsightsEventSink } from './createAppInsightsEventSink.js';
export type { AppInsightsEventSinkOptions, AppInsightsEventTracker } from './createAppInsightsEventSink.js';
export { toAppInsightsEvent } from './toAppInsightsEvent.js';
export type { AppInsightsEvent } from './toAppInsightsEvent.js';
export { navMapClientTelemetry } from '../contract/navMapClientTelemetry.js';
