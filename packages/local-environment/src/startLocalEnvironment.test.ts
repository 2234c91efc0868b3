import { isNavMapError } from '@sdap/navmap-sdk';
import { describe, expect, it } from 'vitest';
import { testDataDir } from '../test/testDataDir.js';
import { sdapSeed } from './dataverse/sdapSeed.js';
import { startLocalEnvironment, type LocalEnvironmentOptions } from './startLocalEnvironment.js';

describe('startLocalEnvironment', () => {
  it.each([
    [{ port: -1 }, '`port`'],
    [{ port: 1.5 }, '`port`'],
    [{ host: '' }, '`host`'],
    [{ dataDir: '' }, '`dataDir`'],
    [{ tenantId: 'common' }, '`tenantId`'],
    [{ dataverseUrl: 'https://org.crm.dynamics.com' } as unknown as LocalEnvironmentOptions, '`dataverseUrl`'],
    [{ signInPages: 'aad' } as unknown as LocalEnvironmentOptions, '`signInPages`'],
    [{ signInPages: 'entra' as const, totpSecret: '123456' }, '`totpSecret`'],
    [{ totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' }, '`totpSecret`'],
    [{ bffProtocol: 'ftp' } as unknown as LocalEnvironmentOptions, '`bffProtocol`'],
    [{ identityProviderSite: 'third-party' } as unknown as LocalEnvironmentOptions, '`identityProviderSite`'],
    [{ signInPages: 'entra' as const, identityProviderSite: 'same-site' as const }, '`identityProviderSite`'],
    [{ host: '192.0.2.10', identityProviderSite: 'cross-site' as const }, '`identityProviderSite`'],
  ])('refuses %j with invalid_config naming %s', async (options, named) => {
    const error: unknown = await startLocalEnvironment(options).then(
      () => undefined,
      (rejection: unknown) => rejection,
    );
    expect(isNavMapError(error) && error.code).toBe('invalid_config');
    expect((error as Error).message).toContain(named);
  });

  it('cross-site: the identity provider on 127.0.0.1 against forms on localhost, its tokens still verified', async () => {
    const environment = await startLocalEnvironment({ port: 0, dataDir: testDataDir, identityProviderSite: 'cross-site' });
    try {
      expect(new URL(environment.dataverseUrl).hostname).toBe('localhost');
      expect(new URL(environment.issuer).hostname).toBe('127.0.0.1');
      const discovery = (await (await fetch(`${environment.issuer}/.well-known/openid-configuration`)).json()) as { issuer: string };
      expect(discovery.issuer).toBe(environment.issuer);
      const token = await environment.getClientCredentialsToken('navmap-e2e', 'navmap-e2e-secret', environment.bffAudience);
      const upload = await fetch(`${environment.bffUrl}/api/obo/containers/b!x/files/cross-site-${Date.now()}.txt`, {
        method: 'PUT',
        body: 'a',
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(upload.status).toBe(201);
    } finally {
      await environment.stop();
    }
  });

  it('shaped like a deployment: sign-in on login.localhost with the test user enrolled in TOTP, the BFF on https', async () => {
    const environment = await startLocalEnvironment({ port: 0, dataDir: testDataDir, signInPages: 'entra', totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', bffProtocol: 'https' });
    try {
      expect(new URL(environment.authorityHost).hostname).toBe('login.localhost');
      expect(new URL(environment.bffUrl).protocol).toBe('https:');
      expect(environment.testUser.totpSecret).toBe('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
      // This process resolves login.localhost (RFC 6761) and trusts the certificate that now names it.
      const discovery = (await (await fetch(`${environment.issuer}/.well-known/openid-configuration`)).json()) as { issuer: string };
      expect(discovery.issuer).toBe(environment.issuer);
      expect((await fetch(`${environment.bffUrl}/api/obo/containers/x/files/a.txt`, { method: 'PUT', body: 'a' })).status).toBe(401);
    } finally {
      await environment.stop();
    }
  });

  it('runs two independent environments side by side and closes every server on stop', async () => {
    const [first, second] = await Promise.all([
      startLocalEnvironment({ dataDir: testDataDir }),
      startLocalEnvironment({ dataDir: testDataDir }),
    ]);
    expect(new Set([first.dataverseUrl, first.bffUrl, first.authorityHost, first.adminUrl, second.dataverseUrl]).size).toBe(5);
    expect(first.records).toBe(sdapSeed.records);
    // A token of one environment is foreign to the other.
    const token = await first.getClientCredentialsToken('navmap-server', 'navmap-server-secret', first.dataverseUrl);
    expect((await fetch(`${first.dataverseUrl}/api/data/v9.2/WhoAmI`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await fetch(`${second.dataverseUrl}/api/data/v9.2/WhoAmI`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(401);

    await Promise.all([first.stop(), second.stop()]);
    for (const url of [first.dataverseUrl, first.bffUrl, first.adminUrl, `${first.issuer}/.well-known/openid-configuration`]) {
      await expect(fetch(url)).rejects.toThrow();
    }
    await first.stop();
  });
});
