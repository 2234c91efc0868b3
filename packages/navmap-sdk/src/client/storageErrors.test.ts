import { describe, expect, it } from 'vitest';
import { isQuotaExceededError, isStorageUnavailableError, unavailable } from './storageErrors.js';

describe('storage error classification', () => {
  it('takes blocked or missing storage for unavailable', () => {
    expect(isStorageUnavailableError(new DOMException('denied', 'SecurityError'))).toBe(true);
    expect(isStorageUnavailableError(new DOMException('closing', 'InvalidStateError'))).toBe(true);
    expect(isStorageUnavailableError(unavailable('indexedDB'))).toBe(true);
  });

  it('keeps a full quota apart: a warning, not a reason to change storage', () => {
    const quota = new DOMException('full', 'QuotaExceededError');
    expect(isQuotaExceededError(quota)).toBe(true);
    expect(isStorageUnavailableError(quota)).toBe(false);
  });

  it('does not take bugs for an unavailable storage', () => {
    expect(isStorageUnavailableError(new TypeError('store.get is not a function'))).toBe(false);
    expect(isStorageUnavailableError(new DOMException('x', 'DataCloneError'))).toBe(false);
    expect(isQuotaExceededError(new Error('QuotaExceededError'))).toBe(false);
  });
});
