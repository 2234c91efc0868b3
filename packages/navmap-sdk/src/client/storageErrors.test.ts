import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from './createMemoryStorage.js';
import { isQuotaExceededError, isStorageRefusal, limitStorageSteps, refusal, unavailable } from './storageErrors.js';

describe('storage refusals', () => {
  it('takes blocked or missing storage for a refusal', () => {
    expect(isStorageRefusal(new DOMException('denied', 'SecurityError'))).toBe(true);
    expect(isStorageRefusal(new DOMException('closing', 'InvalidStateError'))).toBe(true);
    expect(isStorageRefusal(unavailable('indexedDB'))).toBe(true);
  });

  it('keeps a full quota apart: a refusal, but a warning, not a reason to change storage', () => {
    const quota = new DOMException('full', 'QuotaExceededError');
    expect(isStorageRefusal(quota)).toBe(true);
    expect(isQuotaExceededError(quota)).toBe(true);
    expect(isQuotaExceededError(new DOMException('denied', 'SecurityError'))).toBe(false);
  });

  it('does not take bugs for a refusal', () => {
    expect(isStorageRefusal(new TypeError('store.get is not a function'))).toBe(false);
    expect(isQuotaExceededError(new Error('QuotaExceededError'))).toBe(false);
  });

  it("turns what a browser's storage API throws besides DOMExceptions (TypeError, a null error) into a refusal", () => {
    expect(isStorageRefusal(refusal('IndexedDB', new TypeError("Cannot read properties of null (reading 'open')")))).toBe(true);
    expect(refusal('IndexedDB', null)).toMatchObject({ name: 'UnknownError', message: 'IndexedDB failed: "null"' });
    const original = new DOMException('denied', 'SecurityError');
    expect(refusal('IndexedDB', original)).toBe(original);
  });

  it('limits every step of a storage: a step that never settles is a TimeoutError refusal', async () => {
    const hanging = { get: () => new Promise<never>(() => undefined), set: () => new Promise<never>(() => undefined), del: () => new Promise<never>(() => undefined) };
    const error: unknown = await limitStorageSteps(hanging, 20, 'indexeddb storage').get('k').catch((caught: unknown) => caught);
    expect(isStorageRefusal(error) && error.name).toBe('TimeoutError');
    expect(await limitStorageSteps(createMemoryStorage(), 20, 'memory storage').get('k')).toBeUndefined();
  });
});
