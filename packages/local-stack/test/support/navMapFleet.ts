// Shared test support, used by local-stack's integration tests and bench/multiInstance.bench.ts.
/**
 * A fleet of navmap-server replicas behind a load balancer, for tests and benches that need several instances. Each
 * replica is the built `@sdap/navmap-server` in its own process (`navMapInstanceProcess.ts`).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { ServerConfig } from '@sdap/navmap-server';
import { createProxyServer } from 'http-proxy-3';

/** One navmap-server replica in its own process. */
export interface NavMapInstance {
  readonly url: string;
  /** Graceful stop (SIGTERM: the server drains and exits). */
  stop(): Promise<void>;
  /** The Prometheus counter `navmap_dataverse_requests_total` of this instance. */
  dataverseRequests(): Promise<number>;
}

/** The bearer secret of the instances' `/metrics` (closed without one); `startNavMapFleet` puts it in their config. */
const FLEET_METRICS_TOKEN = 'navmap-fleet-metrics';

const INSTANCE_PROCESS = fileURLToPath(new URL('./navMapInstanceProcess.ts', import.meta.url));

/** Starts one replica from a config file (a real child process running createServer), warmed and listening. */
export function startNavMapInstance(configFile: string): Promise<NavMapInstance> {
  const child: ChildProcess = fork(INSTANCE_PROCESS, [configFile], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`navmap-server instance exited with ${code ?? 'a signal'} before listening`));
    child.once('exit', onExit);
    child.once('message', (message) => {
      child.off('exit', onExit);
      const { url } = message as { url: string };
      resolve({
        url,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
        async dataverseRequests() {
          const text = await (await fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${FLEET_METRICS_TOKEN}` } })).text();
          const line = /^navmap_dataverse_requests_total(?:\{[^}]*\})? (\d+)/m.exec(text);
          return line ? Number(line[1]) : 0;
        },
      });
    });
  });
}

/** What a proxy hook may do with an instance's answer before it reaches the client. */
export type ProxyResponseHook = (upstream: IncomingMessage, request: IncomingMessage, response: ServerResponse) => void;

export interface RoundRobinProxy {
  readonly url: string;
  /** Answers sent by each upstream index (a retried request counts where it was answered). */
  readonly answeredBy: number[];
  /** Connect errors that were retried on the next instance. */
  retries: number;
  /** Requests that failed on every instance (the proxy answered 502). */
  failures: number;
  /** Replaces every answer with what `hook` writes (for bad-input tests); `undefined` restores plain proxying. */
  setResponseHook(hook: ProxyResponseHook | undefined): void;
  close(): Promise<void>;
}

type TrackedRequest = IncomingMessage & { navMapTarget?: number };

const RETRIABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);

/**
 * A round-robin reverse proxy on loopback in front of the replicas, as a platform load balancer: http-proxy-3 does
 * the proxying; a connect error (an instance that stopped) is retried on the next instance, as App Service's front
 * end and Kubernetes Services with retries do for idempotent requests. Only GET/HEAD are retried.
 */
export async function startRoundRobinProxy(targets: readonly string[]): Promise<RoundRobinProxy> {
  // Keep-alive to the instances, as a platform load balancer keeps them (http-proxy-3's default is a new connection,
  // `Connection: close`, per request).
  const agent = new Agent({ keepAlive: true });
  const proxy = createProxyServer({ xfwd: true, proxyTimeout: 10_000, agent });
  let next = 0;
  let hook: ProxyResponseHook | undefined;
  const state = {
    answeredBy: targets.map(() => 0),
    retries: 0,
    failures: 0,
  };

  const forward = (request: TrackedRequest, response: ServerResponse, tried: ReadonlySet<number>): void => {
    let index = next++ % targets.length;
    // A retry goes to an instance this request has not tried yet, whatever other requests did to the rotation.
    while (tried.has(index)) index = (index + 1) % targets.length;
    const attempt = tried.size;
    request.navMapTarget = index;
    const current = hook;
    proxy.web(
      request,
      response,
      {
        target: targets[index] as string,
        selfHandleResponse: current !== undefined,
        // A retry cannot pipe the incoming request again (it has ended); a GET has no body to resend.
        ...(attempt > 0 ? { buffer: Readable.from([]) } : {}),
      },
      (error: NodeJS.ErrnoException) => {
        const retriable = (request.method === 'GET' || request.method === 'HEAD') && RETRIABLE.has(error.code ?? '') && !response.headersSent;
        if (retriable && attempt + 1 < targets.length) {
          state.retries++;
          forward(request, response, new Set([...tried, index]));
          return;
        }
        state.failures++;
        if (!response.headersSent) response.writeHead(502, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ error: { code: 'bad_gateway', message: `No instance answered: ${error.code ?? error.message}` } }));
      },
    );
  };

  proxy.on('proxyRes', (upstream: IncomingMessage, request: TrackedRequest, response: ServerResponse) => {
    const index = request.navMapTarget;
    if (index !== undefined) state.answeredBy[index] = (state.answeredBy[index] ?? 0) + 1;
    if (hook !== undefined) hook(upstream, request, response);
  });

  const server: Server = createServer((request, response) => forward(request, response, new Set()));
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get answeredBy() {
      return state.answeredBy;
    },
    get retries() {
      return state.retries;
    },
    get failures() {
      return state.failures;
    },
    setResponseHook(value) {
      hook = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        proxy.close();
        agent.destroy();
      }),
  } as RoundRobinProxy;
}

/** Several replicas of one configuration behind a round-robin proxy. */
export interface NavMapFleet {
  readonly instances: readonly NavMapInstance[];
  readonly proxy: RoundRobinProxy;
  /** Closes the proxy and stops every instance still running. */
  stop(): Promise<void>;
}

/**
 * Starts `count` replicas of `config` (each in its own process, from one config file, as a deployment's instances
 * share their app settings) behind a round-robin proxy. The fleet sets `metrics.bearerToken`, for `dataverseRequests()`.
 */
export async function startNavMapFleet(config: ServerConfig, count: number): Promise<NavMapFleet> {
  const directory = mkdtempSync(join(tmpdir(), 'navmap-fleet-'));
  const file = join(directory, 'config.json');
  writeFileSync(file, JSON.stringify({ ...config, metrics: { ...config.metrics, bearerToken: FLEET_METRICS_TOKEN } }));
  const instances = await Promise.all(Array.from({ length: count }, () => startNavMapInstance(file)));
  const proxy = await startRoundRobinProxy(instances.map((instance) => instance.url));
  return {
    instances,
    proxy,
    async stop() {
      await proxy.close();
      await Promise.all(instances.map((instance) => instance.stop()));
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
