import { describe, expect, it } from 'vitest';
import { decideFreshness, freshnessWindow } from './decideFreshness.js';

describe('decideFreshness', () => {
  const storedAt = 1_000_000;
  const window = freshnessWindow(storedAt, 300_000, 86_400_000);

  it('uses a map up to ttlMs old, the last millisecond included', () => {
    expect(decideFreshness(window, storedAt)).toBe('use');
    expect(decideFreshness(window, storedAt + 300_000)).toBe('use');
  });

  it('revalidates a map older than ttlMs up to maxStaleMs', () => {
    expect(decideFreshness(window, storedAt + 300_001)).toBe('revalidate');
    expect(decideFreshness(window, storedAt + 86_400_000)).toBe('revalidate');
  });

  it('reloads past maxStaleMs, and when there is no map', () => {
    expect(decideFreshness(window, storedAt + 86_400_001)).toBe('reload');
    expect(decideFreshness(undefined, storedAt)).toBe('reload');
  });

  it('never serves stale with maxStaleMs equal to ttlMs, and revalidates at once with ttlMs 0', () => {
    expect(decideFreshness(freshnessWindow(storedAt, 1000, 1000), storedAt + 1001)).toBe('reload');
    expect(decideFreshness(freshnessWindow(storedAt, 0, 1000), storedAt + 1)).toBe('revalidate');
  });
});
