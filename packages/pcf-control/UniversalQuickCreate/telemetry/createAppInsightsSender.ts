import type { AppInsightsEventTracker } from '@sdap/navmap-sdk/appinsights';
import { CONTROL_VERSION } from '../version';
import type { AppInsightsEndpoint } from './parseConnectionString';

export interface AppInsightsSenderOptions {
  readonly endpoint: AppInsightsEndpoint;
  /** How long events wait to go out together. @default 1000 */
  readonly batchDelayMs?: number;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Receives the one warning written when the ingestion endpoint refuses or cannot be reached. @default console */
  readonly logger?: { warn(message: string): void };
}

export interface AppInsightsSender extends AppInsightsEventTracker {
  /** Sends what is queued now; `keepalive` lets the request outlive the page. */
  flush(keepalive?: boolean): Promise<void>;
}

/** An Application Insights telemetry item (envelope) for one custom event, as the web SDK writes it. */
interface EventEnvelope {
  readonly name: string;
  readonly time: string;
  readonly iKey: string;
  readonly tags: Record<string, string>;
  readonly data: {
    readonly baseType: 'EventData';
    readonly baseData: { readonly ver: 2; readonly name: string; readonly properties: Record<string, string>; readonly measurements: Record<string, number> };
  };
}

const randomId = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');

/**
 * Custom events to Application Insights' ingestion API (`POST <IngestionEndpoint>/v2/track`, a JSON array of
 * envelopes) without the web SDK: they arrive in `customEvents` with `customDimensions` and `customMeasurements`
 * exactly as the SDK's `trackEvent` sends them. Events are batched for `batchDelayMs` and flushed with `keepalive`
 * when the page is hidden. Nothing else is collected: no page views, no cookies, no user id; the session id lives
 * only as long as the page.
 */
export function createAppInsightsSender(options: AppInsightsSenderOptions): AppInsightsSender {
  const { instrumentationKey, trackUrl } = options.endpoint;
  const envelopeName = `Microsoft.ApplicationInsights.${instrumentationKey.replace(/-/g, '')}.Event`;
  const tags = { 'ai.session.id': randomId(), 'ai.device.type': 'Browser', 'ai.internal.sdkVersion': `uqc-sender:${CONTROL_VERSION}` };
  const send = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const logger = options.logger ?? console;
  let queue: EventEnvelope[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let warned = false;

  const warnOnce = (reason: string) => {
    if (warned) return;
    warned = true;
    logger.warn(`[UniversalQuickCreate] Warning: Application Insights did not accept the control's events (${reason}); they are dropped.`);
  };

  const flush = async (keepalive = false): Promise<void> => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (queue.length === 0) return;
    const items = queue;
    queue = [];
    try {
      const response = await send(trackUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(items),
        keepalive,
      });
      if (!response.ok) warnOnce(`HTTP ${response.status}`);
    } catch (error) {
      warnOnce(error instanceof Error ? error.message : String(error));
    }
  };

  if (typeof document !== 'undefined') {
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') void flush(true);
    });
  }

  return {
    trackEvent(event, customProperties = {}) {
      const properties: Record<string, string> = {};
      for (const [key, value] of Object.entries(customProperties)) if (value !== undefined) properties[key] = String(value);
      queue.push({
        name: envelopeName,
        time: new Date().toISOString(),
        iKey: instrumentationKey,
        tags: { ...tags, 'ai.operation.name': typeof location === 'undefined' ? '' : location.pathname },
        data: { baseType: 'EventData', baseData: { ver: 2, name: event.name, properties, measurements: { ...event.measurements } } },
      });
      timer ??= setTimeout(() => void flush(), options.batchDelayMs ?? 1000);
    },
    flush,
  };
}
