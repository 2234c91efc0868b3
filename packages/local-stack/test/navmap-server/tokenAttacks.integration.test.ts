import { createHmac, createPublicKey, type JsonWebKey } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NavMapServer } from '@sdap/navmap-server';
import { startLocalStack, type LocalEnvironmentStack } from '../../src/index.js';
// navmap-server's own test issuer (its unit tests use it too): one issuer that signs what the attacks need.
import { startTestIssuer, type TestIssuer } from '@sdap/navmap-server/testing';

/**
 * Token attacks as a table: each token goes to the running endpoint over a socket and must be refused with the
 * contract's error, without the token echoed back. A respelled token (another base64url spelling of the same bytes)
 * must not get a remembered verification of its own.
 */
let stack: LocalEnvironmentStack;
let issuer: TestIssuer;
let server: NavMapServer;
let endpoint: string;

beforeAll(async () => {
  stack = await startLocalStack({ navMapOnBff: false });
  issuer = await startTestIssuer();
  const started = await stack.startServer({ auth: { issuer: issuer.issuer, audience: 'api://navmap-bff', requiredScopes: ['NavMap.Read'], requiredRoles: [] } });
  server = started.server;
  endpoint = `${started.url}/api/pcf/dataverse-navmap?v=1`;
  await server.warmed;
}, 60_000);
afterAll(async () => {
  await stack.stop();
  await issuer.close();
});

const now = () => Math.floor(Date.now() / 1000);

/** A JWT segment of `value`, to hand-build tokens jose refuses to sign. */
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A key the issuer never published, signing under the issuer's own kid. */
async function foreignToken(header: Record<string, unknown> = {}, claims: Record<string, unknown> = {}): Promise<string> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  return new SignJWT({ scp: 'NavMap.Read', oid: 'attacker', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'key-1', typ: 'JWT', ...header, ...(header.jwk === true ? { jwk } : {}) })
    .setIssuer(issuer.issuer)
    .setAudience('api://navmap-bff')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
}

/** The classic confusion: HS256 with the issuer's public key (as PEM) for the HMAC secret. */
function hs256WithPublicKey(): string {
  const pem = createPublicKey({ key: issuer.publicJwk('key-1') as JsonWebKey, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
  const input = `${base64url({ alg: 'HS256', typ: 'JWT', kid: 'key-1' })}.${base64url({ iss: issuer.issuer, aud: 'api://navmap-bff', exp: now() + 600, scp: 'NavMap.Read' })}`;
  return `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`;
}

/** The same signature bytes spelled with different unused low bits in its last character. */
function respellLastCharacter(token: string): string {
  const [header, payload, signature = ''] = token.split('.');
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = signature.at(-1) ?? 'A';
  const index = alphabet.indexOf(last);
  // A 256-byte RS256 signature leaves 4 unused bits in its last character (342 characters, 342 % 4 === 2).
  const respelled = alphabet[(index & ~0b1111) | ((index + 1) & 0b1111)] ?? last;
  return `${header}.${payload}.${signature.slice(0, -1)}${respelled}`;
}

type Attack = readonly [name: string, authorization: () => Promise<string>, status: number, message: RegExp];

const attacks: Attack[] = [
  ['a foreign key under the issuer kid', async () => `Bearer ${await foreignToken()}`, 401, /signature is invalid/],
  ['alg none', async () => `Bearer ${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ iss: issuer.issuer, aud: 'api://navmap-bff', exp: now() + 600, scp: 'NavMap.Read' })}.`, 401, /malformed|algorithm/],
  ['HS256 keyed with the public key', async () => `Bearer ${hs256WithPublicKey()}`, 401, /algorithm that is not accepted/],
  ['an embedded jwk header', async () => `Bearer ${await foreignToken({ jwk: true })}`, 401, /signature is invalid/],
  ['a jku header', async () => `Bearer ${await foreignToken({ jku: 'https://attacker.example/keys' })}`, 401, /signature is invalid/],
  ['an x5u header', async () => `Bearer ${await foreignToken({ x5u: 'https://attacker.example/cert.pem' })}`, 401, /signature is invalid/],
  ['an x5c header', async () => `Bearer ${await foreignToken({ x5c: ['MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA'] })}`, 401, /signature is invalid/],
  ['another issuer', async () => `Bearer ${await issuer.sign({ iss: 'https://login.microsoftonline.com/other/v2.0' })}`, 401, /another issuer/],
  ['no issuer', async () => `Bearer ${await issuer.sign({}, { omit: ['iss'] })}`, 401, /`iss`|issuer/],
  ['another audience', async () => `Bearer ${await issuer.sign({ aud: 'https://org.crm.dynamics.com' })}`, 401, /another audience/],
  ['no audience', async () => `Bearer ${await issuer.sign({}, { omit: ['aud'] })}`, 401, /`aud`|audience/],
  ['an expired token', async () => `Bearer ${await issuer.sign({}, { expiresIn: now() - 120 })}`, 401, /expired/],
  ['a token not valid yet', async () => `Bearer ${await issuer.sign({}, { notBefore: now() + 3_600 })}`, 401, /not valid yet/],
  ['a token without the scope or role', async () => `Bearer ${await issuer.sign({ scp: 'Other.Read' })}`, 403, /lacks/],
  ['an unknown crit header', async () => `Bearer ${await issuer.sign({}, { header: { crit: ['x-unknown'], 'x-unknown': true } })}`, 401, /malformed/],
  ['a valid token padded with ==', async () => `Bearer ${await issuer.sign()}==`, 401, /compact serialization/],
  ['a valid token padded with =', async () => `Bearer ${await issuer.sign()}=`, 401, /compact serialization/],
  ['a valid token with a respelled last character', async () => `Bearer ${respellLastCharacter(await issuer.sign())}`, 401, /compact serialization/],
];

describe('token attacks against the endpoint', () => {
  it('accepts the issuer\'s own token (the control)', async () => {
    const response = await fetch(endpoint, { headers: { Authorization: `Bearer ${await issuer.sign()}` } });
    expect(response.status).toBe(200);
  });

  it.each(attacks)('refuses %s', async (_name, authorization, status, message) => {
    const header = await authorization();
    const response = await fetch(endpoint, { headers: { Authorization: header } });
    const text = await response.text();
    expect(response.status, text).toBe(status);
    const body = JSON.parse(text) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(status === 401 ? 'unauthorized' : 'forbidden');
    expect(body.error.message).toMatch(message);
    const token = header.slice('Bearer '.length);
    const echoed = [text, ...response.headers.values()].join('\n');
    for (const part of token.split('.').filter((segment) => segment.length > 16)) expect(echoed).not.toContain(part);
  });

  it('remembers only the canonical spelling: respellings of a verified token get no entry of their own', async () => {
    const token = await issuer.sign({ oid: 'respelled-caller' });
    expect((await fetch(endpoint, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    expect(server.verifier.peek(`Bearer ${token}`)?.id).toBe('respelled-caller');
    for (const respelled of [`${token}=`, `${token}==`, respellLastCharacter(token)]) {
      expect((await fetch(endpoint, { headers: { Authorization: `Bearer ${respelled}` } })).status).toBe(401);
      expect(server.verifier.peek(`Bearer ${respelled}`)).toBeUndefined();
    }
  });
});
