/**
 * The limits both sides of the wire apply, in one table (`docs/contract.md`, "Limits"). A client refuses a map over
 * them as `invalid_response` naming the limit; the server refuses Dataverse answers over them the same way.
 *
 * @example
 * import { NAVMAP_LIMITS } from '@sdap/navmap-sdk';
 *
 * NAVMAP_LIMITS.parents; // 500
 */
export const NAVMAP_LIMITS = {
  /** Bytes of a NavMap body, counted after decompression. */
  responseBytes: 1_048_576,
  /** Entries in a map's `parents` and `errors` together. */
  parents: 500,
  /** Characters of `environment`, `generatedAt` and each `errors[].message`. */
  textLength: 2048,
  /** Bytes of one Dataverse metadata answer, counted after decompression. */
  dataverseResponseBytes: 8_388_608,
  /** Bytes of an error answer read for its message (NavMap or Dataverse); the rest is not read. */
  errorBodyBytes: 16_384,
  /** Characters of another party's text quoted in a message, console line, event or log line. */
  quotedTextLength: 200,
  /** Seconds of `Retry-After` a message reports or a caller waits at most: one week. */
  retryAfterSeconds: 604_800,
} as const;

/** The name of one limit, as messages name it. */
export type NavMapLimit = keyof typeof NAVMAP_LIMITS;
