import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier, TokenRejectedError, type TokenVerifier } from './TokenVerifier.js';

const ISSUER = 'https://localhost:1/tenant/v2.0';
const AUDIENCES = ['http://localhost:2', 'http://localhost:2/'];
let privateKey: CryptoKey;
let verifier: TokenVerifier;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  verifier = createTokenVerifier({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256' }] }, ISSUER);
});

function sign(audience: string, issuer = ISSUER, expiresIn: string | number = '1h'): Promise<string> {
  return new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(issuer).setAudience(audience).setIssuedAt().setExpirationTime(expiresIn).sign(privateKey);
}

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TokenRejectedError);
    return (error as TokenRejectedError).reason;
  }
  throw new Error('expected a rejection');
}

describe('createTokenVerifier', () => {
  it('accepts the audience with and without a trailing slash', async () => {
    expect((await verifier.verify(`Bearer ${await sign('http://localhost:2')}`, AUDIENCES)).aud).toBe('http://localhost:2');
    expect((await verifier.verify(`Bearer ${await sign('http://localhost:2/')}`, AUDIENCES)).aud).toBe('http://localhost:2/');
  });

  it('refuses another audience, another issuer, an expired token and a missing header', async () => {
    expect(await reason(verifier.verify(`Bearer ${await sign('api://navmap-bff')}`, AUDIENCES))).toBe('invalid');
    expect(await reason(verifier.verify(`Bearer ${await sign('http://localhost:2', 'https://elsewhere/v2.0')}`, AUDIENCES))).toBe('invalid');
    expect(await reason(verifier.verify(`Bearer ${await sign('http://localhost:2', ISSUER, Math.floor(Date.now() / 1000) - 60)}`, AUDIENCES))).toBe('expired');
    expect(await reason(verifier.verify(undefined, AUDIENCES))).toBe('missing');
  });

  it('refuses HS256 tokens signed with the public key as a secret (algorithm confusion)', async () => {
    const secret = new TextEncoder().encode('k1-public-key-as-secret-0123456789abcdef');
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256', kid: 'k1' }).setIssuer(ISSUER).setAudience('http://localhost:2').setExpirationTime('1h').sign(secret);
    expect(await reason(verifier.verify(`Bearer ${token}`, AUDIENCES))).toBe('invalid');
  });
});
