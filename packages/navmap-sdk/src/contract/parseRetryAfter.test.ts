import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './parseRetryAfter.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-28T12:00:00.000Z');

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('30', now)).toBe(30);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('turns an HTTP date into the seconds left, never negative', () => {
    expect(parseRetryAfter('Sat, 28 Nov 2026 12:01:30 GMT', now)).toBe(90);
    expect(parseRetryAfter('Sat, 28 Nov 2026 11:00:00 GMT', now)).toBe(0);
  });

  it('ignores a missing or malformed header', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });

  it('reads only digits as delta-seconds: a sign, hex or an exponent is ignored, not read as a date or a number', () => {
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('0x10', now)).toBeUndefined();
    expect(parseRetryAfter('1e3', now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBeUndefined();
    expect(parseRetryAfter('5 s', now)).toBeUndefined();
  });

  it('ignores the whitespace HTTP field parsing strips around a value, and an empty or blank value', () => {
    expect(parseRetryAfter(' 5', now)).toBe(5);
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('   ', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('gives 0 for a past date and the whole seconds left, rounded up, for a future one', () => {
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', now)).toBe(0);
    expect(parseRetryAfter('Sat, 28 Nov 2026 12:00:00 GMT', now + 1)).toBe(0);
    expect(parseRetryAfter('Sat, 28 Nov 2026 12:00:10 GMT', now + 500)).toBe(10);
    expect(parseRetryAfter('Tue, 01 Dec 2026 12:00:00 GMT', now)).toBe(3 * 86_400);
  });

  it('reads only the IMF-fixdate form of a date: an obsolete, ISO or offset date is ignored', () => {
    expect(parseRetryAfter('Saturday, 28-Nov-26 12:01:30 GMT', now)).toBeUndefined();
    expect(parseRetryAfter('Sat Nov 28 12:01:30 2026', now)).toBeUndefined();
    expect(parseRetryAfter('2026-11-28T12:01:30Z', now)).toBeUndefined();
    expect(parseRetryAfter('Sat, 28 Nov 2026 12:01:30 +0000', now)).toBeUndefined();
  });

  it('reads a wait over a week (or too long for a number) as one week, so no message prints "Infinity s"', () => {
    expect(parseRetryAfter('9'.repeat(400), now)).toBe(604_800);
    expect(parseRetryAfter('Fri, 01 Jan 9999 00:00:00 GMT', now)).toBe(604_800);
  });
});
