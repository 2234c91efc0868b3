import { NavMapError } from '@sdap/navmap-sdk';

/** How long the server keeps, serves and refreshes its map: the one source of the defaults (docs/configuration.md). */
export interface CacheTiming {
  readonly ttlSeconds: number;
  readonly maxStaleSeconds: number;
  readonly refreshAheadSeconds: number;
  readonly retrySeconds: number;
  readonly minForcedRefreshIntervalSeconds: number;
  readonly forcedRefreshTimeoutSeconds: number;
}

/** The defaults of every timing but `refreshAheadSeconds`, which follows the TTL (`defaultRefreshAheadSeconds`). */
export const CACHE_DEFAULTS = Object.freeze({
  ttlSeconds: 300,
  maxStaleSeconds: 3_600,
  retrySeconds: 10,
  minForcedRefreshIntervalSeconds: 10,
  forcedRefreshTimeoutSeconds: 3,
} as const);

/** The refresh starts this share of the TTL before expiry, at most `REFRESH_AHEAD_MAX_SECONDS`. */
export const REFRESH_AHEAD_TTL_DIVISOR = 5;
export const REFRESH_AHEAD_MAX_SECONDS = 30;

/** `min(30, floor(ttlSeconds / 5))`: whole seconds, as the configuration writes them. */
export function defaultRefreshAheadSeconds(ttlSeconds: number): number {
  return Math.min(REFRESH_AHEAD_MAX_SECONDS, Math.floor(ttlSeconds / REFRESH_AHEAD_TTL_DIVISOR));
}

const MINIMUM: Readonly<Record<keyof CacheTiming, number>> = {
  ttlSeconds: 0.001,
  maxStaleSeconds: 0,
  refreshAheadSeconds: 0,
  retrySeconds: 0.001,
  minForcedRefreshIntervalSeconds: 0,
  forcedRefreshTimeoutSeconds: 0.001,
};

/**
 * Fills in the default timings and checks them: each a number at or above its minimum, and the refresh starting before
 * expiry (`refreshAheadSeconds < ttlSeconds`). `optionName` spells an option in errors (`cache.ttlSeconds` in a config).
 *
 * @throws {NavMapError} `invalid_config` naming the option.
 * @example
 * resolveCacheTiming({ ttlSeconds: 60 }).refreshAheadSeconds; // 12
 */
export function resolveCacheTiming(
  options: Partial<Record<keyof CacheTiming, number | undefined>>,
  optionName: (key: keyof CacheTiming) => string = (key) => key,
): CacheTiming {
  const value = (key: keyof CacheTiming, fallback: number): number => {
    const given = options[key];
    if (given === undefined) return fallback;
    if (typeof given !== 'number' || !Number.isFinite(given) || given < MINIMUM[key]) {
      throw NavMapError.invalidOption(optionName(key), `a number >= ${MINIMUM[key]}`, given);
    }
    return given;
  };
  const ttlSeconds = value('ttlSeconds', CACHE_DEFAULTS.ttlSeconds);
  const refreshAheadSeconds = value('refreshAheadSeconds', defaultRefreshAheadSeconds(ttlSeconds));
  if (refreshAheadSeconds >= ttlSeconds) {
    throw NavMapError.invalidOption(optionName('refreshAheadSeconds'), `less than \`${optionName('ttlSeconds')}\` (${ttlSeconds})`, refreshAheadSeconds);
  }
  return Object.freeze({
    ttlSeconds,
    maxStaleSeconds: value('maxStaleSeconds', CACHE_DEFAULTS.maxStaleSeconds),
    refreshAheadSeconds,
    retrySeconds: value('retrySeconds', CACHE_DEFAULTS.retrySeconds),
    minForcedRefreshIntervalSeconds: value('minForcedRefreshIntervalSeconds', CACHE_DEFAULTS.minForcedRefreshIntervalSeconds),
    forcedRefreshTimeoutSeconds: value('forcedRefreshTimeoutSeconds', CACHE_DEFAULTS.forcedRefreshTimeoutSeconds),
  });
}
