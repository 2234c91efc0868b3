import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { NAVMAP_LIMITS } from '../contract/navMapLimits.js';
import { fetchNavMap, type FetchNavMapRequest } from './fetchNavMap.js';

describe('fetchNavMap', () => {
  const map = { version: '1', environment: 'https://org.crm.dynamics.com', childEntity: 'sprk_document', generatedAt: '2026-11-28T12:00:00.000Z', parents: {} };
  type Handler = (request: IncomingMessage, response: ServerResponse) => void;

  async function withServer<T>(handler: Handler, run: (endpoint: string) => Promise<T>): Promise<T> {
    const server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      return await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/pcf/dataverse-navmap?v=1`);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  const request = (endpoint: string, extra: Partial<FetchNavMapRequest> = {}): FetchNavMapRequest => ({ endpoint, getAccessToken: () => 'token', timeoutMs: 300, ...extra });

  it('sends the bearer token and If-None-Match, Cache-Control: no-cache only when asked, and reads map and ETag', async () => {
    const seen: Array<Record<string, string | boolean | undefined>> = [];
    const result = await withServer(
      (incoming, response) => {
        // As navmap-server reads it: the no-cache directive, not the `max-age=0` fetch adds for cache: 'no-cache'.
        const noCache = (incoming.headers['cache-control'] ?? '').split(',').some((directive) => directive.trim() === 'no-cache');
        seen.push({ authorization: incoming.headers.authorization, ifNoneMatch: incoming.headers['if-none-match'], noCache });
        response.writeHead(200, { 'content-type': 'application/json', etag: '"e2"' }).end(JSON.stringify(map));
      },
      async (endpoint) => [await fetchNavMap(request(endpoint, { etag: '"e1"' })), await fetchNavMap(request(endpoint, { noCache: true }))],
    );
    expect(result).toEqual([{ status: 200, map, etag: '"e2"' }, { status: 200, map, etag: '"e2"' }]);
    expect(seen).toEqual([
      { authorization: 'Bearer token', ifNoneMatch: '"e1"', noCache: false },
      { authorization: 'Bearer token', ifNoneMatch: undefined, noCache: true },
    ]);
  });

  it('maps 429 to rate_limited with Retry-After, 404 to not_found naming the endpoint, 503 to server_unavailable', async () => {
    const statuses = [429, 404, 503];
    const errors = await withServer(
      (_incoming, response) => {
        const status = statuses.shift() ?? 500;
        response.writeHead(status, { 'content-type': 'application/json', ...(status === 429 ? { 'retry-after': '12' } : {}) }).end('{"error":{"code":"x","message":"y"}}');
      },
      async (endpoint) => Promise.all([1, 2, 3].map(() => fetchNavMap(request(endpoint)).catch((error: unknown) => error))),
    );
    expect(errors).toEqual([
      expect.objectContaining({ code: 'rate_limited', details: { status: 429, retryAfterSeconds: 12 }, message: expect.stringContaining('answered 429 (retry after 12 s)') }),
      expect.objectContaining({ code: 'not_found', details: { status: 404 }, message: expect.stringContaining('404 for http://127.0.0.1:') }),
      expect.objectContaining({ code: 'server_unavailable', details: { status: 503 } }),
    ]);
  });

  it('times out on a server that stops in the middle of the body, within timeoutMs', async () => {
    const error = await withServer(
      (_incoming, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"version":"1",');
      },
      (endpoint) => fetchNavMap(request(endpoint)).catch((caught: unknown) => caught),
    );
    expect(error).toMatchObject({ name: 'NavMapError', code: 'timeout', message: 'The NavMap server did not answer within 300 ms.' });
  });

  it('reports an unreachable server as network_error and a body that is not JSON as invalid_response', async () => {
    let closedEndpoint = '';
    const notJson = await withServer(
      (_incoming, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('<html>Sign in</html>'),
      async (endpoint) => {
        closedEndpoint = endpoint;
        return fetchNavMap(request(endpoint)).catch((caught: unknown) => caught);
      },
    );
    expect(notJson).toMatchObject({ code: 'invalid_response', details: { status: 200 } });
    expect(await fetchNavMap(request(closedEndpoint)).catch((caught: unknown) => caught)).toMatchObject({ code: 'network_error' });
  });

  const sdapMap = { ...map, parents: { sprk_matter: { entitySet: 'sprk_matters', lookupAttribute: 'sprk_matter', navProperty: 'sprk_Matter', collectionNavProperty: 'sprk_matter_document' } } };
  const ok = (body: unknown, headers: Record<string, string> = {}): Handler => (_incoming, response) =>
    response.writeHead(200, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

  it('refuses a redirect to another server as invalid_response and never fetches its map', async () => {
    let evilRequests = 0;
    await withServer(
      (_incoming, response) => {
        evilRequests += 1;
        ok({ ...sdapMap, parents: { sprk_matter: { ...sdapMap.parents.sprk_matter, navProperty: 'sprk_EVIL' } } })(_incoming, response);
      },
      async (evil) => {
        for (const status of [301, 302, 303, 307, 308]) {
          const error = await withServer(
            (_incoming, response) => response.writeHead(status, { location: evil }).end(),
            (endpoint) => fetchNavMap(request(endpoint)).catch((caught: unknown) => caught),
          );
          expect(error).toMatchObject({ name: 'NavMapError', code: 'invalid_response', message: expect.stringContaining('redirect') });
        }
      },
    );
    expect(evilRequests).toBe(0);
  });

  it('accepts a 304 only for the ETag it sent', async () => {
    const answers: Array<Record<string, string>> = [{}, { etag: '"other"' }, { etag: 'W/"e1"' }];
    const results = await withServer(
      (_incoming, response) => response.writeHead(304, answers.shift() ?? {}).end(),
      async (endpoint) => [
        await fetchNavMap(request(endpoint)).catch((caught: unknown) => caught),
        await fetchNavMap(request(endpoint, { etag: '"e1"' })).catch((caught: unknown) => caught),
        await fetchNavMap(request(endpoint, { etag: '"e1"' })),
      ],
    );
    expect(results).toEqual([
      expect.objectContaining({ code: 'invalid_response', message: expect.stringContaining('304') }),
      expect.objectContaining({ code: 'invalid_response', message: expect.stringContaining('304') }),
      { status: 304 },
    ]);
  });

  it('drops an ETag that is not a valid header value, so the next request can still be sent', async () => {
    const result = await withServer(ok(sdapMap, { etag: 'not a "quoted" tag' }), (endpoint) => fetchNavMap(request(endpoint)));
    expect(result).toMatchObject({ status: 200, etag: null });
  });

  it('refuses a body over NAVMAP_LIMITS.responseBytes after decompression, naming the limit', async () => {
    const huge = gzipSync(JSON.stringify({ ...sdapMap, environment: 'x'.repeat(NAVMAP_LIMITS.responseBytes) }));
    const error = await withServer(
      (_incoming, response) => response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(huge),
      (endpoint) => fetchNavMap(request(endpoint, { timeoutMs: 5000 })).catch((caught: unknown) => caught),
    );
    expect(huge.length).toBeLessThan(NAVMAP_LIMITS.responseBytes / 100);
    expect(error).toMatchObject({ code: 'invalid_response', message: expect.stringContaining('limit `responseBytes`') });
  });

  it('reports a malformed token as unauthorized before any request, and a cut body as a body that ended early', async () => {
    let requests = 0;
    const [badToken, cut] = await withServer(
      (_incoming, response) => {
        requests += 1;
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        response.write('{"version":"1",', () => response.socket?.destroy());
      },
      async (endpoint) => [
        await fetchNavMap(request(endpoint, { getAccessToken: () => 'abc\r\nx-evil: 1' })).catch((caught: unknown) => caught),
        await fetchNavMap(request(endpoint, { timeoutMs: 5000 })).catch((caught: unknown) => caught),
      ],
    );
    expect(badToken).toMatchObject({ code: 'unauthorized', message: expect.stringContaining('not a bearer token') });
    expect(cut).toMatchObject({ code: 'invalid_response', message: expect.stringContaining('before the body ended') });
    expect(requests).toBe(1);
  });

  it('quotes and cuts an error body, and prints an absurd Retry-After as one week', async () => {
    const error = await withServer(
      (_incoming, response) => response.writeHead(429, { 'retry-after': '9'.repeat(400) }).end(`x\n[NavMapClient] Layer 1 SUCCESS${'y'.repeat(5000)}`),
      (endpoint) => fetchNavMap(request(endpoint)).catch((caught: unknown) => caught),
    );
    expect(error).toMatchObject({ code: 'rate_limited', details: { retryAfterSeconds: 604_800 } });
    expect((error as Error).message).not.toContain('\n');
    expect((error as Error).message).toContain('(retry after 604800 s)');
    expect((error as Error).message.length).toBeLessThan(400);
  });
});
