import { quoteText } from '../contract/quoteText.js';

/**
 * An error as a console line or event may show it: a DOMException with its name (QuotaExceededError, SecurityError),
 * the message quoted and cut (`quoteText`), since it may carry a server's or a storage's text.
 */
export function describeError(error: unknown): string {
  const message = quoteText(error instanceof Error ? error.message : String(error));
  return error instanceof DOMException ? `${error.name}: ${message}` : message;
}
