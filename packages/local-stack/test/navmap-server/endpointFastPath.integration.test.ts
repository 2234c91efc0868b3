import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalEnvironmentStack, type RunningNavMapServer } from '../../src/index.js';
import { rawExchange, type RawResponse } from '../support/rawHttp.js';

/**
 * The standalone server answers GET/HEAD on its endpoint before Express (its listener's fast path); `server.app`
 * answers the same requests through Express, as when a BFF mounts it. Both must give the same answers.
 */
let stack: LocalEnvironmentStack;
let running: RunningNavMapServer;
let expressOnly: Server;
const ORIGIN = 'https://org.crm.dynamics.com';

beforeAll(async () => {
  stack = await startLocalStack({ navMapOnBff: false });
  running = await stack.startServer({ cors: { origins: [ORIGIN] } });
  await running.server.warmed;
  // As the server's own listener: the app, not Node, answers a request without Host.
  expressOnly = createHttpServer({ requireHostHeader: false }, running.server.app);
  await new Promise<void>((resolve) => expressOnly.listen(0, '127.0.0.1', resolve));
}, 60_000);
afterAll(async () => {
  await new Promise((resolve) => expressOnly.close(resolve));
  await stack.stop();
});

const portOf = (url: string) => Number(new URL(url).port);

async function ask(port: number, request: string, bodyless = false): Promise<RawResponse> {
  const outcome = await rawExchange(port, request, { bodyless });
  if (outcome.kind !== 'answered') throw new Error(`no answer on port ${port} to ${JSON.stringify(request.slice(0, 80))}: ${outcome.kind}`);
  return outcome.response;
}

/** What must match: status, body and headers, but not the date or a request id the server made up. */
function comparable(response: RawResponse, madeUpId: boolean) {
  const { date: _date, 'x-request-id': requestId, ...headers } = response.headers;
  return { status: response.status, body: response.body, headers, requestId: madeUpId ? /^[0-9a-f-]{36}$/.test(requestId ?? '') : requestId };
}

describe('the endpoint through the fast path and through Express', () => {
  it('answers every kind of request the same way', async () => {
    const token = await stack.callerToken();
    const fastPort = portOf(running.url);
    const expressPort = (expressOnly.address() as AddressInfo).port;
    const etag = (await fetch(`${running.url}/api/pcf/dataverse-navmap`, { headers: { Authorization: `Bearer ${token}` } })).headers.get('etag');
    expect(etag).toMatch(/^(W\/)?"/);

    const request = (target: string, headers: string[], method = 'GET') => `${method} ${target} HTTP/1.1\r\n${headers.map((header) => `${header}\r\n`).join('')}Connection: close\r\n\r\n`;
    const host = 'Host: 127.0.0.1';
    const auth = `Authorization: Bearer ${token}`;
    const cases: { name: string; request: string; bodyless?: boolean; madeUpId?: boolean; status: number }[] = [
      { name: 'a cache hit with ?v=1', request: request('/api/pcf/dataverse-navmap?v=1', [host, auth]), status: 200 },
      { name: 'a cache hit without a version', request: request('/api/pcf/dataverse-navmap', [host, auth, 'X-Request-Id: fast-path-1']), madeUpId: false, status: 200 },
      { name: 'an unsupported version', request: request('/api/pcf/dataverse-navmap?v=2', [host, auth]), status: 400 },
      { name: 'two versions', request: request('/api/pcf/dataverse-navmap?v=1&v=1', [host, auth]), status: 400 },
      { name: 'a matching If-None-Match', request: request('/api/pcf/dataverse-navmap?v=1', [host, auth, `If-None-Match: ${etag ?? ''}`]), status: 304 },
      { name: 'no token', request: request('/api/pcf/dataverse-navmap', [host]), status: 401 },
      { name: 'a token that is not a JWT', request: request('/api/pcf/dataverse-navmap', [host, 'Authorization: Bearer not-a-jwt']), status: 401 },
      { name: 'Basic credentials', request: request('/api/pcf/dataverse-navmap', [host, 'Authorization: Basic YTpi']), status: 401 },
      { name: 'HEAD', request: request('/api/pcf/dataverse-navmap?v=1', [host, auth], 'HEAD'), bodyless: true, status: 200 },
      { name: 'the allowed origin', request: request('/api/pcf/dataverse-navmap?v=1', [host, auth, `Origin: ${ORIGIN}`]), status: 200 },
      { name: 'a foreign origin', request: request('/api/pcf/dataverse-navmap?v=1', [host, auth, 'Origin: https://evil.example']), status: 200 },
      { name: 'HTTP/1.1 without Host', request: request('/api/pcf/dataverse-navmap', [auth]), status: 400 },
      { name: 'a URL over the limit', request: request(`/api/pcf/dataverse-navmap?v=1&pad=${'a'.repeat(8_200)}`, [host, auth]), status: 414 },
    ];
    for (const { name, request: bytes, bodyless = false, madeUpId = true, status } of cases) {
      const fast = await ask(fastPort, bytes, bodyless);
      const viaExpress = await ask(expressPort, bytes, bodyless);
      expect(fast.status, name).toBe(status);
      expect(comparable(fast, madeUpId), name).toEqual(comparable(viaExpress, madeUpId));
    }
  });

  it('leaves other methods and paths to the app', async () => {
    const port = portOf(running.url);
    const post = await ask(port, 'POST /api/pcf/dataverse-navmap HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD, OPTIONS');
    const upperCase = await ask(port, 'GET /API/PCF/DATAVERSE-NAVMAP HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    expect(upperCase.status).toBe(404);
    const trailingSlash = await ask(port, 'GET /api/pcf/dataverse-navmap/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    expect(trailingSlash.status).toBe(404);
  });

  it('keys the rate limit of callers without a token by the address trustProxy allows, on both paths', async () => {
    const limited = async (trustProxy: boolean | number) => {
      const { server, url } = await stack.startServer({ trustProxy, rateLimit: { enabled: true, windowSeconds: 60, max: 2 } });
      const viaExpress = createHttpServer({ requireHostHeader: false }, server.app);
      await new Promise<void>((resolve) => viaExpress.listen(0, '127.0.0.1', resolve));
      try {
        const statuses = async (port: number, forwardedFor: string) => {
          const seen: number[] = [];
          for (let attempt = 0; attempt < 3; attempt++) {
            seen.push((await ask(port, `GET /api/pcf/dataverse-navmap HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-For: ${forwardedFor}\r\nConnection: close\r\n\r\n`)).status);
          }
          return seen;
        };
        // Both listeners share the server's limiter; each check forwards an address not seen before.
        return {
          fast: [await statuses(portOf(url), '203.0.113.7'), await statuses(portOf(url), '203.0.113.8')],
          express: [await statuses((viaExpress.address() as AddressInfo).port, '203.0.113.9'), await statuses((viaExpress.address() as AddressInfo).port, '203.0.113.10')],
        };
      } finally {
        await new Promise((resolve) => viaExpress.close(resolve));
      }
    };
    // One proxy trusted: each forwarded address is a caller of its own (2 answers, then 429).
    expect(await limited(1)).toEqual({ fast: [[401, 401, 429], [401, 401, 429]], express: [[401, 401, 429], [401, 401, 429]] });
    // No proxy trusted: X-Forwarded-For is ignored and every request is the socket's address, 127.0.0.1.
    expect(await limited(false)).toEqual({ fast: [[401, 401, 429], [429, 429, 429]], express: [[429, 429, 429], [429, 429, 429]] });
  });
});
