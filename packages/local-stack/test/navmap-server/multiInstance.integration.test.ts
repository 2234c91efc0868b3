import type { IncomingMessage, ServerResponse } from 'node:http';
import { createNavMapClient, type NavMapClientEvent, type NavMapResponse } from '@sdap/navmap-sdk/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalEnvironmentStack } from '../../src/index.js';
import { startNavMapFleet, type NavMapFleet, type NavMapInstance, type RoundRobinProxy } from '../support/navMapFleet.js';
import { sleep, waitFor } from '../support/waitFor.js';

/**
 * Several navmap-server instances, as App Service scale-out or Kubernetes replicas run them: three real processes,
 * each with its own cache, behind a round-robin proxy (http-proxy-3) that retries a connect error on the next one.
 */
const TTL_SECONDS = 2;
const REFRESH_AHEAD_SECONDS = 1;
const INSTANCES = 3;

let stack: LocalEnvironmentStack;
let fleet: NavMapFleet;
let instances: readonly NavMapInstance[];
let proxy: RoundRobinProxy;
let token: string;

const endpoint = (base: string) => `${base}/api/pcf/dataverse-navmap?v=1`;
const get = (base: string, headers: Record<string, string> = {}) =>
  fetch(endpoint(base), { headers: { Authorization: `Bearer ${token}`, ...headers } });

beforeAll(async () => {
  stack = await startLocalStack({ navMapOnBff: false });
  token = await stack.callerToken();
  const cache = { ttlSeconds: TTL_SECONDS, refreshAheadSeconds: REFRESH_AHEAD_SECONDS, minForcedRefreshIntervalSeconds: 0 };
  fleet = await startNavMapFleet(stack.serverConfig({ logLevel: 'warn', cache }), INSTANCES);
  ({ instances, proxy } = fleet);
}, 120_000);

afterAll(async () => {
  await fleet?.stop();
  await stack?.admin.reset({ schema: true });
  await stack?.stop();
});

describe('navmap-server on several instances', () => {
  it("answers a revalidation after refreshes with 304 from every instance: the ETag describes the content", async () => {
    const first = await get(proxy.url);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag') as string;
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]{32}"$/);
    const before = (await first.json()) as NavMapResponse;

    // Every instance refreshes at least once (new generatedAt) before the revalidations.
    await sleep((TTL_SECONDS + REFRESH_AHEAD_SECONDS) * 1000);
    const answered = [...proxy.answeredBy];
    const revalidations = await Promise.all(Array.from({ length: 2 * INSTANCES }, () => get(proxy.url, { 'If-None-Match': etag })));
    expect(revalidations.map((response) => response.status)).toEqual(Array.from({ length: 2 * INSTANCES }, () => 304));
    expect(revalidations.every((response) => response.headers.get('etag') === etag)).toBe(true);
    expect(proxy.answeredBy.map((count, index) => count - (answered[index] ?? 0))).toEqual(Array.from({ length: INSTANCES }, () => 2));

    for (const instance of instances) {
      const direct = await get(instance.url);
      expect(direct.headers.get('etag')).toBe(etag);
      const map = (await direct.json()) as NavMapResponse;
      expect(map.parents).toEqual(before.parents);
      expect(map.generatedAt).not.toBe(before.generatedAt);
    }
  });

  it('keeps the browser client on its map after a 304 from another instance, with a new timestamp', async () => {
    const events: NavMapClientEvent[] = [];
    const client = createNavMapClient({
      baseUrl: proxy.url,
      getAccessToken: () => token,
      environment: stack.environment.dataverseUrl,
      storage: 'memory',
      ttlMs: 500,
      onEvent: (event) => events.push(event),
      logger: { log: () => undefined, warn: () => undefined, error: () => undefined },
    });
    const loaded = await client.load();
    expect(loaded.source).toBe('server');
    await sleep((TTL_SECONDS + REFRESH_AHEAD_SECONDS) * 1000);
    const stale = await client.load();
    expect(stale.map).toEqual(loaded.map);
    await waitFor(() => events.some((event) => event.name === 'NavMapRevalidated'), 10_000, 'the revalidation');
    expect(events.find((event) => event.name === 'NavMapRevalidated')).toMatchObject({ status: 304, changed: false });
    const after = await client.load();
    expect(after.map).toEqual(loaded.map);
    expect(after.ageMs).toBeLessThan(stale.ageMs);
    client.invalidate();
  });

  it('reads Dataverse with 2 requests per TTL window on each instance', async () => {
    const before = await Promise.all(instances.map((instance) => instance.dataverseRequests()));
    const started = Date.now();
    await sleep(3 * TTL_SECONDS * 1000);
    const after = await Promise.all(instances.map((instance) => instance.dataverseRequests()));
    const windows = (Date.now() - started) / (TTL_SECONDS * 1000);
    for (const [index, count] of after.entries()) {
      const requests = count - (before[index] ?? 0);
      expect(requests % 2).toBe(0);
      expect(requests / 2).toBeGreaterThanOrEqual(Math.floor(windows) - 1);
      expect(requests / 2).toBeLessThanOrEqual(Math.ceil(windows) + 1);
    }
  });

  it('brings a schema change to every instance within the TTL plus the refresh-ahead time', async () => {
    await expect(
      stack.admin.changeRelationship('sprk_matter_document', { ReferencingEntityNavigationPropertyName: 'sprk_MatterRenamed' }),
    ).resolves.toMatchObject({ ReferencingEntityNavigationPropertyName: 'sprk_MatterRenamed' });
    const changedAt = Date.now();
    const etagBefore = (await get(instances[0]?.url as string)).headers.get('etag');
    const seenAfterMs = await Promise.all(
      instances.map(async (instance) => {
        await waitFor(
          async () => ((await (await get(instance.url)).json()) as NavMapResponse).parents.sprk_matter?.navProperty === 'sprk_MatterRenamed',
          (TTL_SECONDS + REFRESH_AHEAD_SECONDS + 2) * 1000,
          `${instance.url} to serve the renamed navigation property`,
        );
        return Date.now() - changedAt;
      }),
    );
    for (const ms of seenAfterMs) expect(ms).toBeLessThanOrEqual((TTL_SECONDS + REFRESH_AHEAD_SECONDS) * 1000 + 500);
    const etags = await Promise.all(instances.map(async (instance) => (await get(instance.url)).headers.get('etag')));
    expect(new Set(etags).size).toBe(1);
    expect(etags[0]).not.toBe(etagBefore);
    // An old ETag now gets the new map, never a 304.
    expect((await get(proxy.url, { 'If-None-Match': etagBefore as string })).status).toBe(200);
    await stack.admin.reset({ schema: true });
  });

  it('rejects a truncated or wrong-length body from the proxy as invalid_response and falls back', async () => {
    const fallback = (await (await get(proxy.url)).json()) as NavMapResponse;
    const truncations: [string, (upstream: IncomingMessage, response: ServerResponse, body: Buffer) => void][] = [
      [
        'cut off mid-body',
        (upstream, response, body) => {
          response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length), etag: upstream.headers.etag ?? '' });
          response.write(body.subarray(0, Math.floor(body.length / 2)));
          // Headers and half the body reach the client first; then the connection drops.
          setTimeout(() => response.destroy(), 100);
        },
      ],
      [
        'a Content-Length shorter than the body',
        (upstream, response, body) => {
          response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length - 20), etag: upstream.headers.etag ?? '' });
          response.end(body.subarray(0, body.length - 20));
        },
      ],
    ];
    try {
      for (const [name, truncate] of truncations) {
        proxy.setResponseHook((upstream, _request, response) => {
          const chunks: Buffer[] = [];
          upstream.on('data', (chunk: Buffer) => chunks.push(chunk));
          upstream.on('end', () => truncate(upstream, response, Buffer.concat(chunks)));
        });
        const events: NavMapClientEvent[] = [];
        const client = createNavMapClient({
          baseUrl: proxy.url,
          getAccessToken: () => token,
          environment: stack.environment.dataverseUrl,
          storage: 'memory',
          fallback,
          onEvent: (event) => events.push(event),
          logger: { log: () => undefined, warn: () => undefined, error: () => undefined },
        });
        client.invalidate();
        const result = await client.load();
        expect({ name, source: result.source }).toEqual({ name, source: 'fallback' });
        expect(events).toContainEqual(expect.objectContaining({ name: 'NavMapLayerFailed', layer: 'server', reason: 'invalid_response' }));
        client.invalidate();
      }
    } finally {
      proxy.setResponseHook(undefined);
    }
  });

  it('loses no request when one instance stops under load: the proxy retries the next, the others keep answering', async () => {
    const statuses: number[] = [];
    let running = true;
    const retriesBefore = proxy.retries;
    const worker = async () => {
      while (running) statuses.push((await get(proxy.url)).status);
    };
    const workers = Array.from({ length: 4 }, () => worker());
    await sleep(500);
    await instances[1]?.stop();
    const stoppedAt = statuses.length;
    await sleep(1_500);
    running = false;
    await Promise.all(workers);
    expect(statuses.length - stoppedAt).toBeGreaterThan(INSTANCES);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(proxy.failures).toBe(0);
    expect(proxy.retries).toBeGreaterThan(retriesBefore);
    for (const instance of [instances[0], instances[2]]) expect((await get(instance?.url as string)).status).toBe(200);
  });
});
