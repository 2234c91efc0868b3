import { beforeEach, describe, expect, it } from 'vitest';
import { createServer } from '@sdap/navmap-server';
import { waitFor } from '../support/waitFor.js';
import { stack, useLocalStackPerFile } from '../support/localStackPerFile.js';

/** Readiness that tells the truth, and what unauthenticated callers may see (no Dataverse URL, no metrics without a secret). */
useLocalStackPerFile();

beforeEach(() => stack.admin.clearFaults());

interface Readiness {
  ready: boolean;
  status: string;
  generatedAt?: string;
  ageSeconds?: number;
  servableForSeconds?: number;
  reason?: string;
}

async function readiness(url: string): Promise<{ status: number; body: Readiness; text: string }> {
  const response = await fetch(`${url}/readyz`);
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as Readiness, text };
}

/** Nothing of the upstream: no Dataverse host, no OData query, no upstream message. */
function expectNoUpstreamDetail(text: string): void {
  expect(text).not.toContain(new URL(stack.environment.dataverseUrl).host);
  expect(text).not.toMatch(/EntityDefinitions|\$filter|\$select|api\/data/);
}

describe('/readyz', () => {
  it('says ready, then degraded with the map age while refreshes fail, then not ready naming the expired map, then ready again', async () => {
    const { url, server } = await stack.startServer({ cache: { ttlSeconds: 2, refreshAheadSeconds: 1, retrySeconds: 1, maxStaleSeconds: 4 } });
    expect(await server.warmed).toBe(true);
    const ready = await readiness(url);
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ ready: true, status: 'ready' });
    expect(ready.body.ageSeconds).toBeGreaterThanOrEqual(0);

    await stack.admin.addFault({ target: 'metadata', kind: 'status', status: 500 });
    await waitFor(async () => (await readiness(url)).body.status === 'degraded', 8_000, '/readyz to say degraded');
    const degraded = await readiness(url);
    expect(degraded.status).toBe(200);
    expect(degraded.body.ready).toBe(true);
    expect(degraded.body.ageSeconds).toBeGreaterThanOrEqual(2);
    expect(degraded.body.servableForSeconds).toBeLessThanOrEqual(4);
    expectNoUpstreamDetail(degraded.text);

    await waitFor(async () => (await readiness(url)).status === 503, 10_000, '/readyz to say not ready');
    const expired = await readiness(url);
    expect(expired.body).toMatchObject({ ready: false, status: 'not_ready' });
    expect(expired.body.reason).toMatch(/maxStaleSeconds/);
    expect(expired.body.reason).not.toMatch(/yet/);
    expect(expired.body.generatedAt).toBe(ready.body.generatedAt);
    expectNoUpstreamDetail(expired.text);
    const answer = await fetch(`${url}/api/pcf/dataverse-navmap?v=1`, { headers: { Authorization: `Bearer ${await stack.callerToken()}` } });
    expect(answer.status).toBe(503);
    const error = (await answer.json()) as { error: { code: string; message: string } };
    expect(error.error.code).toBe('server_unavailable');
    expect(error.error.message).toMatch(/expired more than `cache.maxStaleSeconds`/);
    expect(error.error.message).not.toMatch(/available yet/);

    await stack.admin.clearFaults();
    await waitFor(async () => (await readiness(url)).body.status === 'ready', 8_000, '/readyz to say ready again');
  });

  it('keeps the Dataverse URL and query out of its answer when no map was ever loaded (the logs have them)', async () => {
    await stack.admin.addFault({ target: 'metadata', kind: 'status', status: 500 });
    const { url, server, logs } = await stack.startServer({ cache: { retrySeconds: 1 } });
    expect(await server.warmed).toBe(false);
    const notReady = await readiness(url);
    expect(notReady.status).toBe(503);
    expect(notReady.body).toMatchObject({ ready: false, status: 'not_ready' });
    expectNoUpstreamDetail(notReady.text);
    expect(logs.some((line) => line.includes('NavMap load failed'))).toBe(true);
  });
});

describe('/metrics', () => {
  it('is not served without metrics.bearerToken or metrics.port', async () => {
    const { url } = await stack.startServer();
    const response = await fetch(`${url}/metrics`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('answers only the configured bearer secret', async () => {
    const secret = 'metrics-secret-0123456789';
    const { url } = await stack.startServer({ metrics: { bearerToken: secret } });
    const anonymous = await fetch(`${url}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'unauthorized' });
    expect((await fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${secret}x` } })).status).toBe(401);
    const allowed = await fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${secret}` } });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toMatch(/navmap_http_requests_total/);
  });

  it('moves to metrics.port, off the main port', async () => {
    const server = createServer(stack.serverConfig({ logLevel: 'silent', metrics: { port: 0 } }));
    try {
      const { url, metricsUrl } = await server.listen();
      expect(metricsUrl).toBeDefined();
      expect((await fetch(`${url}/metrics`)).status).toBe(404);
      const scraped = await fetch(`${metricsUrl}/metrics`);
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toMatch(/navmap_http_requests_total/);
    } finally {
      await server.close({ timeoutMs: 1_000 });
    }
  });
});
