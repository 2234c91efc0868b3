import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNavMapClient } from '../src/client/createNavMapClient.js';
import type { NavMapClientEvent } from '../src/contract/NavMapClientEvent.js';
import type { NavMapCacheEntry, NavMapStorage } from '../src/client/NavMapStorage.js';
import type { NavMapResponse } from '../src/contract/types.js';

export const EVENTS_ENVIRONMENT = 'https://events-test.crm.dynamics.com';

function eventsMap(generatedAt: string): NavMapResponse {
  return {
    version: '1',
    environment: EVENTS_ENVIRONMENT,
    childEntity: 'sprk_document',
    generatedAt,
    parents: {
      sprk_matter: { entitySet: 'sprk_matters', lookupAttribute: 'sprk_matter', navProperty: 'sprk_Matter', collectionNavProperty: 'sprk_matter_document' },
    },
  };
}

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Drives the real client against a real HTTP server on a free loopback port until it has emitted every kind of
 * event, each with all optional fields set: a server load, a failed server with the bundled fallback, a background
 * revalidation (200 with a changed map), and both `track()` events. Returns the events in order.
 */
export async function emitClientEvents(): Promise<NavMapClientEvent[]> {
  const server: Server = createServer((request, response) => {
    const failing = request.url?.startsWith('/failing/') === true;
    if (failing) {
      response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '5' }).end('{"error":{"code":"server_unavailable","message":"down"}}');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json', etag: '"v2"' }).end(JSON.stringify(eventsMap(new Date().toISOString())));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const events: NavMapClientEvent[] = [];
  const common = { environment: EVENTS_ENVIRONMENT, getAccessToken: () => 'token', logger: quiet, onEvent: (event: NavMapClientEvent) => events.push(event) };
  try {
    const loaded = createNavMapClient({ ...common, baseUrl: `${origin}/ok`, storage: 'memory' });
    await loaded.load();
    loaded.track({ name: 'DocumentCreated', parentEntity: 'sprk_matter', source: 'server', retried: true, durationMs: 120 });
    loaded.track({ name: 'DocumentCreateFailed', parentEntity: 'sprk_matter', errorCode: '0x80040217', message: 'Record not found', source: 'server', retried: false });

    await createNavMapClient({ ...common, baseUrl: `${origin}/failing`, storage: 'memory', fallback: eventsMap('2026-11-01T00:00:00.000Z') }).load();

    // A cache entry older than ttlMs but within maxStaleMs: returned at once and revalidated in the background.
    const stale: NavMapCacheEntry = { map: eventsMap('2026-11-01T00:00:00.000Z'), etag: '"v1"', storedAt: Date.now() - 60_000 };
    let revalidated: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (revalidated = resolve));
    const entries = new Map<string, unknown>();
    const storage: NavMapStorage = {
      get: async (key) => entries.get(key) ?? stale,
      set: async (key, value) => void entries.set(key, value),
      del: async (key) => void entries.delete(key),
    };
    const revalidating = createNavMapClient({
      ...common,
      baseUrl: `${origin}/stale`,
      storage,
      ttlMs: 1_000,
      onEvent: (event) => {
        events.push(event);
        if (event.name === 'NavMapRevalidated') revalidated();
      },
    });
    await revalidating.load();
    await done;
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return events;
}
