import type { NavMapCacheState } from '../cache/NavMapCache.js';

/** What `GET /readyz` says, besides its status. */
export interface ReadinessBody {
  /** True while the server answers the map (`ready` or `degraded`). */
  readonly ready: boolean;
  readonly status: 'ready' | 'degraded' | 'not_ready' | 'draining';
  /** The served (or, when not ready, the last) map's `generatedAt`. */
  readonly generatedAt?: string;
  /** Seconds since that map was read from Dataverse. */
  readonly ageSeconds?: number;
  /** `degraded`: seconds the stale map may still be served before `not_ready`. */
  readonly servableForSeconds?: number;
  readonly reason?: string;
}

export interface ReadinessAnswer {
  /** 200 for `ready` and `degraded` (the map is served), 503 otherwise. */
  readonly status: 200 | 503;
  readonly body: ReadinessBody;
}

/**
 * The readiness of the server from the cache's state. `degraded` answers 200 on purpose: the stale map is what every
 * instance would serve while Dataverse fails, so taking instances out of rotation would only turn 200s into errors.
 * No Dataverse URL, query or upstream message: `/readyz` is unauthenticated, and the logs carry the detail.
 *
 * @example
 * const { status, body } = answerReadiness(cache.state(), { draining: false, maxStaleSeconds: 3600, now: Date.now() });
 */
export function answerReadiness(state: NavMapCacheState, { draining, maxStaleSeconds, now }: { draining: boolean; maxStaleSeconds: number; now: number }): ReadinessAnswer {
  const seconds = (ms: number) => Math.max(0, Math.floor(ms / 1000));
  if (draining) return { status: 503, body: { ready: false, status: 'draining', reason: 'The server is shutting down; requests in flight are finishing.' } };
  if (state.state === 'ready') {
    return { status: 200, body: { ready: true, status: 'ready', generatedAt: state.entry.map.generatedAt, ageSeconds: seconds(now - state.entry.loadedAt) } };
  }
  if (state.state === 'degraded') {
    return {
      status: 200,
      body: {
        ready: true,
        status: 'degraded',
        generatedAt: state.entry.map.generatedAt,
        ageSeconds: seconds(now - state.entry.loadedAt),
        servableForSeconds: seconds(state.entry.expiresAt + maxStaleSeconds * 1000 - now),
        reason: 'Serving the last NavMap past its TTL because refreshing it from Dataverse fails; the server logs say why.',
      },
    };
  }
  if (state.state === 'loading') return { status: 503, body: { ready: false, status: 'not_ready', reason: 'The first NavMap is still loading from Dataverse.' } };
  const last = state.lastEntry;
  if (last === undefined) {
    return { status: 503, body: { ready: false, status: 'not_ready', reason: 'No NavMap could be loaded from Dataverse yet; the server logs say why.' } };
  }
  return {
    status: 503,
    body: {
      ready: false,
      status: 'not_ready',
      generatedAt: last.map.generatedAt,
      ageSeconds: seconds(now - last.loadedAt),
      reason: `The last NavMap expired more than cache.maxStaleSeconds (${maxStaleSeconds} s) ago and Dataverse could not be read since; the server logs say why.`,
    },
  };
}
