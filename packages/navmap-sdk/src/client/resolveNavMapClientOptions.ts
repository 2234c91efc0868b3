import { NAVMAP_ENDPOINT_PATH } from '../contract/http.js';
import { isLogicalName } from '../contract/identifiers.js';
import { navMapEnvironment } from '../contract/navMapEnvironment.js';
import { NavMapError } from '../contract/NavMapError.js';
import { parseNavMapResponse } from '../contract/parseNavMapResponse.js';
import { DEFAULT_CHILD_ENTITY, type NavMapResponse } from '../contract/types.js';
import { findMapMismatch } from './findMapMismatch.js';
import type { NavMapClientEvent } from '../contract/NavMapClientEvent.js';
import { NAVMAP_STORAGE_KINDS, type NavMapStorage, type NavMapStorageKind } from './NavMapStorage.js';

/** Where console lines go; `console` by default. Every line starts with `[NavMapClient]`. */
export interface NavMapClientLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface NavMapClientOptions {
  /** Origin (and optional base path) of the BFF that serves `/api/pcf/dataverse-navmap`, for example `https://bff.contoso.com`. */
  readonly baseUrl: string;
  /** Returns a bearer token for the BFF. A rejection makes the server layer fail with `unauthorized`. */
  readonly getAccessToken: () => string | Promise<string>;
  /**
   * The Dataverse environment as the server's map names it (its `environment` field): the org URL. A URL is compared
   * by its origin, so `https://Org.crm.dynamics.com/` matches a server's `https://org.crm.dynamics.com`.
   */
  readonly environment: string;
  /** The child table. @default 'sprk_document' */
  readonly childEntity?: string;
  /** The map bundled with the control (`navmap-server snapshot` writes it), the last layer. Validated at creation. */
  readonly fallback?: unknown;
  /** The persistent cache. @default 'indexeddb' (which degrades to `session`, then `memory`, when refused) */
  readonly storage?: NavMapStorageKind | NavMapStorage;
  /** How long a cached map is used without asking the server, in milliseconds. @default 300000 (5 minutes) */
  readonly ttlMs?: number;
  /**
   * Up to this age a cached map is still returned at once and revalidated in the background (`If-None-Match`).
   * An older entry waits for the server and is used only when the server fails. @default 86400000 (24 hours)
   */
  readonly maxStaleMs?: number;
  /** Limit for getting the token and the server's answer together, in milliseconds. @default 5000 */
  readonly timeoutMs?: number;
  /** Receives every `NavMapClientEvent` (telemetry). Errors it throws are ignored. */
  readonly onEvent?: (event: NavMapClientEvent) => void;
  /** @default console */
  readonly logger?: NavMapClientLogger;
}

export interface ResolvedNavMapClientOptions {
  /** `baseUrl` without a trailing slash. */
  readonly baseUrl: string;
  /** `${baseUrl}/api/pcf/dataverse-navmap?v=1` */
  readonly endpoint: string;
  readonly getAccessToken: () => string | Promise<string>;
  readonly environment: string;
  readonly childEntity: string;
  readonly fallback: NavMapResponse | undefined;
  readonly storage: NavMapStorageKind | NavMapStorage;
  readonly ttlMs: number;
  readonly maxStaleMs: number;
  readonly timeoutMs: number;
  readonly onEvent: ((event: NavMapClientEvent) => void) | undefined;
  readonly logger: NavMapClientLogger;
}

const MAX_TIMER_MS = 2_147_483_647;

/** True for an object with a function under each of `names`: a storage, a logger. */
function hasFunctions(value: unknown, names: readonly string[]): boolean {
  return typeof value === 'object' && value !== null && names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');
}

function resolveBaseUrl(value: unknown): string {
  let url: URL | undefined;
  let cause: unknown;
  try {
    url = new URL(String(value));
  } catch (error) {
    cause = error;
  }
  if (typeof value !== 'string' || !url || !/^https?:$/.test(url.protocol) || url.search || url.hash) {
    throw NavMapError.invalidOption('baseUrl', 'an http(s) URL without query or fragment, such as https://bff.contoso.com', value, cause);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * Validates `createNavMapClient` options once, merges them over the defaults and freezes the result.
 *
 * @throws {NavMapError} `invalid_config` naming the first bad option.
 * @example
 * resolveNavMapClientOptions({ baseUrl: 'https://bff.contoso.com', getAccessToken, environment: 'https://org.crm.dynamics.com' }).timeoutMs; // 5000
 */
export function resolveNavMapClientOptions(options: NavMapClientOptions): ResolvedNavMapClientOptions {
  if (typeof options !== 'object' || options === null) throw NavMapError.invalidOption('options', 'an object', options);
  /** The `invalid_config` error for `option` unless `valid`: the option's name, the expected form, what was received. */
  const check = (valid: boolean, option: keyof NavMapClientOptions, expected: string, value: unknown = options[option]): void => {
    if (!valid) throw NavMapError.invalidOption(option, expected, value);
  };
  const duration = (option: 'ttlMs' | 'maxStaleMs' | 'timeoutMs', fallback: number, minimum: number): number => {
    const value = options[option] === undefined ? fallback : options[option];
    check(Number.isInteger(value) && value >= minimum && value <= MAX_TIMER_MS, option, `a whole number of milliseconds between ${minimum} and ${MAX_TIMER_MS}`);
    return value;
  };

  const baseUrl = resolveBaseUrl(options.baseUrl);
  check(typeof options.getAccessToken === 'function', 'getAccessToken', 'a function returning a bearer token or a promise of one');
  check(typeof options.environment === 'string' && options.environment.trim() !== '', 'environment', 'the non-empty `environment` the NavMap server reports');
  const childEntity = options.childEntity ?? DEFAULT_CHILD_ENTITY;
  check(isLogicalName(childEntity), 'childEntity', 'a lower-case logical name such as sprk_document', childEntity);

  let fallback: NavMapResponse | undefined;
  if (options.fallback !== undefined) {
    try {
      fallback = parseNavMapResponse(options.fallback);
    } catch (error) {
      throw NavMapError.invalidOption('fallback', `a NavMap v1 map as \`navmap-server snapshot\` writes it (${(error as Error).message})`, '(see cause)', error);
    }
    const mismatch = findMapMismatch(fallback, undefined, childEntity);
    check(!mismatch, 'fallback', `a map for child entity ${childEntity} with parents`, `a map that ${mismatch?.message}`);
  }

  const ttlMs = duration('ttlMs', 300_000, 0);
  const maxStaleMs = duration('maxStaleMs', Math.max(86_400_000, ttlMs), 0);
  check(maxStaleMs >= ttlMs, 'maxStaleMs', `at least \`ttlMs\` (${ttlMs})`);
  const timeoutMs = duration('timeoutMs', 5000, 1);

  check(options.onEvent === undefined || typeof options.onEvent === 'function', 'onEvent', 'a function');
  const logger = options.logger ?? console;
  check(hasFunctions(logger, ['log', 'warn', 'error']), 'logger', 'an object with log, warn and error functions, such as console', logger);
  const storage = options.storage ?? 'indexeddb';
  check(
    NAVMAP_STORAGE_KINDS.includes(storage as NavMapStorageKind) || hasFunctions(storage, ['get', 'set', 'del']),
    'storage',
    `"${NAVMAP_STORAGE_KINDS.join('", "')}" or an object with async get, set and del`,
    storage,
  );

  return Object.freeze({
    baseUrl,
    endpoint: `${baseUrl}${NAVMAP_ENDPOINT_PATH}?v=1`,
    getAccessToken: options.getAccessToken,
    environment: navMapEnvironment(options.environment),
    childEntity,
    fallback,
    storage,
    ttlMs,
    maxStaleMs,
    timeoutMs,
    onEvent: options.onEvent,
    logger,
  });
}
