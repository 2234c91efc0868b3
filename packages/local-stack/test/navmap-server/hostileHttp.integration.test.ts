import { describe, expect, it } from 'vitest';
import { stack, useLocalStackPerFile } from '../support/localStackPerFile.js';
import { RawConnection, rawExchange, type RawOutcome } from '../support/rawHttp.js';

/** What Node's HTTP parser refuses, slow clients and shutdown, over raw sockets: every refusal in the contract's error shape. */
useLocalStackPerFile();

const NAVMAP = '/api/pcf/dataverse-navmap?v=1';

function expectContractError(outcome: RawOutcome, status: number, code: string): void {
  expect(outcome.kind, JSON.stringify(outcome)).toBe('answered');
  if (outcome.kind !== 'answered') return;
  expect(outcome.response.status).toBe(status);
  expect(outcome.response.headers['content-type']).toMatch(/^application\/json/);
  expect(outcome.response.headers.connection).toBe('close');
  const body = JSON.parse(outcome.response.body) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(10);
}

describe("Node's own rejections answer in the contract's error shape", () => {
  it.each([
    ['a control character in a header value', `GET ${NAVMAP} HTTP/1.1\r\nHost: x\r\nX-Odd: a\u0001b\r\n\r\n`, 400],
    ['a header name that is not a token', `GET ${NAVMAP} HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n`, 400],
    ['headers over 16 KB', `GET ${NAVMAP} HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
    ['a lower-case method', `get ${NAVMAP} HTTP/1.1\r\nHost: x\r\n\r\n`, 400],
    ['an unknown protocol version', `GET ${NAVMAP} HTTP/9.9\r\nHost: x\r\n\r\n`, 400],
    ['a request line that is not HTTP', 'HELLO\r\n\r\n', 400],
  ])('%s', async (_name, request, status) => {
    const { url } = await stack.startServer();
    expectContractError(await rawExchange(Number(new URL(url).port), request), status, 'bad_request');
  });

  it('CONNECT gets 405 with Allow instead of a dropped connection', async () => {
    const { url } = await stack.startServer();
    const outcome = await rawExchange(Number(new URL(url).port), 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
    expectContractError(outcome, 405, 'bad_request');
    expect(outcome.kind === 'answered' ? outcome.response.headers.allow : undefined).toBe('GET, HEAD');
  });
});

describe('slow clients', () => {
  it('answers 408 in the contract shape to sockets that send their headers too slowly, within http.headersTimeoutSeconds', async () => {
    // The defaults: headers within 10 s, checked every second.
    const { url } = await stack.startServer();
    const port = Number(new URL(url).port);
    const connections = await Promise.all(Array.from({ length: 40 }, () => RawConnection.open(port)));
    const request = `GET ${NAVMAP} HTTP/1.1\r\nHost: x\r\nX-Slow: ${'a'.repeat(200)}`;
    let sent = 0;
    const drip = setInterval(() => {
      // One byte per connection every 100 ms: the headers never complete.
      for (const connection of connections) connection.write(request[sent % request.length] ?? 'a');
      sent += 1;
    }, 100);
    const started = Date.now();
    try {
      const outcomes = await Promise.all(connections.map((connection) => connection.exchange(undefined, { timeoutMs: 20_000 })));
      const heldMs = Date.now() - started;
      for (const outcome of outcomes) expectContractError(outcome, 408, 'timeout');
      // Node's defaults held such sockets for about 95 s; the limit is 10 s plus the 1 s check interval.
      expect(heldMs).toBeLessThan(15_000);
    } finally {
      clearInterval(drip);
      for (const connection of connections) connection.close();
    }
  });
});

describe('shutdown', () => {
  it('stops accepting, answers /readyz 503 while draining, answers requests on kept-alive connections with Connection: close', async () => {
    const { url, server } = await stack.startServer();
    await server.warmed;
    const port = Number(new URL(url).port);
    const token = await stack.callerToken();
    const probe = await RawConnection.open(port);
    const client = await RawConnection.open(port);
    const first = await client.exchange(`GET ${NAVMAP} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n\r\n`);
    expect(first.kind === 'answered' && first.response.status).toBe(200);
    expect((await probe.exchange('GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n')).kind).toBe('answered');

    const closed = server.close();
    // Both connections were idle when the shutdown began; their next requests are answered, not reset.
    const readiness = await probe.exchange('GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(readiness.kind).toBe('answered');
    if (readiness.kind === 'answered') {
      expect(readiness.response.status).toBe(503);
      expect(JSON.parse(readiness.response.body)).toMatchObject({ ready: false, status: 'draining' });
      expect(readiness.response.headers.connection).toBe('close');
    }
    const next = await client.exchange(`GET ${NAVMAP} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n\r\n`);
    expect(next.kind, JSON.stringify(next)).toBe('answered');
    if (next.kind === 'answered') {
      expect(next.response.status).toBe(200);
      expect(next.response.headers.connection).toBe('close');
      expect(next.closedAfter).toBe(true);
    }
    // No new connections.
    await expect(RawConnection.open(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await closed;
  });
});
