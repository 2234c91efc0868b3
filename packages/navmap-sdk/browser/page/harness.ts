/**
 * The page side of the browser tests: bundled by esbuild from the BUILT `@sdap/navmap-sdk/client` (dist), so the tests
 * exercise what ships. Exposes a small harness on `globalThis[HARNESS_NAME]`; a second bundle under another name is a
 * second copy of the SDK on the same page.
 */
import {
  createNavMapClient,
  isNavMapError,
  type NavMapClient,
  type NavMapClientEvent,
  type NavMapClientLoadOptions,
  type NavMapStorageKind,
} from '@sdap/navmap-sdk/client';

declare const HARNESS_NAME: string;

export interface HarnessClientConfig {
  readonly baseUrl: string;
  readonly environment: string;
  /** The bearer token getAccessToken returns; null makes getAccessToken reject. */
  readonly token: string | null;
  readonly childEntity?: string;
  readonly fallback?: unknown;
  readonly storage?: NavMapStorageKind;
  readonly ttlMs?: number;
  readonly maxStaleMs?: number;
  readonly timeoutMs?: number;
}

export interface SerializedError {
  readonly name: string;
  readonly code: string | undefined;
  readonly message: string;
  readonly details: unknown;
}

export type HarnessLoadResult =
  | { readonly ok: true; readonly source: string; readonly ageMs: number; readonly parents: string[]; readonly environment: string }
  | { readonly ok: false; readonly error: SerializedError };

export function serializeError(error: unknown): SerializedError {
  if (isNavMapError(error)) return { name: error.name, code: error.code, message: error.message, details: error.details };
  const record = (typeof error === 'object' && error !== null ? error : {}) as { name?: unknown; code?: unknown; message?: unknown };
  return {
    name: typeof record.name === 'string' ? record.name : typeof error,
    code: typeof record.code === 'string' ? record.code : undefined,
    message: typeof record.message === 'string' ? record.message : String(error),
    details: undefined,
  };
}

function promisify<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Raw IndexedDB access, apart from the SDK, to inspect and plant cache entries. */
async function rawStore(mode: IDBTransactionMode): Promise<IDBObjectStore> {
  const open = indexedDB.open('navmap');
  open.onupgradeneeded = () => open.result.createObjectStore('cache');
  const db = await promisify(open);
  return db.transaction('cache', mode).objectStore('cache');
}

export const harness = {
  events: [] as NavMapClientEvent[],
  clients: [] as NavMapClient[],
  create(config: HarnessClientConfig): number {
    const { token, ...rest } = config;
    const client = createNavMapClient({
      ...rest,
      getAccessToken: async () => {
        if (token === null) throw new Error('no signed-in user');
        return token;
      },
      onEvent: (event) => harness.events.push(event),
    });
    harness.clients.push(client);
    return harness.clients.length - 1;
  },
  async load(index: number, options?: NavMapClientLoadOptions): Promise<HarnessLoadResult> {
    try {
      const result = await (harness.clients[index] as NavMapClient).load(options);
      return { ok: true, source: result.source, ageMs: result.ageMs, parents: Object.keys(result.map.parents).sort(), environment: result.map.environment };
    } catch (error) {
      return { ok: false, error: serializeError(error) };
    }
  },
  async attempt<T>(operation: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: SerializedError }> {
    try {
      return { ok: true, value: await operation() };
    } catch (error) {
      return { ok: false, error: serializeError(error) };
    }
  },
  idb: {
    async get(key: string): Promise<unknown> {
      return promisify((await rawStore('readonly')).get(key));
    },
    /**
     * Plants an entry as another tab or an earlier visit left it in IndexedDB: this tab's own copy (sessionStorage,
     * which the client reads first) is removed, so the client reads the planted entry.
     */
    async put(key: string, value: unknown): Promise<void> {
      await promisify((await rawStore('readwrite')).put(value, key));
      sessionStorage.removeItem(key);
    },
    async keys(): Promise<IDBValidKey[]> {
      return promisify((await rawStore('readonly')).getAllKeys());
    },
  },
};

export type Harness = typeof harness;

(globalThis as Record<string, unknown>)[HARNESS_NAME] = harness;
