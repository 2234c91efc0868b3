import { isLogicalName, isODataIdentifier } from '../contract/identifiers.js';
import { NavMapError } from '../contract/NavMapError.js';
import { navMapEnvironment } from '../contract/navMapEnvironment.js';
import type { ParentConfig, ParentSpec } from './ParentSpec.js';

export interface ResolveNavMapOptions {
  /** The environment URL, for example `https://org.crm.dynamics.com`. */
  readonly dataverseUrl: string;
  /** The child table whose lookups are resolved, for example `sprk_document`. */
  readonly childEntity: string;
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
}

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
}

function nonNegativeInteger(option: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) throw NavMapError.invalidOption(option, 'a whole number >= 0', value);
  return value;
}

function resolveParent(parent: ParentConfig, index: number): ParentSpec {
  const spec: ParentSpec = typeof parent === 'string' ? { entity: parent } : parent;
  if (typeof spec !== 'object' || spec === null) {
    throw NavMapError.invalidOption(`parents[${index}]`, 'a logical name or { entity, relationship?, lookupAttribute? }', parent);
  }
  if (!isLogicalName(spec.entity)) {
    throw NavMapError.invalidOption(`parents[${index}].entity`, 'a lower-case logical name matching ^[a-z][a-z0-9_]{0,127}$', spec.entity);
  }
  if (spec.relationship !== undefined && !isODataIdentifier(spec.relationship)) {
    throw NavMapError.invalidOption(`parents[${index}].relationship`, 'a relationship SchemaName (letters, digits, _)', spec.relationship);
  }
  if (spec.lookupAttribute !== undefined && !isLogicalName(spec.lookupAttribute)) {
    throw NavMapError.invalidOption(`parents[${index}].lookupAttribute`, 'a lower-case logical name', spec.lookupAttribute);
  }
  return Object.freeze({ ...spec });
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
  if (!isLogicalName(options.childEntity)) {
    throw NavMapError.invalidOption('childEntity', 'a lower-case logical name matching ^[a-z][a-z0-9_]{0,127}$', options.childEntity);
  }
  if (!Array.isArray(options.parents)) throw NavMapError.invalidOption('parents', 'an array', options.parents);
  const parents = options.parents.map(resolveParent);
  const seen = new Set<string>();
  for (const [index, parent] of parents.entries()) {
    if (seen.has(parent.entity)) throw NavMapError.invalidOption(`parents[${index}].entity`, 'listed once', parent.entity);
    seen.add(parent.entity);
  }
  const timeoutMs = nonNegativeInteger('timeoutMs', options.timeoutMs, 15_000);
  if (timeoutMs === 0) throw NavMapError.invalidOption('timeoutMs', 'a whole number > 0', 0);
  const fetchFunction = options.fetch ?? globalThis.fetch;
  if (typeof fetchFunction !== 'function') throw NavMapError.invalidOption('fetch', 'a fetch function', options.fetch);
  const getToken = options.getToken ?? (() => '');
  if (typeof getToken !== 'function') throw NavMapError.invalidOption('getToken', 'a function returning a token', options.getToken);

  const base = url.href.replace(/\/+$/, '');
  return Object.freeze({
    apiBaseUrl: base.includes('/api/data/') ? base : `${base}/api/data/v9.2`,
    environment: options.environment ?? navMapEnvironment(url.href),
    childEntity: options.childEntity,
    parents: Object.freeze(parents),
    getToken,
    fetch: fetchFunction,
    timeoutMs,
    signal: options.signal,
    maxThrottleRetries: nonNegativeInteger('maxThrottleRetries', options.maxThrottleRetries, 2),
    maxThrottleWaitMs: nonNegativeInteger('maxThrottleWaitMs', options.maxThrottleWaitMs, 30_000),
    now: options.now ?? (() => new Date()),
  });
}
