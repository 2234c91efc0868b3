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

function duration(option: string, value: unknown, fallback: number, minimum: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum || value > MAX_TIMER_MS) {
    throw NavMapError.invalidOption(option, `a whole number of milliseconds between ${minimum} and ${MAX_TIMER_MS}`, value);
  }
  return value;
}

function isFunction(value: unknown): value is (...args: never[]) => unknown {
  return typeof value === 'function';
}

function resolveStorage(value: unknown): NavMapStorageKind | NavMapStorage {
  if (value === undefined) return 'indexeddb';
  if ((NAVMAP_STORAGE_KINDS as readonly unknown[]).includes(value)) return value as NavMapStorageKind;
  const candidate = value as Partial<Record<keyof NavMapStorage, unknown>> | null;
  if (typeof candidate === 'object' && candidate !== null && isFunction(candidate.get) && isFunction(candidate.set) && isFunction(candidate.del)) {
    return value as NavMapStorage;
  }
  throw NavMapError.invalidOption('storage', '"indexeddb", "session", "memory" or an object with async get, set and del', value);
}

function resolveBaseUrl(value: unknown): string {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch (error) {
    throw NavMapError.invalidOption('baseUrl', 'an absolute http(s) URL such as https://bff.contoso.com', value, error);
  }
  if (typeof value !== 'string' || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash) {
    throw NavMapError.invalidOption('baseUrl', 'an absolute http(s) URL without query or fragment', value);
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
  const baseUrl = resolveBaseUrl(options.baseUrl);
  if (!isFunction(options.getAccessToken)) {
    throw NavMapError.invalidOption('getAccessToken', 'a function returning a bearer token (or a promise of one)', options.getAccessToken);
  }
  if (typeof options.environment !== 'string' || options.environment.trim() === '') {
    throw NavMapError.invalidOption('environment', 'a non-empty string, the `environment` the NavMap server reports', options.environment);
  }
  const childEntity = options.childEntity ?? DEFAULT_CHILD_ENTITY;
  if (!isLogicalName(childEntity)) throw NavMapError.invalidOption('childEntity', 'a lower-case logical name such as sprk_document', childEntity);

  let fallback: NavMapResponse | undefined;
  if (options.fallback !== undefined) {
    try {
      fallback = parseNavMapResponse(options.fallback);
    } catch (error) {
      throw NavMapError.invalidOption('fallback', `a NavMap v1 map as \`navmap-server snapshot\` writes it (${(error as Error).message})`, '(see cause)', error);
    }
    const mismatch = findMapMismatch(fallback, undefined, childEntity);
    if (mismatch) throw NavMapError.invalidOption('fallback', `a map for child entity ${childEntity} with parents`, `a map that ${mismatch.message}`);
  }

  const ttlMs = duration('ttlMs', options.ttlMs, 300_000, 0);
  const maxStaleMs = duration('maxStaleMs', options.maxStaleMs, Math.max(86_400_000, ttlMs), 0);
  if (maxStaleMs < ttlMs) throw NavMapError.invalidOption('maxStaleMs', `at least \`ttlMs\` (${ttlMs})`, maxStaleMs);
  const timeoutMs = duration('timeoutMs', options.timeoutMs, 5000, 1);

  if (options.onEvent !== undefined && !isFunction(options.onEvent)) throw NavMapError.invalidOption('onEvent', 'a function', options.onEvent);
  const logger = options.logger ?? console;
  if (typeof logger !== 'object' || logger === null || !isFunction(logger.log) || !isFunction(logger.warn) || !isFunction(logger.error)) {
    throw NavMapError.invalidOption('logger', 'an object with log, warn and error functions (console has them)', logger);
  }

  return Object.freeze({
    baseUrl,
    endpoint: `${baseUrl}${NAVMAP_ENDPOINT_PATH}?v=1`,
    getAccessToken: options.getAccessToken,
    environment: navMapEnvironment(options.environment),
    childEntity,
    fallback,
    storage: resolveStorage(options.storage),
    ttlMs,
    maxStaleMs,
    timeoutMs,
    onEvent: options.onEvent,
    logger,
  });
}
