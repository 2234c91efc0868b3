/** A full storage: a warning for the caller, never a failure of the load. */
export function isQuotaExceededError(error: unknown): boolean {
  return error instanceof DOMException && (error.name === 'QuotaExceededError' || error.code === 22);
}

/**
 * What browsers throw when a storage cannot be used at all: blocked or disabled storage and opaque origins
 * (SecurityError), private modes and closing databases (InvalidStateError), a broken or missing database or store
 * (UnknownError, NotFoundError, VersionError), an aborted open (AbortError), and our own NotSupportedError for a
 * missing global.
 */
const UNAVAILABLE = new Set(['SecurityError', 'InvalidStateError', 'UnknownError', 'NotFoundError', 'VersionError', 'AbortError', 'NotSupportedError', 'NotAllowedError']);

/** The browser refuses the storage itself; only these move a client down to the next storage. */
export function isStorageUnavailableError(error: unknown): boolean {
  return error instanceof DOMException && UNAVAILABLE.has(error.name);
}

export function unavailable(what: string): DOMException {
  return new DOMException(`${what} is not available in this browser context`, 'NotSupportedError');
}
