import { isLogicalName } from '../contract/identifiers.js';
import { NavMapError } from '../contract/NavMapError.js';
import { navMapEnvironment } from '../contract/navMapEnvironment.js';
import { resolveParents, type ParentConfig, type ParentSpec } from './ParentSpec.js';

/** The child table a NavMap is for when the configuration names none (the SDK client's default too). */
export const DEFAULT_CHILD_ENTITY = 'sprk_document';
/** Timeout of each Dataverse metadata request when the configuration sets none. */
export const DEFAULT_DATAVERSE_TIMEOUT_MS = 15_000;

export interface ResolveNavMapOptions {
  /** The environment URL, for example `https://org.crm.dynamics.com`. */
  readonly dataverseUrl: string;
  /** The child table whose lookups are resolved. @default 'sprk_document' */
  readonly childEntity?: string;
  /** The parent tables to resolve. An empty list gives an empty map. */
  readonly parents: readonly ParentConfig[];
  /** Returns a bearer token for Dataverse (audience = `dataverseUrl`). Omit only for an endpoint without auth. */
  readonly getToken?: () => string | Promise<string>;
  /** @default globalThis.fetch */
  readonly fetch?: typeof globalThis.fetch;
  /** Timeout of each Dataverse request, in milliseconds. @default 15000 */
  readonly timeoutMs?: number;
  /** Aborts the whole resolution. */
  readonly signal?: AbortSignal;
  /** What the map's `environment` says. @default the origin of `dataverseUrl` */
  readonly environment?: string;
  /** Retries after a 429 before giving up with `dataverse_throttled`. @default 2 */
  readonly maxThrottleRetries?: number;
  /** Most time spent waiting on Retry-After in one resolution, in milliseconds. @default 30000 */
  readonly maxThrottleWaitMs?: number;
  /** The clock, for `generatedAt`. @default () => new Date() */
  readonly now?: () => Date;
  /**
   * `'strong'` sends `Consistency: Strong`, so a schema change made in the last ~30 s is seen (Dataverse caches
   * metadata); it costs Dataverse a little more, so use it only when freshness matters (a forced refresh).
   * @default 'eventual'
   */
  readonly consistency?: NavMapConsistency;
}

/** How fresh the metadata must be: `eventual` accepts Dataverse's metadata cache, `strong` reads past it. */
export type NavMapConsistency = 'eventual' | 'strong';

export interface ResolvedResolveNavMapOptions {
  readonly apiBaseUrl: string;
  readonly environment: string;
  readonly childEntity: string;
  readonly parents: readonly ParentSpec[];
  readonly getToken: () => string | Promise<string>;
  readonly fetch: typeof globalThis.fetch;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
  readonly maxThrottleRetries: number;
  readonly maxThrottleWaitMs: number;
  readonly now: () => Date;
  readonly consistency: NavMapConsistency;
}

function nonNegativeInteger(option: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) throw NavMapError.invalidOption(option, 'a whole number >= 0', value);
  return value;
}

/** Validates `resolveNavMap` options once and merges them over the defaults. */
export function resolveNavMapOptions(options: ResolveNavMapOptions): ResolvedResolveNavMapOptions {
  let url: URL;
  try {
    url = new URL(options.dataverseUrl);
  } catch {
    throw NavMapError.invalidOption('dataverseUrl', 'an absolute URL such as https://org.crm.dynamics.com', options.dataverseUrl);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw NavMapError.invalidOption('dataverseUrl', 'an http(s) URL', options.dataverseUrl);
  }
  const childEntity = options.childEntity ?? DEFAULT_CHILD_ENTITY;
  if (!isLogicalName(childEntity)) {
    throw NavMapError.invalidOption('childEntity', 'a lower-case logical name matching ^[a-z][a-z0-9_]{0,127}$', options.childEntity);
  }
  const parents = resolveParents(options.parents);
  const timeoutMs = nonNegativeInteger('timeoutMs', options.timeoutMs, DEFAULT_DATAVERSE_TIMEOUT_MS);
  if (timeoutMs === 0) throw NavMapError.invalidOption('timeoutMs', 'a whole number > 0', 0);
  const fetchFunction = options.fetch ?? globalThis.fetch;
  if (typeof fetchFunction !== 'function') throw NavMapError.invalidOption('fetch', 'a fetch function', options.fetch);
  const getToken = options.getToken ?? (() => '');
  if (typeof getToken !== 'function') throw NavMapError.invalidOption('getToken', 'a function returning a token', options.getToken);

  const consistency = options.consistency ?? 'eventual';
  if (consistency !== 'eventual' && consistency !== 'strong') throw NavMapError.invalidOption('consistency', "'eventual' or 'strong'", options.consistency);

  const base = url.href.replace(/\/+$/, '');
  return Object.freeze({
    apiBaseUrl: base.includes('/api/data/') ? base : `${base}/api/data/v9.2`,
    environment: options.environment ?? navMapEnvironment(url.href),
    childEntity,
    parents: Object.freeze(parents),
    getToken,
    fetch: fetchFunction,
    timeoutMs,
    signal: options.signal,
    maxThrottleRetries: nonNegativeInteger('maxThrottleRetries', options.maxThrottleRetries, 2),
    maxThrottleWaitMs: nonNegativeInteger('maxThrottleWaitMs', options.maxThrottleWaitMs, 30_000),
    now: options.now ?? (() => new Date()),
    consistency,
  });
}
