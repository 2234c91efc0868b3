import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload, type CryptoKey } from 'jose';

/**
 * A minimal OpenID issuer for tests of a BFF that verifies tokens with `TokenVerifier` (this package's own tests and
 * local-stack's): discovery document and JWKS over a real socket on 127.0.0.1, keys made with jose, key rotation and
 * outages on demand. Not an identity provider: it signs whatever claims it is given.
 */
export interface TestIssuer {
  readonly issuer: string;
  /** How many times the JWKS was downloaded (or asked for while failing). */
  readonly jwksRequests: () => number;
  /** How many times the discovery document was asked for. */
  readonly discoveryRequests: () => number;
  /** Makes the discovery document or the JWKS answer 503 (an identity-provider outage) until called with false. */
  fail(part: 'discovery' | 'jwks', failing?: boolean): void;
  /** Signs a token with the current key (or the one named) and the given claims over sane defaults. */
  sign(
    claims?: JWTPayload,
    options?: { kid?: string; alg?: string; expiresIn?: string | number; notBefore?: string | number; header?: Record<string, unknown>; omit?: readonly ('iss' | 'aud')[] },
  ): Promise<string>;
  /** Adds a key with a new kid; `publish: false` keeps it out of the JWKS until `publish()`. */
  addKey(kid: string, options?: { publish?: boolean }): Promise<void>;
  publish(kid: string): void;
  /** The public JWK of a key, for crafting attacks. */
  publicJwk(kid: string): JWK;
  close(): Promise<void>;
}

/**
 * Starts the issuer on a free port of 127.0.0.1 with one published key (`key-1`).
 *
 * @example
 * const issuer = await startTestIssuer();
 * const verifier = new TokenVerifier({ issuer: issuer.issuer, audience: 'api://navmap-bff' });
 * await verifier.verify(`Bearer ${await issuer.sign()}`);
 * await issuer.close();
 */
export async function startTestIssuer(): Promise<TestIssuer> {
  const keys = new Map<string, { privateKey: CryptoKey; publicJwk: JWK }>();
  const published = new Set<string>();
  let jwksRequests = 0;
  let discoveryRequests = 0;
  const failing = new Set<'discovery' | 'jwks'>();
  let currentKid = 'key-1';

  const app = express();
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${base}/tenant-1/v2.0`;
  app.get('/tenant-1/v2.0/.well-known/openid-configuration', (_request, response) => {
    discoveryRequests += 1;
    if (failing.has('discovery')) return void response.status(503).json({ error: 'temporarily_unavailable' });
    response.json({ issuer, jwks_uri: `${base}/tenant-1/discovery/v2.0/keys`, token_endpoint: `${base}/tenant-1/oauth2/v2.0/token` });
  });
  app.get('/tenant-1/discovery/v2.0/keys', (_request, response) => {
    jwksRequests += 1;
    if (failing.has('jwks')) return void response.status(503).json({ error: 'temporarily_unavailable' });
    response.json({ keys: [...published].map((kid) => keys.get(kid)?.publicJwk) });
  });

  async function addKey(kid: string, { publish = true }: { publish?: boolean } = {}) {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    keys.set(kid, { privateKey, publicJwk });
    if (publish) published.add(kid);
  }
  await addKey(currentKid);

  return {
    issuer,
    jwksRequests: () => jwksRequests,
    discoveryRequests: () => discoveryRequests,
    fail(part, on = true) {
      if (on) failing.add(part);
      else failing.delete(part);
    },
    async sign(claims = {}, { kid = currentKid, alg = 'RS256', expiresIn = '1h', notBefore, header = {}, omit = [] } = {}) {
      const key = keys.get(kid);
      if (key === undefined) throw new Error(`no key ${kid}`);
      let builder = new SignJWT({ scp: 'NavMap.Read', oid: 'user-1', azp: 'client-1', ...claims })
        .setProtectedHeader({ alg, kid, typ: 'JWT', ...header })
        .setIssuedAt()
        .setExpirationTime(expiresIn);
      if (!omit.includes('iss')) builder = builder.setIssuer(issuer);
      if (!omit.includes('aud')) builder = builder.setAudience('api://navmap-bff');
      if (notBefore !== undefined) builder = builder.setNotBefore(notBefore);
      if (claims.iss !== undefined) builder = builder.setIssuer(claims.iss);
      if (claims.aud !== undefined) builder = builder.setAudience(claims.aud);
      // jose refuses to sign a `crit` it does not know unless told the names are understood.
      const crit = Array.isArray(header.crit) ? Object.fromEntries((header.crit as string[]).map((name) => [name, true])) : undefined;
      return builder.sign(key.privateKey, crit === undefined ? undefined : { crit });
    },
    addKey,
    publish(kid) {
      published.add(kid);
      currentKid = kid;
    },
    publicJwk(kid) {
      const key = keys.get(kid);
      if (key === undefined) throw new Error(`no key ${kid}`);
      return key.publicJwk;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
