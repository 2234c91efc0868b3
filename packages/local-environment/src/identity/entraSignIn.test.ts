import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureLocalCertificate } from '../certificate/ensureLocalCertificate.js';
import { testDataDir } from '../../test/testDataDir.js';
import { authenticatorCode } from './authenticatorCode.js';
import { createIdentityProvider } from './createIdentityProvider.js';
import { ENTRA_SIGN_IN_ERRORS } from './entraSignInPages.js';
import { resolveLocalhostNames, SIGN_IN_HOST } from './resolveLocalhostNames.js';
import { signInTestUser } from './signInTestUser.js';

const TENANT = '8e2f6b1c-6d8a-4f4e-9a51-0c3d2b7e9f10';
const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const testUser = { username: 'qa.navmap@navmap.local', password: 'Correct-horse-1!', totpSecret: TOTP_SECRET };
let server: Server;
let authorityHost: string;
let caCertificatePath: string;

beforeAll(async () => {
  resolveLocalhostNames();
  const { certPath, keyPath } = await ensureLocalCertificate(testDataDir);
  caCertificatePath = certPath;
  server = createServer({ cert: await readFile(certPath, 'utf8'), key: await readFile(keyPath, 'utf8') });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  authorityHost = `https://${SIGN_IN_HOST}:${(server.address() as AddressInfo).port}`;
  const identity = await createIdentityProvider({
    authorityHost,
    tenantId: TENANT,
    dataverseUrl: 'https://localhost:1',
    bffAudience: 'api://navmap-bff',
    testUser,
    signInPages: 'entra',
  });
  server.on('request', (request, response) => {
    request.url = identity.rewriteDiscoveryPath(request.url ?? '/');
    identity.app(request, response);
  });
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const signIn = (overrides: { username?: string; password?: string; totpSecret?: string } = {}) =>
  signInTestUser({ authorityHost, tenantId: TENANT, caCertificatePath, ...testUser, ...overrides });

describe('Entra-shaped sign-in with TOTP', () => {
  it('serves the account step with Entra ID field names and button ids on a login. host', async () => {
    const authorize = new URL(`${authorityHost}/${TENANT}/oauth2/v2.0/authorize`);
    authorize.search = new URLSearchParams({
      client_id: 'navmap-pcf',
      response_type: 'code',
      redirect_uri: 'http://localhost/redirect',
      scope: 'openid',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    }).toString();
    const first = await fetch(authorize, { redirect: 'manual' });
    expect(new URL(first.headers.get('location') ?? '', authorityHost).hostname).toBe('login.localhost');
    const cookie = first.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
    const page = await (await fetch(new URL(first.headers.get('location') ?? '', authorityHost), { headers: { cookie } })).text();
    expect(page).toContain('name="loginfmt"');
    expect(page).toMatch(/<input type="submit" id="idSIButton9" value="Next">/);
    expect(page).not.toContain('name="passwd"'); // one step at a time, as Entra ID asks
  });

  it('signs the enrolled user in with password and authenticator code, and says so in amr', async () => {
    const tokens = await signIn();
    expect(decodeJwt(tokens.idToken)).toMatchObject({ preferred_username: testUser.username, amr: ['pwd', 'mfa'] });
    expect(decodeJwt(tokens.accessToken)).toMatchObject({ aud: 'api://navmap-bff', scp: 'NavMap.Read' });
  });

  it("answers a wrong password with Entra ID's AADSTS50126 text", async () => {
    await expect(signIn({ password: 'Wrong-password-1!' })).rejects.toThrow(`Sign-in failed (wrong username or password): ${ENTRA_SIGN_IN_ERRORS.AADSTS50126}`);
  });

  it("answers a wrong authenticator code with Entra ID's wrong-code text", async () => {
    const otherSecret = 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU';
    expect(authenticatorCode(otherSecret).generate()).not.toBe(authenticatorCode(TOTP_SECRET).generate());
    await expect(signIn({ totpSecret: otherSecret })).rejects.toThrow(`Sign-in failed (wrong verification code): ${ENTRA_SIGN_IN_ERRORS.OathCodeIncorrect}`);
  });

  it('answers an unknown account before asking for a password', async () => {
    await expect(signIn({ username: 'nobody@navmap.local' })).rejects.toThrow(`Sign-in failed (unknown account): ${ENTRA_SIGN_IN_ERRORS.AADSTS50034}`);
  });

  it('refuses a TOTP secret without the Entra-shaped pages, and a secret that is not base32', async () => {
    const options = { authorityHost, tenantId: TENANT, dataverseUrl: 'https://localhost:1', bffAudience: 'api://navmap-bff' };
    await expect(createIdentityProvider({ ...options, testUser })).rejects.toThrow(/`testUser.totpSecret` needs `signInPages: 'entra'`/);
    await expect(createIdentityProvider({ ...options, testUser: { ...testUser, totpSecret: '123456' }, signInPages: 'entra' })).rejects.toThrow(
      /`testUser.totpSecret` must be a base32 secret/,
    );
  });
});
