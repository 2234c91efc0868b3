import { afterEach, describe, expect, it } from 'vitest';
import type { LocalEnvironmentStack } from '../../src/index.js';
import { stack, useLocalStackPerFile } from '../support/localStackPerFile.js';
import { startFakeDataverse, type FakeDataverse } from '../support/startFakeDataverse.js';
import { sleep, waitFor } from '../support/waitFor.js';

/**
 * What hostile or slow Dataverse answers do to callers and logs: Dataverse's own error text stays out of answers,
 * malformed metadata is refused, and a cold start does not wait forever. Callers get a code and a short reason within a
 * bounded wait, logs a truncated detail, and the last good map stays served.
 */
useLocalStackPerFile();
let dataverse: FakeDataverse;

afterEach(() => dataverse?.close());

const NAVMAP = '/api/pcf/dataverse-navmap?v=1';

async function startOnFake(overrides: Parameters<LocalEnvironmentStack['startServer']>[0] = {}) {
  dataverse = await startFakeDataverse(stack.environment.dataverseUrl, () => stack.dataverseToken());
  return stack.startServer({ dataverse: { url: dataverse.url, auth: { kind: 'none' } }, ...overrides });
}

describe('Dataverse error text', () => {
  it('answers callers the code and a short reason and logs a truncated detail when Dataverse answers a 5 MB error', async () => {
    const filler = 'x'.repeat(5_000_000);
    dataverse = await startFakeDataverse(stack.environment.dataverseUrl, () => stack.dataverseToken());
    dataverse.answer((_request, response) => {
      response.writeHead(500, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { code: '0x80040216', message: filler } }));
      return true;
    });
    const cold = await stack.startServer({ dataverse: { url: dataverse.url, auth: { kind: 'none' } } });
    await cold.server.warmed;
    const response = await fetch(`${cold.url}${NAVMAP}`, { headers: { Authorization: `Bearer ${await stack.callerToken()}` } });
    const text = await response.text();
    expect(response.status).toBe(503);
    expect(text.length).toBeLessThan(1_000);
    expect(text).not.toContain('xxxxxxxxxx');
    expect(text).not.toContain(dataverse.url);
    expect((JSON.parse(text) as { error: { code: string } }).error.code).toBe('server_unavailable');
    await waitFor(() => cold.logs.some((line) => line.includes('NavMap load failed')), 5_000, 'the load failure log line');
    for (const line of cold.logs) expect(line.length).toBeLessThan(16_384);
  });
});

describe('malformed metadata answers', () => {
  // Huge malformed answers (1 MB, or 7 KB of gzip that inflates to 2.5 million items) are the SDK's side: its schema
  // stops at the first problem and its body cap stops the read. This case keeps the server's side: the stale map stays
  // served while such refreshes fail.
  it('keeps serving the last good map when refreshes meet a malformed answer of 30,000 empty items', async () => {
    const { url, server } = await startOnFake({ cache: { ttlSeconds: 1, refreshAheadSeconds: 0, retrySeconds: 1, maxStaleSeconds: 300 } });
    expect(await server.warmed).toBe(true);
    const body = `{"value":[${'{},'.repeat(30_000)}{}]}`;
    dataverse.answer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
      return true;
    });
    await sleep(1_200);
    const headers = { Authorization: `Bearer ${await stack.callerToken()}` };
    const sources: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      const response = await fetch(`${url}${NAVMAP}`, { headers });
      expect(response.status).toBe(200);
      sources.push(response.headers.get('x-navmap-source') ?? '');
      await sleep(300);
    }
    expect(sources).toContain('stale');
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  }, 60_000);
});

describe('cold start', () => {
  it('answers every caller 503 with Retry-After within the cold-start bound while the first load goes on', async () => {
    await stack.admin.addFault({ target: 'metadata', kind: 'latency', latencyMs: 8_000 });
    const { url, server } = await stack.startServer();
    const headers = { Authorization: `Bearer ${await stack.callerToken()}` };
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 3 }, async () => {
        const response = await fetch(`${url}${NAVMAP}`, { headers });
        return { status: response.status, retryAfter: response.headers.get('retry-after'), ms: Date.now() - started };
      }),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(503);
      expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(answer.ms).toBeLessThan(5_000);
    }
    // The load went on in the background and the map arrives.
    expect(await server.warmed).toBe(true);
    expect((await fetch(`${url}${NAVMAP}`, { headers })).status).toBe(200);
  });
});
