import { describe, expect, it } from 'vitest';
import { SERVER_VERSION } from '@sdap/navmap-server';
import { stack, useLocalStackPerFile } from '../support/localStackPerFile.js';

/** Operations: health, readiness, metrics, CORS, request ids, rate limiting and what the logs hold. */
useLocalStackPerFile();

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('operations (local environment)', () => {
  it('D1: /healthz answers with the package version; /readyz turns true once the map exists', async () => {
    await stack.admin.addFault({ target: 'metadata', kind: 'latency', latencyMs: 800, count: 2 });
    const { url, server } = await stack.startServer();
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', version: SERVER_VERSION });
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    expect(await server.warmed).toBe(true);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true });
    await stack.admin.clearFaults();
  });

  it('gets its Dataverse token with @azure/identity ClientSecretCredential from the local identity provider', async () => {
    const { server } = await stack.startServer({ parents: ['sprk_matter'] });
    expect(await server.warmed).toBe(true);
    expect(server.cache.peek()?.map.parents.sprk_matter?.navProperty).toBe('sprk_Matter');
  });

  it('exports Prometheus metrics: requests by status, latency, cache events, Dataverse calls', async () => {
    const { url, server } = await stack.startServer({ metrics: { bearerToken: 'operations-metrics-secret' } });
    await server.warmed;
    const token = await stack.callerToken();
    await fetch(`${url}/api/pcf/dataverse-navmap`, { headers: bearer(token) });
    await fetch(`${url}/api/pcf/dataverse-navmap`);
    const response = await fetch(`${url}/metrics`, { headers: { Authorization: 'Bearer operations-metrics-secret' } });
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const metrics = await response.text();
    expect(metrics).toMatch(/navmap_http_requests_total\{route="navmap",status="200"\} 1/);
    expect(metrics).toMatch(/navmap_http_requests_total\{route="navmap",status="401"\} 1/);
    expect(metrics).toMatch(/navmap_http_request_duration_seconds_bucket\{le="0.005",route="navmap"\}/);
    expect(metrics).toMatch(/navmap_cache_events_total\{event="hit"\} 1/);
    expect(metrics).toMatch(/navmap_cache_events_total\{event="refresh"\} 1/);
    expect(metrics).toMatch(/navmap_dataverse_requests_total 2/);
    expect(metrics).toMatch(/navmap_dataverse_errors_total/);
  });

  it('CORS: allows the configured Dataverse origin only, including the preflight', async () => {
    const origin = 'https://org.crm.dynamics.com';
    const { url } = await stack.startServer({ cors: { origins: [origin] } });
    const preflight = await fetch(`${url}/api/pcf/dataverse-navmap`, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/i);
    const allowed = await fetch(`${url}/api/pcf/dataverse-navmap`, { headers: { Origin: origin, ...bearer(await stack.callerToken()) } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(origin);
    expect(allowed.headers.get('access-control-expose-headers')).toMatch(/X-NavMap-Source/);
    expect(allowed.headers.get('vary')).toMatch(/Origin/);
    expect(allowed.headers.get('vary')).toMatch(/Authorization/);
    const foreign = await fetch(`${url}/api/pcf/dataverse-navmap`, { headers: { Origin: 'https://evil.example', ...bearer(await stack.callerToken()) } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers an unknown path with 404 not_found', async () => {
    const { url } = await stack.startServer();
    const response = await fetch(`${url}/api/pcf/other`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'not_found', message: expect.stringContaining('/api/pcf/dataverse-navmap') as string } });
  });

  it('names the Dataverse URL as the map environment; environmentName is only a label (healthz, logs)', async () => {
    const { url, server, logs } = await stack.startServer({ environmentName: 'production-weu' });
    await server.warmed;
    const response = await fetch(`${url}/api/pcf/dataverse-navmap`, { headers: bearer(await stack.callerToken()) });
    const map = (await response.json()) as { environment: string };
    expect(map.environment).toBe(new URL(stack.environment.dataverseUrl).origin);
    expect(await (await fetch(`${url}/healthz`)).json()).toMatchObject({ environment: 'production-weu' });
    expect(logs.some((line) => (JSON.parse(line) as { environment?: string }).environment === 'production-weu')).toBe(true);
  });

  it('passes a valid X-Request-Id through and makes one up otherwise', async () => {
    const { url } = await stack.startServer();
    const echoed = await fetch(`${url}/healthz`, { headers: { 'X-Request-Id': 'req-123.abc' } });
    expect(echoed.headers.get('x-request-id')).toBe('req-123.abc');
    const invented = await fetch(`${url}/healthz`, { headers: { 'X-Request-Id': 'bad id with spaces' } });
    expect(invented.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('429 with Retry-After from the rate limiter, per caller', async () => {
    const { url } = await stack.startServer({ rateLimit: { enabled: true, max: 3, windowSeconds: 60 } });
    const headers = bearer(await stack.callerToken());
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let index = 0; index < 5; index++) {
      const response = await fetch(`${url}/api/pcf/dataverse-navmap`, { headers });
      statuses.push(response.status);
      if (response.status === 429) limited ??= response;
      else await response.arrayBuffer();
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited?.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    const limitedBody = (await limited?.json()) as { error: { code: string; message: string } };
    expect(limitedBody.error.code).toBe('rate_limited');
    expect(limitedBody.error.message).toMatch(/Too many requests/);
    // Another caller (here: no token, so its IP) has its own budget.
    expect((await fetch(`${url}/api/pcf/dataverse-navmap`)).status).toBe(401);
  });

  it('logs JSON lines with request ids and never a token or a secret', async () => {
    const { url, logs, server } = await stack.startServer({ logLevel: 'debug' });
    await server.warmed;
    const token = await stack.callerToken();
    await fetch(`${url}/api/pcf/dataverse-navmap`, { headers: { ...bearer(token), 'X-Request-Id': 'log-test-1', Cookie: 'session=abc123' } });
    await fetch(`${url}/api/pcf/dataverse-navmap`, { headers: bearer(`${token}x`) });
    await server.close();
    const lines = logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.some((line) => (line.req as { id?: string } | undefined)?.id === 'log-test-1')).toBe(true);
    expect(lines.some((line) => line.msg === 'NavMap loaded from Dataverse')).toBe(true);
    const all = logs.join('\n');
    expect(all).not.toContain(token.split('.')[2]);
    expect(all).not.toContain(token.split('.')[1]);
    expect(all).not.toContain(stack.serverClient.clientSecret);
    expect(all).not.toContain('abc123');
    expect(all).toMatch(/"clientSecret":"(\*{8}|\[redacted\])"/);
  });
});
