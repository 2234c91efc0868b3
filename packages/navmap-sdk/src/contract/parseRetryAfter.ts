import { NAVMAP_LIMITS } from './navMapLimits.js';

// IMF-fixdate, the one HTTP date form senders must generate (RFC 9110 section 5.6.7): Sun, 06 Nov 1994 08:49:37 GMT.
const IMF_FIXDATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$/;

/**
 * `Retry-After` (RFC 9110 section 10.2.3) as whole seconds to wait from `now`: delta-seconds written as digits only,
 * or an HTTP date (IMF-fixdate), rounded up; a date in the past gives 0. Anything else (`-5`, `0x10`, `1e3`, an ISO
 * date, an empty value) is ignored: `undefined`. The whitespace HTTP field parsing strips around a value is ignored
 * too. A wait over `NAVMAP_LIMITS.retryAfterSeconds` (one week) is read as that limit. The rule of `docs/contract.md`,
 * "Retry-After".
 *
 * @example
 * parseRetryAfter('120'); // 120
 * parseRetryAfter('0x10'); // undefined
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  const trimmed = value?.trim() ?? '';
  // Date.parse alone reads '-5' as the year 2001 and '0x10' as 16: only the exact HTTP form reaches it.
  const seconds = /^\d+$/.test(trimmed)
    ? Number(trimmed)
    : IMF_FIXDATE.test(trimmed)
      ? Math.max(0, Math.ceil((Date.parse(trimmed) - now) / 1000))
      : Number.NaN;
  return Number.isNaN(seconds) ? undefined : Math.min(seconds, NAVMAP_LIMITS.retryAfterSeconds);
}
