import { beforeAll, describe, expect, it } from 'vitest';
import { stack, useLocalStackPerFile } from '../support/localStackPerFile.js';
import { RawConnection, rawExchange, type RawOutcome } from '../support/rawHttp.js';
import { waitFor } from '../support/waitFor.js';

/**
 * Abuse of the standalone server over raw sockets: pipelining floods, out-of-order answers, log floods and strict
 * routing; each must cost the server a bounded amount of work.
 */
useLocalStackPerFile();
let token: string;

beforeAll(async () => {
  token = await stack.callerToken();
});

const NAVMAP = '/api/pcf/dataverse-navmap?v=1';
const portOf = (url: string) => Number(new URL(url).port);
const get = (path: string, headers = '') => `GET ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n${headers}\r\n`;

function errorOf(outcome: RawOutcome): { status: number; code: string; headers: Readonly<Record<string, string>> } {
  expect(outcome.kind, JSON.stringify(outcome).slice(0, 500)).toBe('answered');
  if (outcome.kind !== 'answered') throw new Error('not answered');
  expect(outcome.response.headers['content-type']).toMatch(/^application\/json/);
  const body = JSON.parse(outcome.response.body) as { error: { code: string; message: string } };
  return { status: outcome.response.status, code: body.error.code, headers: outcome.response.headers };
}

describe('pipelining', () => {
  it('closes a connection that queues more unanswered requests than the server works on per connection', async () => {
    const { url, server } = await stack.startServer();
    await server.warmed;
    const connection = await RawConnection.open(portOf(url));
    // 500 pipelined requests in one write, never read while they are sent: the shape of the flood.
    connection.write(get(NAVMAP).repeat(500));
    await waitFor(() => connection.ended, 10_000, 'the server to close the flooding connection');
    let answered = 0;
    for (;;) {
      const outcome = await connection.exchange(undefined, { timeoutMs: 200 });
      if (outcome.kind !== 'answered') break;
      answered += 1;
    }
    expect(answered).toBeLessThan(500);
    // Another caller is answered at once.
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('limits unknown paths and the cheap routes per IP address when the rate limit is on', async () => {
    const { url } = await stack.startServer({ rateLimit: { enabled: true, windowSeconds: 60, max: 20 } });
    const statuses: number[] = [];
    for (let index = 0; index < 30; index += 1) statuses.push((await fetch(`${url}/no-such-path-${index}`)).status);
    expect(statuses.slice(0, 20).every((status) => status === 404)).toBe(true);
    expect(statuses.slice(20).every((status) => status === 429)).toBe(true);
    const limited = await fetch(`${url}/no-such-path`);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
  });
});

describe('out-of-order answers on a pipelined connection', () => {
  it.each([
    ['a malformed header', 'GET / HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n'],
    ['oversized headers', `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`],
  ])('a valid request followed by %s: the valid one is answered first, the bad one never', async (_name, bad) => {
    const { url, server } = await stack.startServer();
    await server.warmed;
    const connection = await RawConnection.open(portOf(url));
    const first = await connection.exchange(get(NAVMAP) + bad, { timeoutMs: 5_000 });
    expect(first.kind).toBe('answered');
    expect(first.kind === 'answered' ? first.response.status : 0).toBe(200);
    const second = await connection.exchange(undefined, { timeoutMs: 2_000 });
    expect(second.kind).toBe('closed');
    connection.close();
  });
});

describe('logs', () => {
  it('logs a bounded path for requests to unknown paths', async () => {
    const { url, logs } = await stack.startServer();
    const long = `/unknown/${'a'.repeat(7_000)}`;
    for (let index = 0; index < 20; index += 1) expect((await fetch(`${url}${long}`)).status).toBe(404);
    await waitFor(() => logs.some((line) => line.includes('/unknown/')), 5_000, 'the request log lines');
    const requestLines = logs.filter((line) => line.includes('/unknown/'));
    for (const line of requestLines) expect(line.length).toBeLessThan(1_024);
  });
});

describe('strict routing and HTTP edge answers', () => {
  it.each([
    ['an upper-case path', '/API/PCF/DATAVERSE-NAVMAP?v=1'],
    ['a trailing slash', '/api/pcf/dataverse-navmap/?v=1'],
  ])('%s is not the endpoint (404)', async (_name, path) => {
    const { url } = await stack.startServer();
    expect(errorOf(await rawExchange(portOf(url), get(path))).status).toBe(404);
  });

  it('answers other methods on the endpoint 405 with Allow', async () => {
    const { url } = await stack.startServer();
    const outcome = errorOf(await rawExchange(portOf(url), `POST ${NAVMAP} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n`));
    expect(outcome.status).toBe(405);
    expect(outcome.code).toBe('bad_request');
    expect(outcome.headers.allow).toBe('GET, HEAD');
  });

  it('answers an Expect it cannot meet 417 in the contract shape', async () => {
    const { url } = await stack.startServer();
    const outcome = errorOf(await rawExchange(portOf(url), get(NAVMAP, 'Expect: x\r\n')));
    expect(outcome.status).toBe(417);
    expect(outcome.code).toBe('bad_request');
  });

  it.each([
    ['9 KB', 9_000],
    ['17 KB', 17_000],
  ])('answers a %s URL 414', async (_name, length) => {
    const { url } = await stack.startServer();
    const outcome = errorOf(await rawExchange(portOf(url), get(`${NAVMAP}&x=${'a'.repeat(length)}`)));
    expect(outcome.status).toBe(414);
    expect(outcome.code).toBe('bad_request');
  });
});
