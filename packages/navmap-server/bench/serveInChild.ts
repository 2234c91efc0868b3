/**
 * Runs one server in its own process for the bench, so the server and autocannon do not share a core:
 * `navmap` starts the built NavMap server from a config file; `embedded` mounts `createNavMapService`'s handlers from
 * the same file on a plain Express 5 app, as a BFF does; `bare` starts a node:http server that answers every
 * request with the same bytes and headers (read from a JSON file); `express` the same bytes from a one-route Express 5
 * app. The parent receives `{ url }` over IPC and stops the child with SIGTERM. `NAVMAP_BENCH_SERVER=<dist/index.js>`
 * benches another build of the NavMap server (a file URL or path) under the same harness.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type * as ServerModule from '../dist/index.js';

const mode = process.argv[2];

// The bench asks each server for its resident set size and CPU time as it runs.
process.on('message', (message) => {
  if (message === 'rss') process.send?.({ rss: process.memoryUsage.rss() });
  if (message === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send?.({ cpuMicroseconds: user + system });
  }
});

async function main(): Promise<void> {
  if (mode === 'navmap') {
    // NAVMAP_BENCH_SERVER: another build's dist/index.js (main's, say), to compare it under the same harness and load.
    const build = process.env.NAVMAP_BENCH_SERVER ?? new URL('../dist/index.js', import.meta.url).href;
    const { createServer, loadConfig } = (await import(build)) as typeof ServerModule;
    const server = createServer(loadConfig({ file: process.argv[3] }));
    await server.warmed;
    const { url } = await server.listen();
    process.send?.({ url });
    process.once('SIGTERM', () => void server.close({ timeoutMs: 1_000 }).then(() => process.exit(0)));
    return;
  }
  if (mode === 'embedded') {
    // The endpoint as a BFF embeds it: createNavMapService's handlers on a plain Express 5 app, nothing else.
    const build = process.env.NAVMAP_BENCH_SERVER ?? new URL('../dist/index.js', import.meta.url).href;
    const { createNavMapService, loadConfig, mountNavMapHandlers } = (await import(build)) as typeof ServerModule;
    const service = createNavMapService(loadConfig({ file: process.argv[3] }));
    await service.warm();
    const app = express();
    mountNavMapHandlers(app, service.handlers);
    const server = app.listen(0, '127.0.0.1', () => {
      process.send?.({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    });
    process.once('SIGTERM', () => {
      service.close();
      server.close();
      server.closeAllConnections();
      process.exit(0);
    });
    return;
  }
  if (mode === 'bare') {
    const { body, headers } = JSON.parse(readFileSync(process.argv[3] as string, 'utf8')) as { body: string; headers: Record<string, string> };
    const bytes = Buffer.from(body);
    const server = createHttpServer((_request, response) => {
      response.writeHead(200, headers);
      response.end(bytes);
    });
    server.listen(0, '127.0.0.1', () => {
      process.send?.({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    });
    process.once('SIGTERM', () => {
      server.close();
      server.closeAllConnections();
      process.exit(0);
    });
    return;
  }
  if (mode === 'express') {
    // The floor of any Express 5 app: one route answering the same bytes, no middleware.
    const { body, headers } = JSON.parse(readFileSync(process.argv[3] as string, 'utf8')) as { body: string; headers: Record<string, string> };
    const bytes = Buffer.from(body);
    const app = express();
    app.get('/api/pcf/dataverse-navmap', (_request, response) => {
      response.writeHead(200, headers);
      response.end(bytes);
    });
    const server = app.listen(0, '127.0.0.1', () => {
      process.send?.({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/pcf/dataverse-navmap?v=1` });
    });
    process.once('SIGTERM', () => {
      server.close();
      server.closeAllConnections();
      process.exit(0);
    });
    return;
  }
  throw new Error(`unknown mode ${mode ?? ''}`);
}

void main();
