import { isNavMapError } from '@sdap/navmap-sdk';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { NavMapCacheEvent } from '../cache/NavMapCache.js';

/** The server's Prometheus metrics, all prefixed `navmap_`, in their own registry. */
export interface NavMapMetrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'route' | 'status'>;
  readonly httpDuration: Histogram<'route'>;
  readonly cacheEvents: Counter<'event'>;
  readonly dataverseRequests: Counter;
  readonly dataverseErrors: Counter<'code'>;
  readonly mapAgeSeconds: Gauge;
  /** Feeds cache events into the counters; pass as `NavMapCache`'s `onEvent`. */
  onCacheEvent(event: NavMapCacheEvent): void;
  /** Counts one answered request and its duration (the labelled series are looked up once per route and status). */
  observeRequest(route: string, status: number, seconds: number): void;
  /** Wraps `fetch` so every Dataverse request is counted. */
  countingFetch(fetchFunction: typeof globalThis.fetch): typeof globalThis.fetch;
}

/**
 * Creates the metrics: `navmap_http_requests_total{route,status}`, `navmap_http_request_duration_seconds{route}`,
 * `navmap_cache_events_total{event=hit|miss|refresh|refresh_failed|stale}`, `navmap_dataverse_requests_total`,
 * `navmap_dataverse_errors_total{code}`, `navmap_map_loaded_timestamp_seconds`, plus Node's default metrics.
 *
 * @example
 * const metrics = createNavMapMetrics();
 * app.get('/metrics', async (_req, res) => res.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
 */
export function createNavMapMetrics({ defaultMetrics = true }: { defaultMetrics?: boolean } = {}): NavMapMetrics {
  const registry = new Registry();
  if (defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'navmap_' });
  const httpRequests = new Counter({
    name: 'navmap_http_requests_total',
    help: 'HTTP requests answered, by route and status.',
    labelNames: ['route', 'status'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'navmap_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route.',
    labelNames: ['route'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const cacheEvents = new Counter({
    name: 'navmap_cache_events_total',
    help: 'NavMap cache events: hit, miss, refresh, refresh_failed, stale (a stale map served).',
    labelNames: ['event'] as const,
    registers: [registry],
  });
  const dataverseRequests = new Counter({
    name: 'navmap_dataverse_requests_total',
    help: 'HTTP requests sent to Dataverse.',
    registers: [registry],
  });
  const dataverseErrors = new Counter({
    name: 'navmap_dataverse_errors_total',
    help: 'Failed NavMap loads from Dataverse, by NavMap error code.',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  const mapAgeSeconds = new Gauge({
    name: 'navmap_map_loaded_timestamp_seconds',
    help: 'Unix time at which the served map was last read from Dataverse.',
    registers: [registry],
  });
  for (const event of ['hit', 'miss', 'refresh', 'refresh_failed', 'stale']) cacheEvents.inc({ event }, 0);
  // prom-client hashes the labels of every inc()/observe(); the hot path keeps the labelled children instead.
  const requestCounters = new Map<string, ReturnType<typeof httpRequests.labels>>();
  const requestDurations = new Map<string, ReturnType<typeof httpDuration.labels>>();
  const cacheEventCounters = new Map<string, ReturnType<typeof cacheEvents.labels>>();

  return {
    registry,
    httpRequests,
    httpDuration,
    cacheEvents,
    dataverseRequests,
    dataverseErrors,
    mapAgeSeconds,
    onCacheEvent(event) {
      let counter = cacheEventCounters.get(event.type);
      if (counter === undefined) cacheEventCounters.set(event.type, (counter = cacheEvents.labels({ event: event.type })));
      counter.inc();
      if (event.type === 'refresh') mapAgeSeconds.set(Date.now() / 1000);
      if (event.type === 'refresh_failed') dataverseErrors.inc({ code: isNavMapError(event.error) ? event.error.code : 'unknown' });
    },
    observeRequest(route, status, seconds) {
      const key = `${route} ${status}`;
      let counter = requestCounters.get(key);
      if (counter === undefined) requestCounters.set(key, (counter = httpRequests.labels({ route, status: String(status) })));
      counter.inc();
      let duration = requestDurations.get(route);
      if (duration === undefined) requestDurations.set(route, (duration = httpDuration.labels({ route })));
      duration.observe(seconds);
    },
    countingFetch(fetchFunction) {
      return (input, init) => {
        dataverseRequests.inc();
        return fetchFunction(input, init);
      };
    },
  };
}
