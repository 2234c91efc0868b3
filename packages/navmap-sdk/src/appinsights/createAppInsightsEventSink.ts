import type { NavMapClientEvent } from '../contract/NavMapClientEvent.js';
import { NavMapError } from '../contract/NavMapError.js';
import { toAppInsightsEvent } from './toAppInsightsEvent.js';

/**
 * The one method the sink calls: `trackEvent` of `ApplicationInsights` from `@microsoft/applicationinsights-web` 3
 * (or 2, or the loader snippet's `appInsights`). Declared here rather than imported, so this entry loads nothing from
 * the SDK and its types do not require it.
 */
export interface AppInsightsEventTracker {
  trackEvent(
    event: { name: string; measurements?: { [key: string]: number } },
    customProperties?: { [key: string]: unknown },
  ): void;
}

export interface AppInsightsEventSinkOptions {
  /** Receives the one warning written when `trackEvent` first throws. @default console */
  readonly logger?: { warn(message: string): void };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * An `onEvent` for `createNavMapClient` that sends every client event, `track()`'s included, to Application Insights
 * as a custom event: `trackEvent({ name, measurements }, properties)`, with the fields `navMapClientTelemetry` lists
 * as `customDimensions` (strings) and `customMeasurements` (numbers). It never throws into the client: when
 * `trackEvent` throws it writes one warning and carries on.
 *
 * @throws {NavMapError} `invalid_config` at creation when `appInsights` has no `trackEvent` or `logger` no `warn`.
 * @example
 * import { ApplicationInsights } from '@microsoft/applicationinsights-web';
 * import { createAppInsightsEventSink } from '@sdap/navmap-sdk/appinsights';
 *
 * const appInsights = new ApplicationInsights({ config: { connectionString } });
 * appInsights.loadAppInsights();
 * const client = createNavMapClient({ baseUrl, getAccessToken, environment, onEvent: createAppInsightsEventSink(appInsights) });
 */
export function createAppInsightsEventSink(
  appInsights: AppInsightsEventTracker,
  options: AppInsightsEventSinkOptions = {},
): (event: NavMapClientEvent) => void {
  if (typeof appInsights !== 'object' || appInsights === null || typeof appInsights.trackEvent !== 'function') {
    throw new NavMapError(
      'invalid_config',
      'Argument `appInsights` must be an Application Insights instance with a trackEvent method (new ApplicationInsights(...) after loadAppInsights()).',
    );
  }
  if (typeof options !== 'object' || options === null) {
    throw new NavMapError('invalid_config', 'Argument `options` must be an object.');
  }
  const logger = options.logger ?? console;
  if (typeof logger !== 'object' || logger === null || typeof logger.warn !== 'function') {
    throw new NavMapError('invalid_config', 'Option `logger` must be an object with a warn method, such as console.');
  }
  let warned = false;
  return function sendToAppInsights(event: NavMapClientEvent): void {
    try {
      const { name, properties, measurements } = toAppInsightsEvent(event);
      appInsights.trackEvent({ name, measurements }, properties);
    } catch (error) {
      if (warned) return;
      warned = true;
      try {
        logger.warn(
          `[NavMapClient] Warning: Application Insights could not track ${String(event?.name)} (${describe(error)}); ` +
            'NavMap events are not reported while this lasts, and further failures are not logged.',
        );
      } catch {
        // A broken logger must not break the client either.
      }
    }
  };
}
