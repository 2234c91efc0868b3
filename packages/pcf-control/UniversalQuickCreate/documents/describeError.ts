/**
 * A user-readable sentence from whatever a host API rejected with: an Error, a PCF webAPI error
 * (`{ errorCode: number, message }`, errorCode the unsigned decimal of Dataverse's hex code), or a string.
 */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null) {
    const { message, errorCode } = error as { message?: unknown; errorCode?: unknown };
    const code = typeof errorCode === 'number' ? ` (0x${(errorCode >>> 0).toString(16)})` : '';
    if (typeof message === 'string') return `${message}${code}`;
  }
  return typeof error === 'string' ? error : 'An unexpected error occurred.';
}
