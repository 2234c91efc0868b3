import type { NavMapStorage } from './NavMapStorage.js';
import { isStorageRefusal } from './storageErrors.js';

/**
 * A shared storage (IndexedDB: every tab of the origin) with this tab's copy in a synchronous one (sessionStorage),
 * read first. Opening IndexedDB on a page takes 10-20 ms in Chromium, longer than the plan's < 10 ms for a cache hit
 * (measured on the form host: `npm run bench -w @sdap/pcf-control`), while sessionStorage answers in well under a
 * millisecond; a reload and a record opened in a new window from the app (which copies sessionStorage) find the copy.
 * Another tab's newer entry is read only when this tab has none; entries are validated and revalidated as before.
 *
 * The shared storage decides: its refusals pass through (the client degrades or warns on them), and the copy is
 * written only after it. The copy's own refusals (a full or blocked sessionStorage) are ignored: it is only a shortcut.
 */
export function createTabMirroredStorage(shared: NavMapStorage, tab: NavMapStorage): NavMapStorage {
  const ignoreRefusal = (error: unknown): undefined => {
    if (!isStorageRefusal(error)) throw error;
    return undefined;
  };
  return {
    async get(key) {
      const copy = await tab.get(key).catch(ignoreRefusal);
      if (copy !== undefined) return copy;
      const value = await shared.get(key);
      if (value !== undefined) await tab.set(key, value as Parameters<NavMapStorage['set']>[1]).catch(ignoreRefusal);
      return value;
    },
    async set(key, value) {
      await shared.set(key, value);
      await tab.set(key, value).catch(ignoreRefusal);
    },
    async del(key) {
      await tab.del(key).catch(ignoreRefusal);
      await shared.del(key);
    },
  };
}
