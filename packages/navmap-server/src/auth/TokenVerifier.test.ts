import { createHmac, createPublicKey, type JsonWebKey } from 'node:crypto';
import { isNavMapError, type NavMapError } from '@sdap/navmap-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIssuer, type TestIssuer } from '../testing/startTestIssuer.js';
import { TokenVerifier } from './TokenVerifier.js';

let issuer: TestIssuer;

beforeAll(async () => {
  issuer = await startTestIssuer();
});
afterAll(() => issuer.close());

function verifier(overrides: Partial<ConstructorParameters<typeof TokenVerifier>[0]> = {}): TokenVerifier {
  return new TokenVerifier({ issuer: issuer.issuer, audience: 'api://navmap-bff', requiredScopes: ['NavMap.Read'], requiredRoles: ['NavMap.Read'], ...overrides });
}

async function rejection(promise: Promise<unknown>): Promise<NavMapError> {
  try {
    await promise;
  } catch (error) {
    if (isNavMapError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('TokenVerifier', () => {
  it('accepts a token signed by the issuer with the audience and scope, and names the caller', async () => {
    const caller = await verifier().verify(`Bearer ${await issuer.sign()}`);
    expect(caller).toMatchObject({ id: 'user-1', clientId: 'client-1', scopes: ['NavMap.Read'] });
  });

  it('accepts an application token by its role', async () => {
    const token = await issuer.sign({ scp: undefined, roles: ['NavMap.Read'], oid: 'app-1' });
    await expect(verifier().verify(`Bearer ${token}`)).resolves.toMatchObject({ id: 'app-1', roles: ['NavMap.Read'] });
  });

  it.each([
    ['no header', undefined, /access token is required/],
    ['a Basic header', 'Basic dXNlcjpwYXNz', /Bearer <access token>/],
    ['garbage', 'Bearer not-a-jwt', /malformed/],
  ])('refuses %s with unauthorized', async (_name, header, message) => {
    const error = await rejection(verifier().verify(header));
    expect(error.code).toBe('unauthorized');
    expect(error.message).toMatch(message);
  });

  it('refuses a token whose signature was tampered with', async () => {
    const [header, payload, signature] = (await issuer.sign()).split('.') as [string, string, string];
    const forged = base64url({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), roles: ['Admin'] });
    const error = await rejection(verifier().verify(`Bearer ${header}.${forged}.${signature}`));
    expect(error).toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/signature is invalid/) });
  });

  it('refuses alg none', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ iss: issuer.issuer, aud: 'api://navmap-bff', exp: now + 600, scp: 'NavMap.Read' })}.`;
    expect((await rejection(verifier().verify(`Bearer ${token}`))).code).toBe('unauthorized');
  });

  it('refuses HS256 signed with the issuer public key (algorithm confusion)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const pem = createPublicKey({ key: issuer.publicJwk('key-1') as JsonWebKey, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const signingInput = `${base64url({ alg: 'HS256', typ: 'JWT', kid: 'key-1' })}.${base64url({ iss: issuer.issuer, aud: 'api://navmap-bff', exp: now + 600, scp: 'NavMap.Read' })}`;
    const signature = createHmac('sha256', pem).update(signingInput).digest('base64url');
    const error = await rejection(verifier().verify(`Bearer ${signingInput}.${signature}`));
    expect(error).toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/algorithm/) });
  });

  it.each([
    ['another issuer', { iss: 'https://login.microsoftonline.com/other/v2.0' }, {}, /another issuer/],
    ['another audience', { aud: 'https://org.crm.dynamics.com' }, {}, /another audience/],
    ['an expired token', {}, { expiresIn: Math.floor(Date.now() / 1000) - 3600 }, /expired/],
    ['a token not valid yet', {}, { notBefore: '1h' }, /not valid yet/],
  ])('refuses %s', async (_name, claims, options, message) => {
    const error = await rejection(verifier().verify(`Bearer ${await issuer.sign(claims, options)}`));
    expect(error).toMatchObject({ code: 'unauthorized', message: expect.stringMatching(message) });
  });

  it('answers forbidden when neither the scope nor the role is there', async () => {
    const token = await issuer.sign({ scp: 'User.Read', roles: ['Other'] });
    const error = await rejection(verifier().verify(`Bearer ${token}`));
    expect(error.code).toBe('forbidden');
    expect(error.message).toContain('NavMap.Read');
  });

  it('remembers a verified token until it expires, without downloading keys again', async () => {
    let now = Date.now();
    const memo = verifier({ now: () => now });
    const token = await issuer.sign({}, { expiresIn: '10m' });
    await memo.verify(`Bearer ${token}`);
    const downloads = issuer.jwksRequests();
    expect(memo.peek(`Bearer ${token}`)?.id).toBe('user-1');
    for (let index = 0; index < 100; index++) await memo.verify(`Bearer ${token}`);
    expect(issuer.jwksRequests()).toBe(downloads);
    now += 11 * 60 * 1000;
    expect(memo.peek(`Bearer ${token}`)).toBeUndefined();
    expect((await rejection(memo.verify(`Bearer ${token}`))).message).toMatch(/expired/);
  });

  it('still checks the scope of a remembered token for another verifier configuration', async () => {
    const token = await issuer.sign({ scp: 'User.Read' });
    const strict = verifier();
    expect((await rejection(strict.verify(`Bearer ${token}`))).code).toBe('forbidden');
    expect((await rejection(strict.verify(`Bearer ${token}`))).code).toBe('forbidden');
  });

  it('does not download the JWKS again for unknown kids inside the cooldown (rate-limited refetch)', async () => {
    const limited = verifier({ jwksCooldownSeconds: 60 });
    await limited.verify(`Bearer ${await issuer.sign()}`);
    const before = issuer.jwksRequests();
    await issuer.addKey('key-2');
    for (let index = 0; index < 5; index++) {
      const error = await rejection(limited.verify(`Bearer ${await issuer.sign({ oid: `u${index}` }, { kid: 'key-2' })}`));
      expect(error).toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/key the issuer does not publish/) });
    }
    expect(issuer.jwksRequests()).toBe(before);
  });

  it('follows key rotation: an unknown kid refetches the JWKS once the cooldown has passed', async () => {
    const rotating = verifier({ jwksCooldownSeconds: 0 });
    await rotating.verify(`Bearer ${await issuer.sign()}`);
    await issuer.addKey('key-4');
    const before = issuer.jwksRequests();
    await expect(rotating.verify(`Bearer ${await issuer.sign({}, { kid: 'key-4' })}`)).resolves.toMatchObject({ id: 'user-1' });
    expect(issuer.jwksRequests()).toBe(before + 1);
  });

  it('validates its options at construction, naming the option', () => {
    expect(() => new TokenVerifier({ issuer: 'not a url', audience: 'a' })).toThrow(/`issuer`/);
    expect(() => new TokenVerifier({ issuer: issuer.issuer, audience: [] })).toThrow(/`audience`/);
    expect(() => new TokenVerifier({ issuer: issuer.issuer, audience: 'a', algorithms: ['HS256'] })).toThrow(/`algorithms`/);
  });

  it('bounds the remembered tokens by bytes as well as by count', async () => {
    const bounded = verifier({ maxRememberedBytes: 64 * 1024 });
    for (let index = 0; index < 20; index += 1) {
      // About 10 KB of claims per token, as a token with many group ids carries.
      const token = await issuer.sign({ oid: `caller-${index}`, groups: Array.from({ length: 250 }, (_, group) => `group-${index}-${group}-xxxxxxxxxxxxxxxxxxxxxx`) });
      await bounded.verify(`Bearer ${token}`);
    }
    const { tokens, bytes } = bounded.remembered();
    expect(bytes).toBeLessThanOrEqual(64 * 1024);
    expect(tokens).toBeGreaterThan(0);
    expect(tokens).toBeLessThan(20);
  });

  it('reads a failing discovery document once per cool-down, however many callers arrive', async () => {
    const failing = await startTestIssuer();
    try {
      failing.fail('discovery');
      const subject = new TokenVerifier({ issuer: failing.issuer, audience: 'api://navmap-bff' });
      const token = `Bearer ${await failing.sign()}`;
      const errors = await Promise.all(Array.from({ length: 20 }, () => rejection(subject.verify(token))));
      for (let index = 0; index < 5; index += 1) errors.push(await rejection(subject.verify(token)));
      expect(errors.every((error) => error.code === 'server_unavailable' && error.details.retryAfterSeconds === 5)).toBe(true);
      expect(failing.discoveryRequests()).toBe(1);
    } finally {
      await failing.close();
    }
  });
});
