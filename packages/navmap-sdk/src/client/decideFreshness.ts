/** Until when a map is fresh, and until when it may still be served while it is revalidated (epoch milliseconds). */
export interface FreshnessWindow {
  readonly freshUntil: number;
  readonly staleUntil: number;
}

/**
 * What to do with a map now: `use` it as it is, `revalidate` it (serve it and ask the server in the background), or
 * `reload` (wait for the server, keeping the map only as a fallback). No map means `reload`.
 */
export type FreshnessDecision = 'use' | 'revalidate' | 'reload';

/** The window of a map held since `since`: fresh for `ttlMs`, served stale up to `maxStaleMs`. */
export function freshnessWindow(since: number, ttlMs: number, maxStaleMs: number): FreshnessWindow {
  return { freshUntil: since + ttlMs, staleUntil: since + maxStaleMs };
}

/**
 * The freshness decision for a map (its window) at `now`: a pure function, so every layer decides alike.
 *
 * @example
 * decideFreshness(freshnessWindow(entry.storedAt, 300_000, 86_400_000), Date.now()); // 'use', 'revalidate' or 'reload'
 */
export function decideFreshness(window: FreshnessWindow | undefined, now: number): FreshnessDecision {
  if (window === undefined) return 'reload';
  if (now <= window.freshUntil) return 'use';
  return now <= window.staleUntil ? 'revalidate' : 'reload';
}
