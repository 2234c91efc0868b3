import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { NAVMAP_LIMITS } from '../contract/navMapLimits.js';
import { dataverseGet, type DataverseRequestOptions } from './dataverseRequest.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function serve(listener: RequestListener): Promise<{ url: string; requests: () => number }> {
  let count = 0;
  const server = createServer((request, response) => {
    count += 1;
    listener(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/data/v9.2/EntityDefinitions`, requests: () => count };
}

const options: DataverseRequestOptions = { fetch: globalThis.fetch, token: 'token', timeoutMs: 5000, signal: undefined, maxThrottleRetries: 0, maxThrottleWaitMs: 0 };

describe('dataverseGet against hostile answers', () => {
  it('refuses a redirect to another host as invalid_response and never reads that host', async () => {
    const evil = await serve((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"value":[{"SchemaName":"sprk_EVIL_FROM_OTHER_HOST"}]}'));
    for (const status of [301, 302, 307, 308]) {
      const dataverse = await serve((_request, response) => response.writeHead(status, { location: evil.url }).end());
      const error = await dataverseGet(dataverse.url, options).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'invalid_response', message: expect.stringContaining('redirect') });
    }
    expect(evil.requests()).toBe(0);
  });

  it('refuses a gzip answer that inflates past NAVMAP_LIMITS.dataverseResponseBytes, naming the limit', async () => {
    const bomb = gzipSync(`{"value":[${'{},'.repeat(NAVMAP_LIMITS.dataverseResponseBytes / 3)}{}]}`);
    const dataverse = await serve((_request, response) => response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(bomb));
    const error = await dataverseGet(dataverse.url, options).catch((caught: unknown) => caught);
    expect(bomb.length).toBeLessThan(100_000);
    expect(error).toMatchObject({ code: 'invalid_response', message: expect.stringContaining('limit `dataverseResponseBytes`') });
  });

  it('carries a bounded, quoted part of a huge Dataverse error message', async () => {
    const message = `first line\n${'x'.repeat(5_000_000)}`;
    const dataverse = await serve((_request, response) => response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: '0x80040216', message } })));
    const error = (await dataverseGet(dataverse.url, options).catch((caught: unknown) => caught)) as Error;
    expect(error).toMatchObject({ code: 'dataverse_error', details: { status: 500 } });
    expect(error.message.length).toBeLessThan(1000);
    expect(error.message).not.toContain('\n');
  });
});
