import { ApplicationInsights } from '@microsoft/applicationinsights-web';
import { createAppInsightsEventSink } from '@sdap/navmap-sdk/appinsights';
import type { NavMapClientEvent } from '@sdap/navmap-sdk/client';

// One Application Insights instance per connection string for the whole page: every control instance shares it.
const instances = new Map<string, ApplicationInsights>();

/**
 * The `onEvent` that sends NavMap's events to Application Insights as custom events (`@sdap/navmap-sdk/appinsights`).
 * Only what the control sends is collected: no page views, no automatic request, dependency or exception tracking
 * of the form around it.
 */
export function createTelemetry(connectionString: string): (event: NavMapClientEvent) => void {
  let appInsights = instances.get(connectionString);
  if (!appInsights) {
    appInsights = new ApplicationInsights({
      config: {
        connectionString,
        disableAjaxTracking: true,
        disableFetchTracking: true,
        disableExceptionTracking: true,
        enableAutoRouteTracking: false,
        disableCookiesUsage: true,
        // Items go out with fetch/XHR (keepalive when the page unloads), never sendBeacon, whose requests some
        // proxies and test tools do not see.
        isBeaconApiDisabled: true,
        // No configuration download from Microsoft's CDN: everything the control wants is set here.
        extensionConfig: { AppInsightsCfgSyncPlugin: { cfgUrl: '' } },
      },
    });
    appInsights.loadAppInsights();
    instances.set(connectionString, appInsights);
  }
  return createAppInsightsEventSink(appInsights);
}
