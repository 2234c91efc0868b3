import { beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../support/waitFor.js';
import { stack, useLocalStackPerFile } from '../support/localStackPerFile.js';

/**
 * Dataverse faults while the endpoint is under load: every answer is the stale map or a documented 503, a forced
 * refresh answers within its bound, and the server recovers once the fault clears.
 */
useLocalStackPerFile();

beforeEach(async () => {
  await stack.admin.clearFaults();
  await stack.admin.reset();
});

/** `cache.forcedRefreshTimeoutSeconds` at its default. */
const FORCED_REFRESH_BOUND_MS = 3_000;

const faults = [
  ['8 s of latency', { target: 'metadata', kind: 'latency', latencyMs: 8_000 }],
  ['429 with Retry-After: 8', { target: 'metadata', kind: 'throttle', retryAfterSeconds: 8 }],
  ['503 answers', { target: 'metadata', kind: 'status', status: 503 }],
  ['an outage (connections reset)', { target: 'metadata', kind: 'outage' }],
  ['malformed metadata', { target: 'metadata', kind: 'malformed', body: 'wrong-shape' }],
] as const;

interface Answer {
  status: number;
  source: string | null;
  code?: string;
}

describe('Dataverse faults during load', () => {
  it.each(faults)('%s: stale map or a documented 503, a bounded forced refresh, recovery', async (_name, fault) => {
    const { url, server } = await stack.startServer({
      cache: { ttlSeconds: 2, refreshAheadSeconds: 1, retrySeconds: 1, maxStaleSeconds: 300, minForcedRefreshIntervalSeconds: 0 },
    });
    expect(await server.warmed).toBe(true);
    const headers = { Authorization: `Bearer ${await stack.callerToken()}` };
    const endpoint = `${url}/api/pcf/dataverse-navmap?v=1`;
    await expect(stack.admin.addFault(fault)).resolves.toMatchObject({ target: 'metadata', kind: fault.kind });

    // Load: 8 callers for 3.5 s, past the TTL, so refreshes meet the fault.
    const answers: Answer[] = [];
    const until = Date.now() + 3_500;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (Date.now() < until) {
          const response = await fetch(endpoint, { headers });
          const answer: Answer = { status: response.status, source: response.headers.get('x-navmap-source') };
          if (response.status !== 200) answer.code = ((await response.json()) as { error: { code: string } }).error.code;
          else await response.arrayBuffer();
          answers.push(answer);
        }
      }),
    );
    expect(answers.length).toBeGreaterThan(50);
    for (const answer of answers) {
      if (answer.status === 200) expect(['cache', 'stale']).toContain(answer.source);
      else expect(answer).toMatchObject({ status: 503, code: 'server_unavailable' });
    }
    expect(answers.some((answer) => answer.source === 'stale')).toBe(true);

    // A forced refresh while the fault lasts: the current map, marked as such, within the bound.
    const started = Date.now();
    const forced = await fetch(endpoint, { headers: { ...headers, 'Cache-Control': 'no-cache' } });
    const forcedMs = Date.now() - started;
    expect(forced.status).toBe(200);
    expect(forced.headers.get('x-navmap-source')).not.toBe('dataverse');
    expect(forcedMs).toBeLessThan(FORCED_REFRESH_BOUND_MS + 2_000);

    await stack.admin.clearFaults();
    await waitFor(
      async () => {
        const response = await fetch(endpoint, { headers });
        await response.arrayBuffer();
        return response.status === 200 && response.headers.get('x-navmap-source') === 'cache';
      },
      20_000,
      'a fresh map after the fault cleared',
    );
    expect(((await (await fetch(`${url}/readyz`)).json()) as { status: string }).status).toBe('ready');
  }, 45_000);
});
