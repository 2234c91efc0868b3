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
  ])('refuses %j with invalid_config naming %s', async (options, named) => {
    const error: unknown = await startLocalEnvironment(options).then(
      () => undefined,
      (rejection: unknown) => rejection,
    );
    expect(isNavMapError(error) && error.code).toBe('invalid_config');
    expect((error as Error).message).toContain(named);
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
