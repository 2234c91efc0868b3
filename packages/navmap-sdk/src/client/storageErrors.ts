import { quoteText } from '../contract/quoteText.js';
import type { NavMapStorage } from './NavMapStorage.js';
import { withTimeout } from './withTimeout.js';

/**
 * A storage refusal: the browser, not the code, says no. The one predicate every storage layer uses (the degrading
 * chain, the tab copy, the cache layer): a `DOMException`, as `NavMapStorage` promises. The built-in storages turn
 * every failure of the browser's API into one (`refusal`), since browsers refuse in other ways too: `indexedDB` or
 * `sessionStorage` set to `null` (Firefox with storage disabled), `open` throwing a TypeError, a transaction aborted
 * with a `null` error. Anything else thrown past them is a bug and passes through.
 */
export function isStorageRefusal(error: unknown): error is DOMException {
  return error instanceof DOMException;
}

/** A full storage: a warning for the caller, never a reason to change storage or a failure of the load. */
export function isQuotaExceededError(error: unknown): boolean {
  return isStorageRefusal(error) && (error.name === 'QuotaExceededError' || error.code === 22);
}

/** A failure of a browser storage API as the refusal it is: a DOMException kept as it is, anything else wrapped. */
export function refusal(what: string, error: unknown): DOMException {
  if (isStorageRefusal(error)) return error;
  return new DOMException(`${what} failed: ${quoteText(error instanceof Error ? `${error.name}: ${error.message}` : String(error))}`, 'UnknownError');
}

export function unavailable(what: string): DOMException {
  return new DOMException(`${what} is not available in this browser context`, 'NotSupportedError');
}

/**
 * One step on a browser storage API: a missing API (`null` too, where a browser disables it) or anything the step
 * throws becomes a refusal (`refusal`), so the layers above see only DOMExceptions from the built-in storages.
 */
export async function browserStorageStep<Api, T>(what: string, api: () => Api | null | undefined, step: (api: Api) => T | Promise<T>): Promise<T> {
  try {
    const found = api();
    if (!found) throw unavailable(what);
    return await step(found);
  } catch (error) {
    throw refusal(what, error);
  }
}

/** A storage whose every method runs through `around`, which is given the step to run on an underlying storage. */
export function wrapStorage(around: <T>(step: (storage: NavMapStorage) => Promise<T>) => Promise<T>): NavMapStorage {
  return {
    get: (key) => around((storage) => storage.get(key)),
    set: (key, value) => around((storage) => storage.set(key, value)),
    del: (key) => around((storage) => storage.del(key)),
  };
}

/**
 * `storage` with every step limited to `timeoutMs`: a step that does not settle in time is a `TimeoutError` refusal,
 * so a blocked IndexedDB (another tab holding an old connection during an upgrade or a delete) cannot hold a load.
 */
export function limitStorageSteps(storage: NavMapStorage, timeoutMs: number, what: string): NavMapStorage {
  return wrapStorage((step) => withTimeout(() => step(storage), timeoutMs, () => new DOMException(`${what} did not answer within ${timeoutMs} ms`, 'TimeoutError')));
}
