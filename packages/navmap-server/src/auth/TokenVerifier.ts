import { NavMapError } from '@sdap/navmap-sdk';
import { createRemoteJWKSet, customFetch, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';

/** What the server knows about a verified caller. */
export interface VerifiedCaller {
  /** Who the caller is, for rate limiting and logs: `oid`, else `sub`, else the client id. Never the token. */
  readonly id: string;
  /** The calling application: `azp` (v2) or `appid` (v1). */
  readonly clientId: string | undefined;
  readonly scopes: readonly string[];
  readonly roles: readonly string[];
  /** Token expiry, epoch ms. */
  readonly expiresAt: number;
  readonly claims: JWTPayload;
}

export interface TokenVerifierOptions {
  /** The token issuer, e.g. `https://login.microsoftonline.com/<tenant>/v2.0`; discovery is read from it. */
  readonly issuer: string;
  /** Accepted `aud` values, e.g. `api://navmap-bff` (and the app's client id). */
  readonly audience: string | readonly string[];
  /** Delegated scopes (`scp`); a token with any one of them passes. */
  readonly requiredScopes?: readonly string[];
  /** Application roles (`roles`); a token with any one of them passes. */
  readonly requiredRoles?: readonly string[];
  /** Allowed clock skew for `exp` and `nbf`. @default 30 */
  readonly clockToleranceSeconds?: number;
  /** Asymmetric algorithms accepted. @default ['RS256','RS384','RS512','PS256','PS384','PS512','ES256','ES384','ES512'] */
  readonly algorithms?: readonly string[];
  /** Least time between two JWKS downloads caused by an unknown `kid`. @default 30 */
  readonly jwksCooldownSeconds?: number;
  /** Most verified tokens remembered at once. @default 10000 */
  readonly maxRememberedTokens?: number;
  /** @default globalThis.fetch */
  readonly fetch?: typeof globalThis.fetch;
  /** Timeout of the discovery and JWKS requests. @default 5000 */
  readonly timeoutMs?: number;
  /** The clock (epoch ms). @default Date.now */
  readonly now?: () => number;
}

const DEFAULT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];

type KeySet = ReturnType<typeof createRemoteJWKSet>;

function unauthorized(message: string, cause?: unknown): NavMapError {
  return new NavMapError('unauthorized', message, { status: 401, ...(cause === undefined ? {} : { cause }) });
}

function explain(error: unknown): NavMapError {
  if (error instanceof joseErrors.JWTExpired) return unauthorized('The access token has expired.', error);
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return unauthorized('The access token is not valid yet (nbf).', error);
    if (error.claim === 'iss') return unauthorized('The access token was issued by another issuer.', error);
    if (error.claim === 'aud') return unauthorized('The access token is for another audience.', error);
    return unauthorized(`The access token's \`${error.claim}\` claim is not acceptable.`, error);
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return unauthorized('The access token is signed with an algorithm that is not accepted.', error);
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return unauthorized('The access token signature is invalid.', error);
  if (error instanceof joseErrors.JWKSNoMatchingKey) return unauthorized('The access token is signed with a key the issuer does not publish.', error);
  if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid || error instanceof joseErrors.JOSENotSupported) {
    return unauthorized('The access token is malformed.', error);
  }
  if (error instanceof NavMapError) return error;
  return new NavMapError('server_unavailable', `Access tokens cannot be verified now: ${(error as Error).message}`, {
    cause: error,
    retryAfterSeconds: 5,
  });
}

function asStrings(value: unknown): string[] {
  if (typeof value === 'string') return value.split(' ').filter((item) => item !== '');
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

/**
 * Verifies bearer tokens against the issuer's OpenID discovery document and JWKS with `jose`: signature (asymmetric
 * algorithms only, so `alg: none` and HS256 signed with a public key fail), issuer, audience, `exp` and `nbf`, then
 * the required scope or role. A token that passed is remembered until it expires, so a repeat caller costs a map
 * lookup and no RSA work. An unknown `kid` refetches the JWKS, at most once per `jwksCooldownSeconds`.
 *
 * @example
 * const verifier = new TokenVerifier({ issuer, audience: 'api://navmap-bff', requiredRoles: ['NavMap.Read'] });
 * const caller = await verifier.verify(request.headers.authorization);
 */
export class TokenVerifier {
  readonly issuer: string;
  readonly audience: readonly string[];
  readonly requiredScopes: readonly string[];
  readonly requiredRoles: readonly string[];
  readonly #algorithms: string[];
  readonly #clockToleranceSeconds: number;
  readonly #cooldownMs: number;
  readonly #maxRemembered: number;
  readonly #fetch: typeof globalThis.fetch;
  readonly #timeoutMs: number;
  readonly #now: () => number;
  readonly #remembered = new Map<string, VerifiedCaller>();
  #keySet: Promise<KeySet> | undefined;

  constructor(options: TokenVerifierOptions) {
    try {
      const url = new URL(options?.issuer);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http');
    } catch {
      throw NavMapError.invalidOption('issuer', 'an http(s) URL such as https://login.microsoftonline.com/<tenant>/v2.0', options?.issuer);
    }
    const audience = typeof options.audience === 'string' ? [options.audience] : [...(options.audience ?? [])];
    if (audience.length === 0 || audience.some((item) => typeof item !== 'string' || item === '')) {
      throw NavMapError.invalidOption('audience', 'a non-empty string or list of strings', options.audience);
    }
    this.issuer = options.issuer;
    this.audience = Object.freeze(audience);
    this.requiredScopes = Object.freeze([...(options.requiredScopes ?? [])]);
    this.requiredRoles = Object.freeze([...(options.requiredRoles ?? [])]);
    this.#algorithms = [...(options.algorithms ?? DEFAULT_ALGORITHMS)];
    if (this.#algorithms.some((algorithm) => algorithm === 'none' || algorithm.startsWith('HS'))) {
      throw NavMapError.invalidOption('algorithms', 'asymmetric algorithms only (RS*, PS*, ES*, EdDSA)', options.algorithms);
    }
    this.#clockToleranceSeconds = options.clockToleranceSeconds ?? 30;
    this.#cooldownMs = (options.jwksCooldownSeconds ?? 30) * 1000;
    this.#maxRemembered = options.maxRememberedTokens ?? 10_000;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#timeoutMs = options.timeoutMs ?? 5_000;
    this.#now = options.now ?? Date.now;
  }

  /** The caller of an already verified, unexpired token; no verification work. Used to key the rate limiter. */
  peek(authorization: string | undefined): VerifiedCaller | undefined {
    const token = bearerToken(authorization);
    if (token === undefined) return undefined;
    const caller = this.#remembered.get(token);
    return caller !== undefined && this.#now() < caller.expiresAt ? caller : undefined;
  }

  /**
   * Verifies an `Authorization` header value.
   *
   * @throws {NavMapError} `unauthorized` (401) for a missing or bad token, `forbidden` (403) when the scope or role
   * is missing, `server_unavailable` when the issuer's keys cannot be fetched.
   */
  async verify(authorization: string | undefined): Promise<VerifiedCaller> {
    const token = bearerToken(authorization);
    if (token === undefined) {
      throw unauthorized(authorization ? 'The Authorization header must be "Bearer <access token>".' : 'An access token is required.');
    }
    const now = this.#now();
    let caller = this.#remembered.get(token);
    if (caller !== undefined && now >= caller.expiresAt) {
      this.#remembered.delete(token);
      caller = undefined;
    }
    if (caller === undefined) {
      caller = await this.#verifySignature(token);
      this.#remember(token, caller);
    }
    this.#authorize(caller);
    return caller;
  }

  async #verifySignature(token: string): Promise<VerifiedCaller> {
    let payload: JWTPayload;
    try {
      const keySet = await this.#getKeySet();
      ({ payload } = await jwtVerify(token, keySet, {
        issuer: this.issuer,
        audience: [...this.audience],
        algorithms: this.#algorithms,
        clockTolerance: this.#clockToleranceSeconds,
        requiredClaims: ['exp'],
        currentDate: new Date(this.#now()),
      }));
    } catch (error) {
      throw explain(error);
    }
    // Azure AD tokens carry nbf; for a token without it, an iat in the future means the same: not valid yet.
    if (payload.nbf === undefined && typeof payload.iat === 'number' && payload.iat * 1000 > this.#now() + this.#clockToleranceSeconds * 1000) {
      throw unauthorized('The access token is not valid yet (iat is in the future).');
    }
    const clientId = typeof payload.azp === 'string' ? payload.azp : typeof payload.appid === 'string' ? payload.appid : undefined;
    const id = typeof payload.oid === 'string' ? payload.oid : (payload.sub ?? clientId ?? 'unknown');
    return Object.freeze({
      id,
      clientId,
      scopes: Object.freeze(asStrings(payload.scp)),
      roles: Object.freeze(asStrings(payload.roles)),
      expiresAt: (payload.exp as number) * 1000,
      claims: payload,
    });
  }

  #authorize(caller: VerifiedCaller): void {
    if (this.requiredScopes.length === 0 && this.requiredRoles.length === 0) return;
    if (this.requiredScopes.some((scope) => caller.scopes.includes(scope))) return;
    if (this.requiredRoles.some((role) => caller.roles.includes(role))) return;
    const wanted = [
      ...(this.requiredScopes.length > 0 ? [`one of the scopes ${this.requiredScopes.join(', ')} (scp)`] : []),
      ...(this.requiredRoles.length > 0 ? [`one of the roles ${this.requiredRoles.join(', ')} (roles)`] : []),
    ].join(' or ');
    throw new NavMapError('forbidden', `The access token lacks ${wanted}.`, { status: 403 });
  }

  #remember(token: string, caller: VerifiedCaller): void {
    if (this.#remembered.size >= this.#maxRemembered) {
      const now = this.#now();
      for (const [key, value] of this.#remembered) if (now >= value.expiresAt) this.#remembered.delete(key);
      // Still full of live tokens: forget the oldest (Map keeps insertion order).
      while (this.#remembered.size >= this.#maxRemembered) {
        const oldest = this.#remembered.keys().next().value as string;
        this.#remembered.delete(oldest);
      }
    }
    this.#remembered.set(token, caller);
  }

  /** Discovery once; the JWKS itself is cached, and refetched on an unknown kid, by jose. */
  #getKeySet(): Promise<KeySet> {
    this.#keySet ??= this.#discover().catch((error: unknown) => {
      this.#keySet = undefined;
      throw error;
    });
    return this.#keySet;
  }

  async #discover(): Promise<KeySet> {
    const discoveryUrl = `${this.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    let document: { issuer?: unknown; jwks_uri?: unknown };
    try {
      const response = await this.#fetch(discoveryUrl, { signal: AbortSignal.timeout(this.#timeoutMs), headers: { Accept: 'application/json' } });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      document = (await response.json()) as typeof document;
    } catch (error) {
      // undici hides the reason (certificate, refused connection) in `cause`.
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const reason = cause?.code ?? cause?.message;
      throw new NavMapError('server_unavailable', `Cannot read the OpenID discovery document ${discoveryUrl}: ${(error as Error).message}${reason ? ` (${reason})` : ''}`, {
        cause: error,
        retryAfterSeconds: 5,
      });
    }
    if (typeof document.jwks_uri !== 'string') {
      throw new NavMapError('invalid_response', `The discovery document ${discoveryUrl} has no jwks_uri.`);
    }
    const fetchFunction = this.#fetch;
    return createRemoteJWKSet(new URL(document.jwks_uri), {
      cooldownDuration: this.#cooldownMs,
      timeoutDuration: this.#timeoutMs,
      [customFetch]: (url, init) => fetchFunction(url, init),
    });
  }
}

function bearerToken(authorization: string | undefined): string | undefined {
  if (typeof authorization !== 'string') return undefined;
  const match = /^Bearer[ ]+([A-Za-z0-9\-_.~+/]+=*)\s*$/i.exec(authorization);
  return match?.[1];
}
