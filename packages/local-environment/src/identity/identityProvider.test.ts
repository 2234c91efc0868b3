import { ClientSecretCredential } from '@azure/identity';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sdapSeed } from '../dataverse/sdapSeed.js';
import { environment, startTestEnvironment, useTestEnvironmentPerFile } from '../../test/startTestEnvironment.js';
import { signInTestUser } from './signInTestUser.js';

useTestEnvironmentPerFile();

afterEach(() => {
  vi.useRealTimers();
});

const whoAmI = (authorization?: string) =>
  fetch(`${environment.dataverseUrl}/api/data/v9.2/WhoAmI`, authorization === undefined ? {} : { headers: { Authorization: authorization } });

describe('identity provider', () => {
  it('serves Azure AD v2-shaped discovery at the issuer, with the keys it signs with', async () => {
    // Global fetch reaches https only because the global setup set NODE_EXTRA_CA_CERTS before this worker started.
    const discovery = (await (await fetch(`${environment.issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>;
    expect(discovery.issuer).toBe(environment.issuer);
    expect(discovery.token_endpoint).toBe(`${environment.authorityHost}/${environment.tenantId}/oauth2/v2.0/token`);
    expect(discovery.authorization_endpoint).toBe(`${environment.authorityHost}/${environment.tenantId}/oauth2/v2.0/authorize`);
    expect(discovery.jwks_uri).toBe(`${environment.authorityHost}/${environment.tenantId}/discovery/v2.0/keys`);

    const token = await environment.getClientCredentialsToken('navmap-e2e', 'navmap-e2e-secret', environment.bffAudience);
    const { payload, protectedHeader } = await jwtVerify(token, createRemoteJWKSet(new URL(discovery.jwks_uri as string)), {
      issuer: environment.issuer,
      audience: 'api://navmap-bff',
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(protectedHeader.kid).toMatch(/^navmap-local-[0-9a-f]{16}$/);
    expect(payload).toMatchObject({ roles: ['NavMap.Read'], tid: environment.tenantId, azp: 'navmap-e2e', idtyp: 'app' });
  });

  it("issues a client's token for another resource without the roles of its own", async () => {
    const token = await environment.getClientCredentialsToken('navmap-e2e', 'navmap-e2e-secret', environment.dataverseUrl);
    const payload = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as Record<string, unknown>;
    expect(payload.aud).toBe(environment.dataverseUrl);
    expect(payload.azp).toBe('navmap-e2e');
    expect(payload.roles).toBeUndefined();
  });

  it('lists each client with its grant types and audience', () => {
    expect(environment.clients.map(({ clientId, grantTypes, audience }) => ({ clientId, grantTypes, audience }))).toEqual([
      { clientId: 'navmap-pcf', grantTypes: ['authorization_code', 'refresh_token'], audience: 'api://navmap-bff' },
      { clientId: 'navmap-e2e', grantTypes: ['client_credentials'], audience: 'api://navmap-bff' },
      { clientId: 'navmap-server', grantTypes: ['client_credentials'], audience: environment.dataverseUrl },
      { clientId: 'navmap-deploy', grantTypes: ['client_credentials'], audience: environment.dataverseUrl },
    ]);
  });

  it('issues tokens to @azure/identity ClientSecretCredential with only authorityHost changed', async () => {
    const credential = new ClientSecretCredential(environment.tenantId, 'navmap-server', 'navmap-server-secret', {
      authorityHost: environment.authorityHost,
      disableInstanceDiscovery: true,
    });
    const accessToken = await credential.getToken(`${environment.dataverseUrl}/.default`);
    expect(decodeJwt(accessToken.token).aud).toBe(environment.dataverseUrl);
    expect((await whoAmI(`Bearer ${accessToken.token}`)).status).toBe(200);
  });

  it('accepts a confidential client under its GUID app id too, as Entra ID identifies apps', async () => {
    const e2e = environment.clients.find((client) => client.clientId === 'navmap-e2e');
    expect(e2e?.appId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const token = await environment.getClientCredentialsToken(e2e?.appId ?? '', 'navmap-e2e-secret', environment.bffAudience);
    expect(decodeJwt(token)).toMatchObject({ aud: 'api://navmap-bff', azp: e2e?.appId, roles: ['NavMap.Read'] });
  });

  it('refuses a client credentials request for an audience the client is not registered for', async () => {
    await expect(environment.getClientCredentialsToken('navmap-server', 'navmap-server-secret', environment.bffAudience)).rejects.toThrow(/invalid_target/);
    await expect(environment.getClientCredentialsToken('navmap-e2e', 'wrong-secret', environment.bffAudience)).rejects.toThrow(/invalid_client/);
  });

  it('signs the test user in headless with PKCE and gives a delegated BFF token and a refresh token', async () => {
    const tokens = await signInTestUser({ ...environment, ...environment.testUser });
    const claims = decodeJwt(tokens.accessToken);
    expect(claims).toMatchObject({ aud: 'api://navmap-bff', scp: 'NavMap.Read', oid: sdapSeed.organization.testUserObjectId, azp: 'navmap-pcf' });
    expect(decodeProtectedHeader(tokens.accessToken).alg).toBe('RS256');
    expect(decodeJwt(tokens.idToken)).toMatchObject({ preferred_username: environment.testUser.username, aud: 'navmap-pcf' });
    expect(tokens.refreshToken).toBeDefined();

    const refreshed = await fetch(environment.tokenEndpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: 'navmap-pcf', refresh_token: tokens.refreshToken ?? '' }),
    });
    expect(refreshed.status).toBe(200);
    const body = (await refreshed.json()) as { access_token: string };
    expect(decodeJwt(body.access_token)).toMatchObject({ aud: 'api://navmap-bff', scp: 'NavMap.Read' });
  });

  it('gives the user a Dataverse token that WhoAmI maps to the test user', async () => {
    const tokens = await signInTestUser({ ...environment, ...environment.testUser, scopes: ['openid', `${environment.dataverseUrl}/user_impersonation`] });
    const response = await whoAmI(`Bearer ${tokens.accessToken}`);
    expect(((await response.json()) as { UserId: string }).UserId).toBe(sdapSeed.organization.testUserSystemUserId);
  });

  it('refuses a wrong password and a non-loopback redirect URI', async () => {
    await expect(signInTestUser({ ...environment, ...environment.testUser, password: 'wrong' })).rejects.toThrow(/wrong username or password/);
    await expect(signInTestUser({ ...environment, ...environment.testUser, redirectUri: 'https://evil.example/callback' })).rejects.toThrow(/HTTP 400/);
  });
});

describe('bearer checks on the Dataverse emulator', () => {
  const challenge = () =>
    `Bearer authorization_uri=${environment.authorityHost}/${environment.tenantId}/oauth2/authorize, resource_id=${environment.dataverseUrl}/`;

  async function expectUnauthorized(response: Response, ticket: 'InvalidAuthTicket' | 'ExpiredAuthTicket') {
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(challenge());
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.message.startsWith(`${ticket}:`)).toBe(true);
  }

  it('refuses a request without a token', async () => {
    await expectUnauthorized(await whoAmI(), 'InvalidAuthTicket');
  });

  it('refuses a token for another audience (the BFF)', async () => {
    const token = await environment.getClientCredentialsToken('navmap-e2e', 'navmap-e2e-secret', environment.bffAudience);
    await expectUnauthorized(await whoAmI(`Bearer ${token}`), 'InvalidAuthTicket');
  });

  it('refuses a token signed by a foreign key with the same claims', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ aud: environment.dataverseUrl, tid: environment.tenantId })
      .setProtectedHeader({ alg: 'RS256', kid: 'navmap-local-0000000000000000' })
      .setIssuer(environment.issuer)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    await expectUnauthorized(await whoAmI(`Bearer ${forged}`), 'InvalidAuthTicket');
  });

  it('refuses an unsigned token, garbage and a non-Bearer scheme', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ aud: environment.dataverseUrl, iss: environment.issuer, exp: 9_999_999_999 })).toString('base64url');
    await expectUnauthorized(await whoAmI(`Bearer ${header}.${payload}.`), 'InvalidAuthTicket');
    await expectUnauthorized(await whoAmI('Bearer not-a-jwt'), 'InvalidAuthTicket');
    await expectUnauthorized(await whoAmI('Basic dXNlcjpwYXNz'), 'InvalidAuthTicket');
  });

  it('refuses an expired token with ExpiredAuthTicket', async () => {
    const token = await environment.getClientCredentialsToken('navmap-server', 'navmap-server-secret', environment.dataverseUrl);
    // The verifier runs in this process: move its clock past the token's one-hour lifetime.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 2 * 60 * 60 * 1000 });
    await expectUnauthorized(await whoAmI(`Bearer ${token}`), 'ExpiredAuthTicket');
  });
});

describe("the control's app registration", () => {
  it('accepts the registered redirect page on the org and refuses any other URI there, as Entra ID matches SPA redirect URIs', async () => {
    const registered = await startTestEnvironment({ controlRedirectPaths: ['/WebResources/sprk_/navmap/msalredirect.html'] });
    try {
      const authorize = (redirectUri: string) => {
        const url = new URL(registered.authorizationEndpoint);
        url.search = new URLSearchParams({
          client_id: 'navmap-pcf',
          response_type: 'code',
          scope: 'openid',
          redirect_uri: redirectUri,
          code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
          code_challenge_method: 'S256',
        }).toString();
        return fetch(url, { redirect: 'manual' });
      };
      expect((await authorize(`${registered.dataverseUrl}/WebResources/sprk_/navmap/msalredirect.html`)).status).toBe(303);
      const refused = await authorize(`${registered.dataverseUrl}/WebResources/sprk_/other.html`);
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain('redirect_uri');
      // Loopback pages off the org (test pages, the pcf-start harness) stay allowed.
      expect((await authorize('http://localhost:8181/')).status).toBe(303);
    } finally {
      await registered.stop();
    }
  });
});
