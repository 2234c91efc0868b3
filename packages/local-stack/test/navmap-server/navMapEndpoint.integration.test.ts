import { createHmac, createPublicKey, type JsonWebKey } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseNavMapResponse } from '@sdap/navmap-sdk';
import express from 'express';
import { decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sdapSeed } from '@sdap/local-environment';
import { startLocalStack, type LocalEnvironmentStack } from '../../src/index.js';

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * The NavMap answers of docs/contract.md and the token cases a caller can get wrong, over real sockets, against the local
 * environment (Dataverse emulator + oidc-provider) with tokens from its token endpoint.
 */
let stack: LocalEnvironmentStack;
let url: string;

beforeAll(async () => {
  stack = await startLocalStack({ navMapOnBff: false });
  ({ url } = await stack.startServer());
}, 60_000);
afterAll(() => stack.stop());

const navMapUrl = (query = '?v=1') => `${url}/api/pcf/dataverse-navmap${query}`;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function expect401(response: Response, description: RegExp): Promise<void> {
  expect(response.status).toBe(401);
  const challenge = response.headers.get('www-authenticate') ?? '';
  expect(challenge).toMatch(/^Bearer error="invalid_token"/);
  expect(challenge).toMatch(description);
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe('unauthorized');
  expect(body).not.toHaveProperty('parents');
}

/** Relationships exactly as the emulator's metadata says, read with a Dataverse token (D4 compares against this). */
async function relationshipsFromMetadata(): Promise<Map<string, string>> {
  const response = await fetch(
    `${stack.environment.dataverseUrl}/api/data/v9.2/EntityDefinitions(LogicalName='sprk_document')/ManyToOneRelationships?$select=SchemaName,ReferencedEntity,ReferencingEntityNavigationPropertyName`,
    { headers: { ...bearer(await stack.dataverseToken()), Accept: 'application/json' } },
  );
  expect(response.status).toBe(200);
  const body = (await response.json()) as { value: { SchemaName: string; ReferencedEntity: string; ReferencingEntityNavigationPropertyName: string }[] };
  return new Map(body.value.map((relationship) => [relationship.SchemaName, relationship.ReferencingEntityNavigationPropertyName]));
}

describe('GET /api/pcf/dataverse-navmap (local environment)', () => {
  it('D2: answers 200 with the v1 contract for a real token, every configured parent present (D3)', async () => {
    const response = await fetch(navMapUrl(), { headers: bearer(await stack.callerToken()) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const map = parseNavMapResponse(await response.json());
    expect(map).toMatchObject({ version: '1', environment: new URL(stack.environment.dataverseUrl).origin, childEntity: 'sprk_document' });
    expect(Number.isNaN(Date.parse(map.generatedAt))).toBe(false);
    expect(Object.keys(map.parents).sort()).toEqual(['account', 'contact', 'sprk_invoice', 'sprk_matter', 'sprk_project']);
    expect(map.errors).toEqual({});
  });

  it('D4: every navProperty equals Dataverse ReferencingEntityNavigationPropertyName, exact case', async () => {
    const response = await fetch(navMapUrl(), { headers: bearer(await stack.callerToken()) });
    const map = parseNavMapResponse(await response.json());
    const metadata = await relationshipsFromMetadata();
    const navigationNames = new Set(metadata.values());
    for (const [parent, entry] of Object.entries(map.parents)) {
      expect(navigationNames.has(entry.navProperty), `${parent}: ${entry.navProperty}`).toBe(true);
    }
    expect(map.parents.sprk_matter?.navProperty).toBe(metadata.get('sprk_matter_document'));
    // account has two lookups; the configured relationship decides.
    expect(map.parents.account?.navProperty).toBe(metadata.get('sprk_account_sprk_document'));
    expect(map.parents.account?.lookupAttribute).toBe('sprk_account');
  });

  it('answers without v as version 1, and 400 with the supported versions for an unknown v', async () => {
    const headers = bearer(await stack.callerToken());
    expect((await fetch(navMapUrl(''), { headers })).status).toBe(200);
    const response = await fetch(navMapUrl('?v=2'), { headers });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: 'unsupported_version', message: 'NavMap contract version "2" is not supported; supported versions: 1.' },
    });
  });

  it('D5: serves warm calls from the cache with a content ETag, private max-age, and 304 for If-None-Match', async () => {
    const headers = bearer(await stack.callerToken());
    await fetch(navMapUrl(), { headers });
    const before = await stack.admin.requestCounts();
    const first = await fetch(navMapUrl(), { headers });
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
    expect(first.headers.get('x-navmap-source')).toBe('cache');
    const maxAge = Number(/^private, max-age=(\d+)$/.exec(first.headers.get('cache-control') ?? '')?.[1]);
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(300);
    const body = await first.text();

    const again = await fetch(navMapUrl(), { headers });
    expect(await again.text()).toBe(body);
    expect(again.headers.get('etag')).toBe(etag);

    const notModified = await fetch(navMapUrl(), { headers: { ...headers, 'If-None-Match': etag } });
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe('');
    expect(notModified.headers.get('etag')).toBe(etag);
    const otherTag = await fetch(navMapUrl(), { headers: { ...headers, 'If-None-Match': '"something-else"' } });
    expect(otherTag.status).toBe(200);

    expect((await stack.admin.requestCounts()).metadata).toBe(before.metadata);
  });

  it('5.3: the body holds metadata only: no secrets, tokens or user data', async () => {
    const token = await stack.callerToken();
    const text = await (await fetch(navMapUrl(), { headers: bearer(token) })).text();
    expect(Object.keys(JSON.parse(text) as object).sort()).toEqual(['childEntity', 'environment', 'errors', 'generatedAt', 'parents', 'version']);
    expect(text).not.toContain(stack.serverClient.clientSecret);
    expect(text).not.toContain(token.split('.')[1]);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
  });
});

describe('token cases (local identity provider)', () => {
  it('5.1: no token: 401 with WWW-Authenticate and no metadata', async () => {
    await expect401(await fetch(navMapUrl()), /access token is required/);
  });

  it('bad signature: 401', async () => {
    const [header, payload, signature] = (await stack.callerToken()).split('.') as [string, string, string];
    const tampered = base64url({ ...decodeJwt(`x.${payload}.x`), roles: ['NavMap.Read', 'Admin'] });
    await expect401(await fetch(navMapUrl(), { headers: bearer(`${header}.${tampered}.${signature}`) }), /signature is invalid/);
  });

  it('alg none: 401', async () => {
    const claims = decodeJwt(await stack.callerToken());
    const token = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`;
    await expect401(await fetch(navMapUrl(), { headers: bearer(token) }), /invalid_token/);
  });

  it('HS256 signed with the issuer public key: 401', async () => {
    const real = await stack.callerToken();
    const discovery = (await (await fetch(`${stack.environment.issuer}/.well-known/openid-configuration`)).json()) as { jwks_uri: string };
    const { keys } = (await (await fetch(discovery.jwks_uri)).json()) as { keys: (JsonWebKey & { kid: string })[] };
    const key = keys[0] as JsonWebKey & { kid: string };
    const pem = createPublicKey({ key, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const signingInput = `${base64url({ alg: 'HS256', typ: 'JWT', kid: key.kid })}.${base64url(decodeJwt(real))}`;
    const signature = createHmac('sha256', pem).update(signingInput).digest('base64url');
    await expect401(await fetch(navMapUrl(), { headers: bearer(`${signingInput}.${signature}`) }), /algorithm/);
  });

  it('5.2: a real token for another audience (Dataverse): 401', async () => {
    await expect401(await fetch(navMapUrl(), { headers: bearer(await stack.dataverseToken()) }), /another audience/);
  });

  it('wrong issuer: a real token checked by a server that trusts another issuer (same keys): 401', async () => {
    const discovery = (await (await fetch(`${stack.environment.issuer}/.well-known/openid-configuration`)).json()) as { jwks_uri: string };
    const app = express();
    const other: Server = await new Promise((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    const otherIssuer = `http://127.0.0.1:${(other.address() as AddressInfo).port}/other-tenant/v2.0`;
    app.get('/other-tenant/v2.0/.well-known/openid-configuration', (_request, response) => {
      response.json({ issuer: otherIssuer, jwks_uri: discovery.jwks_uri });
    });
    try {
      const { url: otherUrl } = await stack.startServer({ auth: { issuer: otherIssuer, audience: stack.environment.bffAudience } });
      const response = await fetch(`${otherUrl}/api/pcf/dataverse-navmap`, { headers: bearer(await stack.callerToken()) });
      await expect401(response, /another issuer/);
    } finally {
      other.close();
    }
  });

  it('expired and not yet valid: 401 (server clock moved past exp, and before iat)', async () => {
    const token = await stack.callerToken();
    const { exp, iat } = decodeJwt(token) as { exp: number; iat: number };
    const late = await stack.startServer({}, { now: () => (exp + 3_600) * 1000, warm: false });
    await expect401(await fetch(`${late.url}/api/pcf/dataverse-navmap`, { headers: bearer(token) }), /expired/);
    const early = await stack.startServer({}, { now: () => (iat - 3_600) * 1000, warm: false });
    await expect401(await fetch(`${early.url}/api/pcf/dataverse-navmap`, { headers: bearer(token) }), /not valid yet/);
  });

  it('403 when the token lacks the required role, with insufficient_scope', async () => {
    const { url: strictUrl } = await stack.startServer({
      auth: { issuer: stack.environment.issuer, audience: stack.environment.bffAudience, requiredScopes: [], requiredRoles: ['NavMap.Admin'] },
    });
    const response = await fetch(`${strictUrl}/api/pcf/dataverse-navmap`, { headers: bearer(await stack.callerToken()) });
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope"');
    expect(await response.json()).toEqual({ error: { code: 'forbidden', message: 'The access token lacks one of the roles NavMap.Admin (roles).' } });
  });
});

describe('parents (validation matrix 8.1, 8.2)', () => {
  beforeEach(() => stack.stopServers());
  afterEach(() => stack.stopServers());

  it('8.1: an empty parent list answers 200 with empty parents', async () => {
    const { url: emptyUrl } = await stack.startServer({ parents: [] });
    const response = await fetch(`${emptyUrl}/api/pcf/dataverse-navmap?v=1`, { headers: bearer(await stack.callerToken()) });
    expect(response.status).toBe(200);
    const map = parseNavMapResponse(await response.json());
    expect(map.parents).toEqual({});
    expect(map.errors).toEqual({});
  });

  it('8.2: sprk_nonexistent is reported in errors and the other parents are still served', async () => {
    const contact = { entity: 'contact', relationship: sdapSeed.configuredRelationships.contact as string };
    const { url: partialUrl } = await stack.startServer({ parents: ['sprk_matter', 'sprk_nonexistent', contact, 'lead'] });
    const response = await fetch(`${partialUrl}/api/pcf/dataverse-navmap?v=1`, { headers: bearer(await stack.callerToken()) });
    expect(response.status).toBe(200);
    const map = parseNavMapResponse(await response.json());
    expect(Object.keys(map.parents).sort()).toEqual(['contact', 'sprk_matter']);
    expect(map.errors?.sprk_nonexistent?.code).toBe('entity_not_found');
    expect(map.errors?.sprk_nonexistent?.message).toContain('sprk_nonexistent');
    expect(map.errors?.lead?.code).toBe('parent_not_related');
  });

  it('account without a named relationship is ambiguous and says which relationships exist', async () => {
    const { url: ambiguousUrl } = await stack.startServer({ parents: ['account', 'sprk_matter'] });
    const map = parseNavMapResponse(
      await (await fetch(`${ambiguousUrl}/api/pcf/dataverse-navmap`, { headers: bearer(await stack.callerToken()) })).json(),
    );
    expect(map.errors?.account?.code).toBe('ambiguous_relationship');
    expect(map.errors?.account?.message).toContain('sprk_account_sprk_document');
    expect(map.parents.sprk_matter).toBeDefined();
  });
});
