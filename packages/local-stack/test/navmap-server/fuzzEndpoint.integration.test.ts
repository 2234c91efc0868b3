import { navMapErrorCodes } from '@sdap/navmap-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalEnvironmentStack } from '../../src/index.js';
import { rawExchange, type RawOutcome } from '../support/rawHttp.js';

/**
 * The endpoint fuzzed over raw sockets: malformed and oversized headers, odd query strings and methods,
 * path variants and protocol oddities, thousands of cases from a fixed seed. It fails on any 5xx, any hang, any answer
 * that echoes a token, and any error answer outside the contract's `{ "error": { "code", "message" } }` shape.
 * `NAVMAP_FUZZ_SEED` and `NAVMAP_FUZZ_CASES` replay or widen a run.
 */
const SEED = Number(process.env.NAVMAP_FUZZ_SEED ?? 17);
const CASES = Number(process.env.NAVMAP_FUZZ_CASES ?? 3_000);
const PARALLEL = 12;
/** Longer than the server's 2 s header timeout plus its 1 s check interval: past this a request hangs. */
const HANG_MS = 6_000;

let stack: LocalEnvironmentStack;
let port: number;
let token: string;

beforeAll(async () => {
  stack = await startLocalStack({ navMapOnBff: false });
  const { url, server } = await stack.startServer({ logLevel: 'silent', http: { headersTimeoutSeconds: 2, requestTimeoutSeconds: 3 } });
  await server.warmed;
  port = Number(new URL(url).port);
  token = await stack.callerToken();
}, 60_000);
afterAll(() => stack.stop());

/** mulberry32: a small deterministic generator, so a failing case can be replayed from its seed and index. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface FuzzCase {
  readonly index: number;
  readonly bytes: Buffer;
  readonly bodyless: boolean;
  /** Tokens (or token-like strings) the case sent, none of which may come back. */
  readonly secrets: readonly string[];
}

function generateCase(index: number, random: () => number, validToken: string): FuzzCase {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const chance = (p: number) => random() < p;
  const garbage = (length: number) =>
    Array.from({ length }, () => String.fromCharCode(33 + Math.floor(random() * 94))).join('');
  const fakeToken = `eyJ${garbage(20).replace(/[^A-Za-z0-9]/g, 'x')}.${garbage(30).replace(/[^A-Za-z0-9]/g, 'y')}.${garbage(40).replace(/[^A-Za-z0-9]/g, 'z')}`;

  const method = chance(0.7)
    ? 'GET'
    : pick(['HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'get', 'Get', 'G3T', 'PROPFIND', 'CONNECT', 'M-SEARCH', 'GET GET', 'A'.repeat(40), '']);
  const base = chance(0.8)
    ? '/api/pcf/dataverse-navmap'
    : pick([
        '/api/pcf/dataverse-navmap/',
        '//api/pcf/dataverse-navmap',
        '/API/PCF/DATAVERSE-NAVMAP',
        '/api/pcf/%64ataverse-navmap',
        '/api/pcf/dataverse-navmap%2F',
        '/api/pcf/dataverse-navmap/..',
        '/api/pcf/../pcf/dataverse-navmap',
        '/api/pcf/dataverse-navmap%00',
        '/api/pcf/dataverse-navmap;v=1',
        '/%',
        '/%zz',
        '/%E0%A4%A',
        '/healthz',
        '/readyz',
        '/metrics',
        '/',
        '*',
        'http://127.0.0.1/api/pcf/dataverse-navmap',
        `/${'a'.repeat(Math.floor(random() * 9_000))}`,
        '/api/pcf/dataverse-navmap/\u00e9',
        '/api/pcf/dataverse-navmap#fragment',
      ]);
  const query = chance(0.4)
    ? '?v=1'
    : pick([
        '',
        '?',
        '?v=',
        '?v=2',
        '?v=1&v=1',
        '?v[]=1',
        '?v[a]=1',
        '?v=%00',
        '?v=%',
        '?v=%E0%A4%A',
        `?v=${'9'.repeat(Math.floor(random() * 6_000))}`,
        '?__proto__[polluted]=1&v=1',
        '?constructor[prototype][x]=1',
        '?v=1&' + Array.from({ length: 500 }, (_, i) => `p${i}=${i}`).join('&'),
        `?v=${encodeURIComponent(garbage(20))}`,
        '?v=1;drop',
        '?&&&=&=',
      ]);

  const secrets: string[] = [validToken.split('.')[1] ?? validToken, validToken.split('.')[2] ?? validToken];
  const headers: string[] = [];
  if (!chance(0.03)) headers.push('Host: 127.0.0.1');
  if (chance(0.02)) headers.push('Host: a', 'Host: b');
  const authorization = chance(0.5)
    ? `Bearer ${validToken}`
    : pick([
        undefined,
        `Bearer ${fakeToken}`,
        `bearer ${validToken}`,
        `Bearer  ${validToken}`,
        `Bearer ${validToken}==`,
        `Bearer ${validToken}.x`,
        `Bearer ${validToken.split('.').slice(0, 2).join('.')}.`,
        `Basic ${Buffer.from(`user:${fakeToken}`).toString('base64')}`,
        `Bearer ${'a'.repeat(Math.floor(random() * 12_000))}`,
        `Bearer ${fakeToken}\u0000`,
        'Bearer',
        `Token ${fakeToken}`,
      ]);
  if (authorization !== undefined) {
    headers.push(`Authorization: ${authorization}`);
    secrets.push(fakeToken);
    if (chance(0.05)) headers.push(`Authorization: Bearer ${fakeToken}`);
  }
  if (chance(0.2)) headers.push(`If-None-Match: ${pick(['*', '"x"', 'W/"x"', '"a", "b"', garbage(50), '', '"' + 'e'.repeat(300) + '"'])}`);
  if (chance(0.1)) headers.push(`Cache-Control: ${pick(['no-cache', 'NO-CACHE', 'max-age=0, no-cache', 'no-store', garbage(20)])}`);
  if (chance(0.15)) headers.push(`X-Request-Id: ${pick(['ok-1', garbage(20), 'a'.repeat(200), ''])}`);
  if (chance(0.1)) headers.push(`Origin: ${pick(['https://org.crm.dynamics.com', 'https://evil.example', 'null', garbage(30)])}`);
  if (chance(0.05)) headers.push(`X-Odd: a${String.fromCharCode(Math.floor(random() * 32))}b`);
  if (chance(0.04)) headers.push(`X-Big: ${'b'.repeat(17_000 + Math.floor(random() * 20_000))}`);
  if (chance(0.03)) headers.push(...Array.from({ length: 300 }, (_, i) => `X-Many-${i}: ${i}`));
  if (chance(0.03)) headers.push('Bad Header: 1');
  if (chance(0.03)) headers.push(' X-Folded: continuation');
  if (chance(0.03)) headers.push('Expect: 100-continue');
  if (chance(0.03)) headers.push('Upgrade: websocket', 'Connection: Upgrade');
  let body = '';
  if (chance(0.05)) {
    body = garbage(Math.floor(random() * 200));
    headers.push(`Content-Length: ${pick([String(body.length), String(body.length + 5), '-1', 'abc', `${body.length}, ${body.length}`])}`);
  }
  if (chance(0.03)) {
    headers.push('Transfer-Encoding: chunked');
    body = pick(['5\r\nhello\r\n0\r\n\r\n', 'zz\r\n', '0\r\n\r\n']);
  }
  const closes = chance(0.9);
  if (closes) headers.push('Connection: close');

  const version = chance(0.92) ? 'HTTP/1.1' : pick(['HTTP/1.0', 'HTTP/2.0', 'HTTP/0.9', 'HTTP/1.1 extra', 'http/1.1', '']);
  const newline = chance(0.97) ? '\r\n' : '\n';
  let text = `${method} ${base}${query} ${version}`.replace(/ +$/, '') + newline + headers.map((header) => header + newline).join('') + newline + body;
  // A few requests that never finish: the header timeout must answer them.
  if (chance(0.01)) text = text.slice(0, Math.max(5, Math.floor(text.length / 2)));
  // Pipelining: a second request behind the first.
  if (chance(0.02)) text += `GET /healthz HTTP/1.1${newline}Host: x${newline}Connection: close${newline}${newline}`;
  return { index, bytes: Buffer.from(text, 'latin1'), bodyless: method === 'HEAD', secrets };
}

interface Failure {
  readonly index: number;
  readonly request: string;
  readonly problem: string;
  readonly answer: string;
}

function check(fuzzCase: FuzzCase, outcome: RawOutcome): string | undefined {
  if (outcome.kind === 'hang') return `no answer within ${HANG_MS} ms`;
  if (outcome.kind === 'closed') return `connection closed without an answer${outcome.error ? ` (${outcome.error})` : ''}`;
  const { response } = outcome;
  if (!Number.isInteger(response.status)) return `not an HTTP response: ${response.raw.slice(0, 80)}`;
  if (response.status >= 500) return `answered ${response.status}: ${response.body.slice(0, 200)}`;
  for (const secret of fuzzCase.secrets) if (secret.length >= 20 && response.raw.includes(secret)) return 'the answer echoes a token';
  if (response.status >= 400) {
    if (!/^application\/json/.test(response.headers['content-type'] ?? '')) return `error ${response.status} without a JSON Content-Type`;
    if (fuzzCase.bodyless) return undefined;
    try {
      const body = JSON.parse(response.body) as { error?: { code?: unknown; message?: unknown } };
      if (typeof body.error?.message !== 'string' || !navMapErrorCodes.includes(body.error.code as never)) {
        return `error ${response.status} outside the contract shape: ${response.body.slice(0, 200)}`;
      }
    } catch {
      return `error ${response.status} with a body that is not JSON: ${response.body.slice(0, 200)}`;
    }
  }
  return undefined;
}

describe(`the endpoint under fuzzed requests (seed ${SEED}, ${CASES} cases)`, () => {
  it('answers every case, never 5xx, never echoing a token, every error in the contract shape', async () => {
    const random = createRandom(SEED);
    const cases = Array.from({ length: CASES }, (_, index) => generateCase(index, random, token));
    const failures: Failure[] = [];
    const statuses = new Map<number | string, number>();
    let next = 0;
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < cases.length) {
          const fuzzCase = cases[next++] as FuzzCase;
          const outcome = await rawExchange(port, fuzzCase.bytes, { timeoutMs: HANG_MS, bodyless: fuzzCase.bodyless });
          const key = outcome.kind === 'answered' ? outcome.response.status : outcome.kind;
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
          const problem = check(fuzzCase, outcome);
          if (problem !== undefined) {
            const answer = outcome.kind === 'answered' ? outcome.response.raw.slice(0, 300) : outcome.kind;
            failures.push({ index: fuzzCase.index, request: fuzzCase.bytes.toString('latin1').slice(0, 300).replaceAll(token, '<token>'), problem, answer });
          }
        }
      }),
    );
    console.log(`fuzz seed ${SEED}: ${CASES} cases, answers by status ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
    expect(failures.slice(0, 10), `${failures.length} failing case(s)`).toEqual([]);
    // The cases reached every kind of answer the endpoint gives, so the checks above checked something.
    expect([...statuses.keys()]).toEqual(expect.arrayContaining([200, 400, 401, 404]));
  }, 120_000);
});
