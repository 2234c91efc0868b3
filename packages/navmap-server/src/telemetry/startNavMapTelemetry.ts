import { AsyncLocalStorage } from 'node:async_hooks';
import { shutdownAzureMonitor, useAzureMonitor, type AzureMonitorOpenTelemetryOptions, type InstrumentationOptions } from '@azure/monitor-opentelemetry';
import { trace, type Attributes, type Span } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NavMapError } from '@sdap/navmap-sdk';
import {
  navMapServerTelemetry,
  type NavMapDependencyTarget,
  type NavMapServerTelemetryEvent,
  type NavMapTelemetrySink,
} from './navMapServerTelemetry.js';

export interface NavMapTelemetryOptions {
  /** The Application Insights connection string (`InstrumentationKey=...;IngestionEndpoint=...`). */
  readonly connectionString: string;
  /** `service.name`, shown as the cloud role name. @default process.env.OTEL_SERVICE_NAME, else 'navmap-server' */
  readonly serviceName?: string;
  /** Live Metrics (a stream to `LiveEndpoint` while a portal blade is open). @default false */
  readonly enableLiveMetrics?: boolean;
}

/** Started telemetry: the sink `createServer` takes, plus flush and shutdown. */
export interface NavMapTelemetry extends NavMapTelemetrySink {
  /** Sends everything recorded so far (the exporters batch for up to several seconds otherwise). */
  flush(): Promise<void>;
  /** Flushes, then stops the OpenTelemetry SDK; call once, at exit. */
  shutdown(): Promise<void>;
}

/** Set around outgoing work so its HTTP spans carry `navmap.dependency` (AsyncLocalStorage follows promises). */
const dependencyTarget = new AsyncLocalStorage<NavMapDependencyTarget>();
const knownRequests: ReadonlySet<string> = new Set(navMapServerTelemetry.requests);
let started: NavMapTelemetry | undefined;

function dependencyAttributes(): Attributes {
  const target = dependencyTarget.getStore();
  return target === undefined ? {} : { [navMapServerTelemetry.dependencyProperty]: target };
}

/** Names an incoming request after its route (`GET /api/pcf/dataverse-navmap`), never after a raw URL. */
function nameIncomingRequest(span: Span, request: unknown): void {
  const incoming = request as { method?: unknown; url?: unknown; getHeader?: unknown };
  // A ClientRequest (outgoing) has getHeader; an IncomingMessage (incoming) does not.
  if (typeof incoming.getHeader === 'function' || typeof incoming.url !== 'string') return;
  const method = typeof incoming.method === 'string' ? incoming.method : 'GET';
  const path = incoming.url.split('?')[0] ?? '';
  const route = knownRequests.has(`${method} ${path}`) ? path : navMapServerTelemetry.unmatchedRoute;
  span.setAttribute('http.route', route);
  span.updateName(`${method} ${route}`);
}

function flushable(provider: unknown): { forceFlush(): Promise<void> } | undefined {
  const candidate = provider as { forceFlush?: unknown; getDelegate?: () => unknown } | undefined;
  if (typeof candidate?.forceFlush === 'function') return candidate as { forceFlush(): Promise<void> };
  if (typeof candidate?.getDelegate === 'function') return flushable(candidate.getDelegate());
  return undefined;
}

/**
 * Starts sending the server's telemetry to Application Insights through the Azure Monitor OpenTelemetry
 * distro: incoming requests (named after their route), outgoing calls as dependencies (Dataverse through `fetch`,
 * token requests through `@azure/identity`) and the custom events of `navMapServerTelemetry`. OpenTelemetry hooks
 * `http` when it is loaded, so call this before `express`, `@sdap/navmap-server` or anything that loads `http` is
 * imported; `navmap-server start` does it for you. Process-wide: a second call returns the first instance.
 *
 * @throws {NavMapError} `invalid_config` when the connection string has no InstrumentationKey.
 * @example
 * // first lines of the host's entry module
 * import { startNavMapTelemetry } from '@sdap/navmap-server/telemetry';
 * const telemetry = startNavMapTelemetry({ connectionString: process.env.APPLICATIONINSIGHTS_CONNECTION_STRING! });
 * const { createServer, loadConfig } = await import('@sdap/navmap-server');
 * const server = createServer(loadConfig(), { telemetry });
 */
export function startNavMapTelemetry(options: NavMapTelemetryOptions): NavMapTelemetry {
  if (started !== undefined) return started;
  if (typeof options?.connectionString !== 'string' || !/(^|;)\s*InstrumentationKey\s*=\s*[^;\s]+/i.test(options.connectionString)) {
    throw new NavMapError(
      'invalid_config',
      'Option `connectionString` must be an Application Insights connection string with an InstrumentationKey (InstrumentationKey=...;IngestionEndpoint=...).',
    );
  }
  process.env.OTEL_SERVICE_NAME ??= options.serviceName ?? 'navmap-server';
  const http = {
    enabled: true,
    applyCustomAttributesOnSpan: (span: Span, request: unknown) => nameIncomingRequest(span, request),
    // The distro itself leaves the exporter's uploads out.
    startOutgoingSpanHook: () => dependencyAttributes(),
  };
  const instrumentationOptions: InstrumentationOptions = {
    http,
    // The server uses none of these; leaving them on would only cost start-up time.
    azureSdk: { enabled: false },
    mongoDb: { enabled: false },
    mySql: { enabled: false },
    postgreSql: { enabled: false },
    redis: { enabled: false },
    bunyan: { enabled: false },
    winston: { enabled: false },
  };
  const azureMonitorOptions: AzureMonitorOpenTelemetryOptions = {
    azureMonitorExporterOptions: { connectionString: options.connectionString },
    enableLiveMetrics: options.enableLiveMetrics ?? false,
    instrumentationOptions,
  };
  useAzureMonitor(azureMonitorOptions);
  // Node's fetch is undici, which the distro does not instrument: Dataverse and JWKS requests go through it.
  const undici = new UndiciInstrumentation({ startSpanHook: () => dependencyAttributes() });
  undici.setTracerProvider(trace.getTracerProvider());
  undici.enable();
  const eventLogger = logs.getLogger('@sdap/navmap-server');

  const flush = async () => {
    await Promise.all([flushable(trace.getTracerProvider())?.forceFlush(), flushable(logs.getLoggerProvider())?.forceFlush()]);
  };
  let stopped: Promise<void> | undefined;
  started = {
    trackEvent(event: NavMapServerTelemetryEvent) {
      const measurements = Object.fromEntries(Object.entries(event.measurements).filter(([, value]) => typeof value === 'number' && Number.isFinite(value)));
      // The exporter turns a log record with this attribute into a customEvents row; body.measurements become
      // customMeasurements, the other attributes customDimensions.
      eventLogger.emit({ attributes: { 'microsoft.custom_event.name': event.name, ...event.properties }, body: { measurements } });
    },
    withDependencyTarget: (target, work) => dependencyTarget.run(target, work),
    flush,
    shutdown() {
      stopped ??= flush().then(async () => {
        undici.disable();
        await shutdownAzureMonitor();
      });
      return stopped;
    },
  };
  return started;
}
