import type { Server } from 'node:http';
import type { Express } from 'express';
import { pino, type DestinationStream, type Logger } from 'pino';
import packageJson from '../../package.json';
import type { TokenVerifier } from '../auth/TokenVerifier.js';
import type { NavMapCache } from '../cache/NavMapCache.js';
import type { ServerConfig } from '../config/configSchema.js';
import { maskConfig, resolveServerConfig, type ResolvedServerConfig } from '../config/resolveServerConfig.js';
import { CONFIG_ENVIRONMENT_VARIABLES } from '../config/loadConfig.js';
import { logRedactPaths } from '../config/secrets.js';
import { createNavMapService, type NavMapServiceOptions } from '../service/createNavMapService.js';
import { createListener, drain, listenOn } from './createListener.js';
import { createMetricsApp, createServerApp } from './createServerApp.js';
import type { NavMapMetrics } from './createNavMapMetrics.js';

/** The package version `/healthz` reports. */
export const SERVER_VERSION: string = packageJson.version;

export interface CreateServerOptions extends Omit<NavMapServiceOptions, 'logger' | 'metrics'> {
  /** Where JSON logs go. @default stdout */
  readonly logDestination?: DestinationStream;
  /** Start loading the map at once. @default true */
  readonly warm?: boolean;
}

export interface ListeningAddress {
  readonly url: string;
  readonly port: number;
  /** Where `/metrics` is served when `metrics.port` is set. */
  readonly metricsUrl?: string;
}

/** A NavMap server: the Express app with its cache, verifier, metrics and logger. */
export interface NavMapServer {
  readonly config: ResolvedServerConfig;
  readonly app: Express;
  readonly cache: NavMapCache;
  readonly verifier: TokenVerifier;
  readonly metrics: NavMapMetrics;
  readonly logger: Logger;
  /** Settles after the warm-up load: true when a map was loaded. */
  readonly warmed: Promise<boolean>;
  /** Listens on `port`/`host` (default: the config's); resolves with the bound address. */
  listen(port?: number, host?: string): Promise<ListeningAddress>;
  /**
   * Graceful shutdown: stop accepting connections, answer `/readyz` 503 (`draining`) and every answer with
   * `Connection: close`, let requests in flight finish and idle keep-alive connections end at their keep-alive timeout
   * (up to `timeoutMs`, default `http.shutdownTimeoutSeconds`, then cut the rest), stop the cache's timers.
   */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

function createServerLogger(config: ResolvedServerConfig, destination: DestinationStream | undefined): Logger {
  return pino(
    {
      level: config.logLevel,
      base: { service: 'navmap-server', environment: config.environmentName },
      redact: { paths: logRedactPaths(Object.values(CONFIG_ENVIRONMENT_VARIABLES).map(({ key }) => key)), censor: '[redacted]' },
    },
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

/**
 * Builds the standalone NavMap server: `createNavMapService` (cache, verifier, endpoint) in an app with `/healthz`,
 * `/readyz`, `/metrics`, request ids, limits and pino logs, on a listener with the server's socket limits. The map
 * starts loading at once (warm at boot).
 *
 * @example
 * const server = createServer(loadConfig({ file: 'navmap.config.json' }));
 * const { url } = await server.listen();
 * process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
 */
export function createServer(config: ServerConfig | ResolvedServerConfig, options: CreateServerOptions = {}): NavMapServer {
  const resolved = resolveServerConfig(config);
  const logger = createServerLogger(resolved, options.logDestination);
  const service = createNavMapService(resolved, { ...options, logger });
  let closing = false;
  const { app, listener } = createServerApp(service, { logger, version: SERVER_VERSION, isClosing: () => closing });
  const servers: Server[] = [];

  logger.info({ config: maskConfig(resolved) }, 'NavMap server configured');
  if (resolved.telemetry.applicationInsightsConnectionString !== undefined && options.telemetry === undefined) {
    logger.warn(
      'telemetry.applicationInsightsConnectionString is set but no telemetry was started: call startNavMapTelemetry() from @sdap/navmap-server/telemetry before loading express and pass it as createServer(config, { telemetry }), or use navmap-server start',
    );
  }
  const warmed = options.warm === false ? Promise.resolve(false) : service.warm();

  return {
    config: resolved,
    app,
    cache: service.cache,
    verifier: service.verifier,
    metrics: service.metrics,
    logger,
    warmed,
    async listen(port = resolved.port, host = resolved.host) {
      const main = createListener(listener, resolved, service.metrics);
      servers.push(main);
      const url = await listenOn(main, port, host);
      let metricsUrl: string | undefined;
      if (resolved.metrics.port !== undefined) {
        const metricsServer = createListener(createMetricsApp(service), resolved, service.metrics);
        servers.push(metricsServer);
        metricsUrl = await listenOn(metricsServer, resolved.metrics.port, host);
      }
      logger.info({ url, ...(metricsUrl === undefined ? {} : { metricsUrl }) }, 'NavMap server listening');
      return { url, port: Number(new URL(url).port), ...(metricsUrl === undefined ? {} : { metricsUrl }) };
    },
    async close({ timeoutMs = resolved.http.shutdownTimeoutSeconds * 1000 } = {}) {
      closing = true;
      await Promise.all(servers.map((server) => drain(server, timeoutMs)));
      service.close();
      logger.info('NavMap server stopped');
      logger.flush();
    },
  };
}
