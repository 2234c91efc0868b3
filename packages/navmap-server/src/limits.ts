import { NAVMAP_LIMITS } from '@sdap/navmap-sdk';

/**
 * The standalone server's fixed limits, documented in docs/configuration.md ("Limits"). Each bounds what one caller,
 * one connection or one Dataverse answer can make the server do or store.
 */
export const SERVER_LIMITS = Object.freeze({
  /** Longest request target (path and query) answered; longer ones get 414. */
  maxUrlBytes: 8_192,
  /**
   * Most requests one connection may have waiting for their answers. A client that pipelines more without reading
   * has its connection closed: each request costs work before its answer can be written.
   */
  maxPipelinedRequests: 32,
  /** Requests one keep-alive connection serves before the server closes it (`Connection: close`). */
  maxRequestsPerSocket: 1_000,
  /**
   * Largest map (serialized JSON) the server serves; a bigger one is refused as `invalid_response`, the last map kept.
   * The client's body limit: a map the client would refuse is never served.
   */
  maxMapBytes: NAVMAP_LIMITS.responseBytes,
  /** Longest upstream text (an error message, a path) written to one log field. */
  maxLoggedChars: 512,
});

/** `text` cut to `maxChars`, with the number of characters cut, for logs. */
export function truncateForLog(text: string, maxChars: number = SERVER_LIMITS.maxLoggedChars): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars)}... (${text.length - maxChars} more characters)`;
}
