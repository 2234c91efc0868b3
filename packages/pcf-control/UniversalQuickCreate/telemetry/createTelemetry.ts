import { createAppInsightsEventSink } from '@sdap/navmap-sdk/appinsights';
import type { NavMapClientEvent } from '@sdap/navmap-sdk/client';
import { createAppInsightsSender, type AppInsightsSender } from './createAppInsightsSender';
import { parseConnectionString } from './parseConnectionString';

// One sender per connection string for the whole page: every control instance shares its batches.
const senders = new Map<string, AppInsightsSender>();

/**
 * The `onEvent` that sends NavMap's events to Application Insights as custom events, through the SDK's
 * `@sdap/navmap-sdk/appinsights` sink (the documented names and dimensions) and a small sender instead of the web SDK.
 */
export function createTelemetry(connectionString: string): (event: NavMapClientEvent) => void {
  let sender = senders.get(connectionString);
  if (!sender) {
    sender = createAppInsightsSender({ endpoint: parseConnectionString(connectionString) });
    senders.set(connectionString, sender);
  }
  return createAppInsightsEventSink(sender);
}
