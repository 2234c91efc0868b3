import { NavMapError } from '@sdap/navmap-sdk';
import { createLocalJWKSet, errors as joseErrors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

export interface IssuerKeysOptions {
  /** The token issuer; its discovery document names the JWKS. */
  readonly issuer: string;
  readonly fetch: typeof globalThis.fetch;
  /** Timeout of one discovery or JWKS request. */
  readonly timeoutMs: number;
  /** Least time between two JWKS downloads caused by an unknown `kid`. */
  readonly unknownKeyCooldownMs: number;
  /** The clock (epoch ms). */
  readonly now: () => number;
}

/** Age after which the key set is refetched (jose's `cacheMaxAge` default), keeping the old one if that fails. */
const KEY_SET_MAX_AGE_MS = 10 * 60_000;
/** After a failed discovery or JWKS download, callers get the same error for this long instead of a new download. */
const FAILED_FETCH_COOLDOWN_MS = 5_000;

interface KeySet {
  readonly getKey: JWTVerifyGetKey;
  readonly fetchedAt: number;
}

function unavailable(what: string, error: unknown): NavMapError {
  // undici hides the reason (certificate, refused connection) in `cause`.
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const reason = cause?.code ?? cause?.message;
  return new NavMapError('server_unavailable', `Access tokens cannot be verified now: cannot read ${what}: ${(error as Error).message}${reason ? ` (${reason})` : ''}`, {
    cause: error,
    retryAfterSeconds: FAILED_FETCH_COOLDOWN_MS / 1000,
  });
}

/**
 * The issuer's signing keys, read through its OpenID discovery document: one download at a time, a cool-down after a
 * failed one (so an identity-provider outage costs one request per cool-down, not one per caller), and the last good
 * key set kept while a refetch fails. An unknown `kid` refetches at most once per `unknownKeyCooldownMs`.
 *
 * @example
 * const keys = new IssuerKeys({ issuer, fetch, timeoutMs: 5_000, unknownKeyCooldownMs: 30_000, now: Date.now });
 * await jwtVerify(token, keys.getKey, { issuer });
 */
export class IssuerKeys {
  readonly #options: IssuerKeysOptions;
  #jwksUri: string | undefined;
  #keySet: KeySet | undefined;
  #download: Promise<KeySet> | undefined;
  #lastAttemptAt = Number.NEGATIVE_INFINITY;
  #lastFailure: { readonly at: number; readonly error: NavMapError } | undefined;

  constructor(options: IssuerKeysOptions) {
    this.#options = options;
  }

  /** For `jwtVerify`: the key a token's header names. */
  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    const now = this.#options.now();
    let keySet = this.#keySet;
    if (keySet === undefined) keySet = await this.#refresh(now);
    else if (now - keySet.fetchedAt >= KEY_SET_MAX_AGE_MS) keySet = await this.#refresh(now).catch(() => keySet as KeySet);
    try {
      return await keySet.getKey(header, token);
    } catch (error) {
      if (!(error instanceof joseErrors.JWKSNoMatchingKey) || now - this.#lastAttemptAt < this.#options.unknownKeyCooldownMs) throw error;
      // A key the issuer may have rotated in: refetch once; when that fails, the token's key is still unknown (401).
      const refreshed = await this.#refresh(now).catch(() => undefined);
      if (refreshed === undefined) throw error;
      return refreshed.getKey(header, token);
    }
  };

  /** One download at a time; within the cool-down after a failure, that failure again. */
  #refresh(now: number): Promise<KeySet> {
    if (this.#download !== undefined) return this.#download;
    const failure = this.#lastFailure;
    if (failure !== undefined && now - failure.at < FAILED_FETCH_COOLDOWN_MS) return Promise.reject(failure.error);
    this.#lastAttemptAt = now;
    const download = this.#downloadKeySet().then(
      (keySet) => {
        this.#keySet = keySet;
        this.#lastFailure = undefined;
        return keySet;
      },
      (error: unknown) => {
        const navMapError = error instanceof NavMapError ? error : unavailable('the signing keys', error);
        this.#lastFailure = { at: this.#options.now(), error: navMapError };
        throw navMapError;
      },
    );
    this.#download = download.finally(() => {
      this.#download = undefined;
    });
    return this.#download;
  }

  async #downloadKeySet(): Promise<KeySet> {
    this.#jwksUri ??= await this.#discover();
    let keySet: JSONWebKeySet;
    try {
      keySet = (await this.#getJson(this.#jwksUri)) as JSONWebKeySet;
      if (!Array.isArray(keySet?.keys)) throw new Error('the answer has no "keys" array');
    } catch (error) {
      throw unavailable(`the JWKS ${this.#jwksUri}`, error);
    }
    return { getKey: createLocalJWKSet(keySet), fetchedAt: this.#options.now() };
  }

  async #discover(): Promise<string> {
    const discoveryUrl = `${this.#options.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    let document: { jwks_uri?: unknown };
    try {
      document = (await this.#getJson(discoveryUrl)) as typeof document;
    } catch (error) {
      throw unavailable(`the OpenID discovery document ${discoveryUrl}`, error);
    }
    if (typeof document?.jwks_uri !== 'string' || !URL.canParse(document.jwks_uri)) {
      throw new NavMapError('invalid_response', `The discovery document ${discoveryUrl} has no jwks_uri.`, { retryAfterSeconds: FAILED_FETCH_COOLDOWN_MS / 1000 });
    }
    return document.jwks_uri;
  }

  async #getJson(url: string): Promise<unknown> {
    const response = await this.#options.fetch(url, { signal: AbortSignal.timeout(this.#options.timeoutMs), headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.json();
  }
}
