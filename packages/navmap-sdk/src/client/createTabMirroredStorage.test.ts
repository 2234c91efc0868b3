import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from './createMemoryStorage.js';
import { createTabMirroredStorage } from './createTabMirroredStorage.js';
import type { NavMapCacheEntry, NavMapStorage } from './NavMapStorage.js';

const KEY = 'navmap:v1:https://org.crm.dynamics.com:sprk_document';
const entry = (storedAt: number) => ({ map: {}, etag: null, storedAt }) as unknown as NavMapCacheEntry;

/** A storage whose every call rejects with `error`, as a blocked or full browser storage does. */
function refusing(error: unknown): NavMapStorage {
  const fail = () => Promise.reject(error);
  return { get: fail, set: fail, del: fail };
}

describe('createTabMirroredStorage', () => {
  it("reads the tab's copy first, without opening the shared storage", async () => {
    const tab = createMemoryStorage();
    await tab.set(KEY, entry(2));
    const shared = refusing(new TypeError('the shared storage was read'));
    expect(await createTabMirroredStorage(shared, tab).get(KEY)).toEqual(entry(2));
  });

  it("reads the shared entry when the tab has no copy, and copies it into the tab", async () => {
    const tab = createMemoryStorage();
    const shared = createMemoryStorage();
    await shared.set(KEY, entry(1));
    expect(await createTabMirroredStorage(shared, tab).get(KEY)).toEqual(entry(1));
    expect(await tab.get(KEY)).toEqual(entry(1));
  });

  it('writes and deletes in both', async () => {
    const tab = createMemoryStorage();
    const shared = createMemoryStorage();
    const storage = createTabMirroredStorage(shared, tab);
    await storage.set(KEY, entry(3));
    expect([await shared.get(KEY), await tab.get(KEY)]).toEqual([entry(3), entry(3)]);
    await storage.del(KEY);
    expect([await shared.get(KEY), await tab.get(KEY)]).toEqual([undefined, undefined]);
  });

  it("ignores the tab copy's refusals: the shared storage still answers and stores", async () => {
    const shared = createMemoryStorage();
    const storage = createTabMirroredStorage(shared, refusing(new DOMException('full', 'QuotaExceededError')));
    await storage.set(KEY, entry(4));
    expect(await storage.get(KEY)).toEqual(entry(4));
    await storage.del(KEY);
    expect(await shared.get(KEY)).toBeUndefined();
  });

  it("passes the shared storage's refusals through, so the client can degrade, and writes no copy", async () => {
    const tab = createMemoryStorage();
    const refusal = new DOMException('denied', 'SecurityError');
    const storage = createTabMirroredStorage(refusing(refusal), tab);
    await expect(storage.set(KEY, entry(5))).rejects.toBe(refusal);
    expect(await tab.get(KEY)).toBeUndefined();
    await expect(storage.get(KEY)).rejects.toBe(refusal);
  });

  it("passes a bug in the tab copy through: only a browser's refusal is ignored", async () => {
    const bug = new TypeError('tab.get is not a function');
    await expect(createTabMirroredStorage(createMemoryStorage(), refusing(bug)).get(KEY)).rejects.toBe(bug);
  });
});
