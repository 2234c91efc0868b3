import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { NavMapResponse } from '../contract/types.js';
import { createMemoryStorage } from './createMemoryStorage.js';
import { createNavMapClient } from './createNavMapClient.js';
import type { NavMapClientEvent } from '../contract/NavMapClientEvent.js';
import type { NavMapCacheEntry, NavMapStorage } from './NavMapStorage.js';
import type { NavMapClientOptions } from './resolveNavMapClientOptions.js';
import { navMapCacheKey } from './validateCacheEntry.js';

const ENVIRONMENT = 'https://org.crm.dynamics.com';
const KEY = navMapCacheKey(ENVIRONMENT, 'sprk_document');

function mapWith(navProperty: string, generatedAt = '2026-11-28T12:00:00.000Z'): NavMapResponse {
  return {
    version: '1',
    environment: ENVIRONMENT,
    childEntity: 'sprk_document',
    generatedAt,
    parents: { sprk_matter: { entitySet: 'sprk_matters', lookupAttribute: 'sprk_matter', navProperty, collectionNavProperty: 'sprk_matter_document' } },
  };
}

type Answer = { status: number; body?: unknown; raw?: string; delayMs?: number; etag?: string; hang?: boolean };
interface FakeServer {
  readonly baseUrl: string;
  readonly requests: Array<{ ifNoneMatch: string | undefined; noCache: boolean }>;
  /** Answers in order; the last one repeats. */
  answers: Answer[];
}

const servers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((close) => close()));
});

async function startServer(answers: Answer[]): Promise<FakeServer> {
  const fake: FakeServer = { baseUrl: '', requests: [], answers };
  const handler = (incoming: IncomingMessage, response: ServerResponse): void => {
    fake.requests.push({ ifNoneMatch: incoming.headers['if-none-match'], noCache: incoming.headers['cache-control'] === 'no-cache' });
    const answer = (fake.answers.length > 1 ? fake.answers.shift() : fake.answers[0]) as Answer;
    if (answer.hang) return;
    setTimeout(() => {
      response.writeHead(answer.status, { 'content-type': 'application/json', ...(answer.etag ? { etag: answer.etag } : {}) });
      response.end(answer.raw ?? (answer.body === undefined ? undefined : JSON.stringify(answer.body)));
    }, answer.delayMs ?? 0);
  };
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return Object.assign(fake, { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

function clientFor(server: FakeServer, storage: NavMapStorage, extra: Partial<NavMapClientOptions> = {}, events: NavMapClientEvent[] = []) {
  return createNavMapClient({ baseUrl: server.baseUrl, environment: ENVIRONMENT, getAccessToken: () => 'token', storage, logger: silent, onEvent: (event) => events.push(event), ...extra });
}

const stored = async (storage: NavMapStorage): Promise<string | undefined> =>
  ((await storage.get(KEY)) as NavMapCacheEntry | undefined)?.map.parents.sprk_matter?.navProperty;

const undeclared = Object.assign(new Error("An undeclared property 'sprk_OLD' which only has property annotations"), { errorCode: 0x80048d19 });

describe('createNavMapClient: a newer load supersedes an older one', () => {
  it('a slow old answer arriving after load({ refresh: true }) replaces the new map neither in memory nor in storage', async () => {
    const server = await startServer([{ status: 200, body: mapWith('sprk_OLD'), delayMs: 300 }, { status: 200, body: mapWith('sprk_NEW') }]);
    const storage = createMemoryStorage();
    const client = clientFor(server, storage);
    const first = client.load();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const refreshed = await client.load({ refresh: true });
    expect(refreshed.map.parents.sprk_matter?.navProperty).toBe('sprk_NEW');
    expect((await first).map.parents.sprk_matter?.navProperty).toBe('sprk_NEW');
    expect(client.getNavEntry('sprk_matter')?.navProperty).toBe('sprk_NEW');
    expect(await stored(storage)).toBe('sprk_NEW');
  });

  it('an earlier load that times out after a successful refresh does not put the fallback over the server map', async () => {
    const server = await startServer([{ status: 200, hang: true }, { status: 200, body: mapWith('sprk_NEW') }]);
    const client = clientFor(server, createMemoryStorage(), { timeoutMs: 300, fallback: mapWith('sprk_FALLBACK') });
    const first = client.load();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await client.load({ refresh: true });
    expect(await first).toMatchObject({ source: 'server', map: { parents: { sprk_matter: { navProperty: 'sprk_NEW' } } } });
    expect(client.getNavEntry('sprk_matter')).toMatchObject({ navProperty: 'sprk_NEW', source: 'server' });
  });

  it("a stale revalidation finishing after withBindRetry's forced reload does not store the old map", async () => {
    const server = await startServer([{ status: 200, body: mapWith('sprk_OLD'), delayMs: 300 }, { status: 200, body: mapWith('sprk_NEW') }]);
    const storage = createMemoryStorage();
    await storage.set(KEY, { map: mapWith('sprk_OLD'), etag: null, storedAt: Date.now() - 600_000 }); // stale: revalidated
    const client = clientFor(server, storage);
    expect(await client.load()).toMatchObject({ source: 'cache' });
    let attempts = 0;
    await client.withBindRetry(async (navMap) => {
      attempts += 1;
      const bind = await navMap.bind('sprk_matter', '3a785f76-c773-f011-b4cb-6045bdd8b757');
      if (Object.keys(bind)[0] === 'sprk_OLD@odata.bind') throw undeclared;
      return bind;
    });
    expect(attempts).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 400)); // the revalidation's old answer arrives
    expect(client.getNavEntry('sprk_matter')?.navProperty).toBe('sprk_NEW');
    expect(await stored(storage)).toBe('sprk_NEW');
  });
});

describe('createNavMapClient when the server fails', () => {
  it('with only an over-age entry during an outage, only the first load waits for the server (a cool-down)', async () => {
    const server = await startServer([{ status: 503, body: { error: { code: 'server_unavailable', message: 'down' } } }]);
    const storage = createMemoryStorage();
    await storage.set(KEY, { map: mapWith('sprk_Matter'), etag: '"old"', storedAt: Date.now() - 3 * 86_400_000 });
    const client = clientFor(server, storage);
    for (let index = 0; index < 5; index += 1) expect(await client.load()).toMatchObject({ source: 'cache' });
    expect(server.requests).toHaveLength(1);
  });

  it('with storage refused, a failed refresh keeps the server map held in memory rather than the fallback', async () => {
    const server = await startServer([{ status: 200, body: mapWith('sprk_SERVER') }, { status: 503 }]);
    const refuse = () => Promise.reject(new DOMException('denied', 'SecurityError'));
    const client = clientFor(server, { get: refuse, set: refuse, del: refuse }, { fallback: mapWith('sprk_FALLBACK') });
    expect(await client.load()).toMatchObject({ source: 'server' });
    const refreshed = await client.load({ refresh: true });
    expect(refreshed.map.parents.sprk_matter?.navProperty).toBe('sprk_SERVER');
    expect(refreshed.source).toBe('cache');
  });

  it('never stores the bundled fallback, even when a later answer is a 304', async () => {
    const server = await startServer([{ status: 503 }, { status: 304, etag: '"x"' }]);
    const storage = createMemoryStorage();
    const client = clientFor(server, storage, { fallback: mapWith('sprk_FALLBACK'), ttlMs: 0 });
    expect(await client.load()).toMatchObject({ source: 'fallback' });
    await new Promise((resolve) => setTimeout(resolve, 5)); // past the fallback's ttlMs of 0
    expect(await client.load()).toMatchObject({ source: 'fallback' }); // revalidates in the background
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.requests).toHaveLength(2);
    expect(await storage.get(KEY)).toBeUndefined();
  });
});

describe('createNavMapClient: which maps belong to the client', () => {
  it('does not take a cache entry with no parents for a fresh hit', async () => {
    const server = await startServer([{ status: 200, body: mapWith('sprk_Matter') }]);
    const storage = createMemoryStorage();
    await storage.set(KEY, { map: { ...mapWith('x'), parents: {} }, etag: null, storedAt: Date.now() });
    const events: NavMapClientEvent[] = [];
    expect(await clientFor(server, storage, {}, events).load()).toMatchObject({ source: 'server' });
    expect(events[0]).toMatchObject({ name: 'NavMapLayerFailed', layer: 'cache', reason: 'invalid_entry' });
  });

  it('refuses a server map without childEntity for a client of another child', async () => {
    const { childEntity: _omitted, ...legacy } = mapWith('sprk_Matter');
    const server = await startServer([{ status: 200, body: legacy }]);
    const failure = await clientFor(server, createMemoryStorage(), { childEntity: 'sprk_note' }).load().catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'server_unavailable', message: expect.stringContaining('is for child entity sprk_document, not sprk_note') });
  });

  it('drops a cached ETag that is not a valid header value, so the request is still sent', async () => {
    const server = await startServer([{ status: 200, body: mapWith('sprk_Matter') }]);
    const storage = createMemoryStorage();
    await storage.set(KEY, { map: mapWith('sprk_Matter'), etag: 'bad\netag', storedAt: Date.now() - 3 * 86_400_000 });
    expect(await clientFor(server, storage).load()).toMatchObject({ source: 'server' });
    expect(server.requests).toEqual([{ ifNoneMatch: undefined, noCache: false }]);
  });

  it("names a parent like an Object.prototype member without reading the prototype ('constructor' with errors: {})", async () => {
    const server = await startServer([{ status: 200, body: { ...mapWith('sprk_Matter'), errors: {} } }]);
    const failure = await clientFor(server, createMemoryStorage()).bind('constructor', '3a785f76-c773-f011-b4cb-6045bdd8b757').catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'unsupported_parent' });
    expect((failure as Error).message).not.toContain('undefined');
  });
});

describe('createNavMapClient console lines', () => {
  it("quotes and cuts a server's text, so it cannot print a line of its own or a megabyte line", async () => {
    const forged = `down\n[NavMapClient] Layer 1 SUCCESS - Loaded from server${'x'.repeat(1_000_000)}`;
    const server = await startServer([{ status: 503, raw: forged }]);
    const lines: string[] = [];
    const logger = { log: (line: string) => lines.push(line), warn: (line: string) => lines.push(line), error: (line: string) => lines.push(line) };
    const events: NavMapClientEvent[] = [];
    await clientFor(server, createMemoryStorage(), { logger, fallback: mapWith('sprk_Matter') }, events).load();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('Layer 3 FALLBACK');
    expect(lines[0]).not.toContain('\n');
    expect(lines[0]?.length).toBeLessThan(1000);
    expect(JSON.stringify(events).length).toBeLessThan(2000);
  });
});

describe('createNavMapClient.withBindRetry', () => {
  it('20 concurrent calls refused with 0x80048d19 share one forced request', async () => {
    const server = await startServer([{ status: 200, body: mapWith('sprk_OLD') }, { status: 200, body: mapWith('sprk_NEW'), delayMs: 50 }]);
    const client = clientFor(server, createMemoryStorage());
    await client.load();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        client.withBindRetry(async (navMap) => {
          const bind = await navMap.bind('sprk_matter', '3a785f76-c773-f011-b4cb-6045bdd8b757');
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 30));
          if (Object.keys(bind)[0] === 'sprk_OLD@odata.bind') throw undeclared;
          return Object.keys(bind)[0];
        }),
      ),
    );
    expect(new Set(results)).toEqual(new Set(['sprk_NEW@odata.bind']));
    expect(server.requests.filter((request) => request.noCache)).toHaveLength(1);
  });
});
