import { bearerToken } from '@sdap/navmap-sdk';
import { createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';

/** Why a bearer token was refused; the message is safe to return to the caller. */
export class TokenRejectedError extends Error {
  override readonly name = 'TokenRejectedError' as const;
  /** Dataverse's 401 error types: ExpiredAuthTicket for expiry, InvalidAuthTicket for the rest. */
  readonly reason: 'missing' | 'expired' | 'invalid';

  constructor(reason: 'missing' | 'expired' | 'invalid', message: string) {
    super(message);
    this.reason = reason;
  }
}

export interface TokenVerifier {
  /** Verifies signature (RS256, the provider's keys), issuer, expiry and that `aud` is one of `audiences`. */
  verify(authorization: string | undefined, audiences: readonly string[]): Promise<JWTPayload>;
}

/** Verifies access tokens of the local identity provider in process, with its public keys. */
export function createTokenVerifier(jwks: JSONWebKeySet, issuer: string): TokenVerifier {
  const keys = createLocalJWKSet(jwks);
  return {
    async verify(authorization, audiences) {
      if (authorization === undefined || authorization.trim() === '') {
        throw new TokenRejectedError('missing', 'No bearer token was sent; add an Authorization: Bearer <token> header.');
      }
      const token = bearerToken(authorization);
      if (token === undefined) throw new TokenRejectedError('invalid', 'The Authorization header is not of the form "Bearer <token>".');
      try {
        const { payload } = await jwtVerify(token, keys, {
          issuer,
          audience: [...audiences],
          algorithms: ['RS256'],
        });
        return payload;
      } catch (error) {
        if (error instanceof errors.JWTExpired) throw new TokenRejectedError('expired', 'The access token has expired.');
        if (error instanceof errors.JWTClaimValidationFailed) {
          throw new TokenRejectedError('invalid', `The access token's '${error.claim}' claim is not valid for this resource.`);
        }
        throw new TokenRejectedError('invalid', 'The access token is not a valid token of this environment\'s identity provider.');
      }
    },
  };
}
