import { NavMapError } from '@sdap/navmap-sdk';
import { errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { bearerToken } from '@sdap/navmap-sdk';
import { IssuerKeys } from './IssuerKeys.js';

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
  /**
   * Most verified tokens remembered at once; when full, expired ones go first, then the oldest. Only the canonical
   * spelling of a token is accepted, so respellings of one token cannot fill it. @default 10000
   */
  readonly maxRememberedTokens?: number;
  /**
   * Most memory the remembered tokens take (the token and its claims, in bytes), whatever their count: a caller with
   * large tokens fills it sooner. @default 33554432 (32 MiB)
   */
  readonly maxRememberedBytes?: number;
  /** @default globalThis.fetch */
  readonly fetch?: typeof globalThis.fetch;
  /** Timeout of the discovery and JWKS requests. @default 5000 */
  readonly timeoutMs?: number;
  /** The clock (epoch ms). @default Date.now */
  readonly now?: () => number;
}

const DEFAULT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];

/** What one remembered token costs besides its token and claims text: the map entry and the frozen caller. */
const REMEMBERED_ENTRY_OVERHEAD_BYTES = 256;

interface Remembered {
  readonly caller: VerifiedCaller;
  readonly bytes: number;
}

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
  readonly #maxRemembered: number;
  readonly #maxRememberedBytes: number;
  readonly #now: () => number;
  readonly #keys: IssuerKeys;
  readonly #remembered = new Map<string, Remembered>();
  #rememberedBytes = 0;

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
    this.#maxRemembered = options.maxRememberedTokens ?? 10_000;
    this.#maxRememberedBytes = options.maxRememberedBytes ?? 32 * 1024 * 1024;
    this.#now = options.now ?? Date.now;
    this.#keys = new IssuerKeys({
      issuer: options.issuer,
      fetch: options.fetch ?? globalThis.fetch,
      timeoutMs: options.timeoutMs ?? 5_000,
      unknownKeyCooldownMs: (options.jwksCooldownSeconds ?? 30) * 1000,
      now: this.#now,
    });
  }

  /** How many verified tokens are remembered and the bytes they take (bounded by both limits). */
  remembered(): { readonly tokens: number; readonly bytes: number } {
    return { tokens: this.#remembered.size, bytes: this.#rememberedBytes };
  }

  /** The caller of an already verified, unexpired token; no verification work. Used to key the rate limiter. */
  peek(authorization: string | undefined): VerifiedCaller | undefined {
    const token = bearerToken(authorization);
    if (token === undefined) return undefined;
    const caller = this.#remembered.get(token)?.caller;
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
    let caller = this.#remembered.get(token)?.caller;
    if (caller !== undefined && now >= caller.expiresAt) {
      this.#forget(token);
      caller = undefined;
    }
    if (caller === undefined) {
      if (!isCompactSerialization(token)) {
        throw unauthorized('The access token is malformed: expected a JWT in compact serialization, three base64url parts without padding (RFC 7515 section 7.1).');
      }
      caller = await this.#verifySignature(token);
      this.#remember(token, caller);
    }
    this.#authorize(caller);
    return caller;
  }

  async #verifySignature(token: string): Promise<VerifiedCaller> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.#keys.getKey, {
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
    const bytes = token.length + JSON.stringify(caller.claims).length + REMEMBERED_ENTRY_OVERHEAD_BYTES;
    if (bytes > this.#maxRememberedBytes) return;
    const full = () => this.#remembered.size >= this.#maxRemembered || this.#rememberedBytes + bytes > this.#maxRememberedBytes;
    if (full()) {
      const now = this.#now();
      for (const [key, value] of this.#remembered) if (now >= value.caller.expiresAt) this.#forget(key);
      // Still full of live tokens: forget the oldest (Map keeps insertion order).
      while (full()) this.#forget(this.#remembered.keys().next().value as string);
    }
    this.#remembered.set(token, { caller, bytes });
    this.#rememberedBytes += bytes;
  }

  #forget(token: string): void {
    const entry = this.#remembered.get(token);
    if (entry === undefined) return;
    this.#remembered.delete(token);
    this.#rememberedBytes -= entry.bytes;
  }
}

const BASE64URL_PART = /^[A-Za-z0-9_-]+$/;

/**
 * True for the one spelling of a JWS in compact serialization: three base64url parts, no padding, no other
 * characters, and each part the canonical encoding of its bytes. Decoders ignore padding and the unused low bits of a
 * part's last character, so without this check `<token>==` or a changed last character would verify as the same
 * token under another cache key.
 */
function isCompactSerialization(token: string): boolean {
  const parts = token.split('.');
  if (parts.length !== 3) return false;
  return parts.every((part) => BASE64URL_PART.test(part) && Buffer.from(part, 'base64url').toString('base64url') === part);
}
