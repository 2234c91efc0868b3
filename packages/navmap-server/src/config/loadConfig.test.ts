import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './loadConfig.js';
import { maskConfig, resolveServerConfig } from './resolveServerConfig.js';

const directory = mkdtempSync(join(tmpdir(), 'navmap-config-'));
let files = 0;

function configFile(content: unknown): string {
  const file = join(directory, `config-${files++}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const minimal = {
  dataverse: { url: 'https://org.crm.dynamics.com', auth: { kind: 'clientSecret', tenantId: 't1', clientId: 'c1', clientSecret: 'super-secret-value' } },
  auth: { issuer: 'https://login.microsoftonline.com/t1/v2.0', audience: 'api://navmap-bff' },
  parents: ['sprk_matter', { entity: 'account', relationship: 'sprk_account_sprk_document' }],
};

function errorOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect((error as { code?: string }).code).toBe('invalid_config');
    return (error as Error).message;
  }
  throw new Error('expected an invalid_config error');
}

describe('loadConfig', () => {
  it('fills every default and freezes the result', () => {
    const config = loadConfig({ file: configFile(minimal), env: {} });
    expect(config).toMatchObject({
      environmentName: 'https://org.crm.dynamics.com',
      port: 8080,
      childEntity: 'sprk_document',
      cache: { ttlSeconds: 300, maxStaleSeconds: 3600, refreshAheadSeconds: 30, retrySeconds: 10 },
      auth: { audience: ['api://navmap-bff'], requiredScopes: [], requiredRoles: [], clockToleranceSeconds: 30 },
      dataverse: { auth: { kind: 'clientSecret', authorityHost: 'https://login.microsoftonline.com' }, timeoutMs: 15000 },
      rateLimit: { enabled: true, windowSeconds: 60, max: 600 },
    });
    expect(config.parents).toEqual([{ entity: 'sprk_matter' }, { entity: 'account', relationship: 'sprk_account_sprk_document' }]);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.cache)).toBe(true);
    expect(Object.isFrozen(config.parents)).toBe(true);
  });

  it('lets NAVMAP_* environment variables override the file', () => {
    const config = loadConfig({
      file: configFile(minimal),
      env: {
        NAVMAP_PORT: '9001',
        NAVMAP_DATAVERSE_URL: 'http://localhost:5555',
        NAVMAP_DATAVERSE_CLIENT_SECRET: 'from-env',
        NAVMAP_PARENTS: 'sprk_matter, contact',
        NAVMAP_CACHE_TTL_SECONDS: '60',
        NAVMAP_AUTH_REQUIRED_ROLES: 'NavMap.Read,NavMap.Admin',
        NAVMAP_CORS_ORIGINS: 'https://org.crm.dynamics.com',
        NAVMAP_RATE_LIMIT_ENABLED: 'false',
      },
    });
    expect(config.port).toBe(9001);
    expect(config.dataverse.url).toBe('http://localhost:5555');
    expect(config.dataverse.auth).toMatchObject({ kind: 'clientSecret', clientSecret: 'from-env' });
    expect(config.parents).toEqual([{ entity: 'sprk_matter' }, { entity: 'contact' }]);
    expect(config.cache).toMatchObject({ ttlSeconds: 60, refreshAheadSeconds: 12 });
    expect(config.auth.requiredRoles).toEqual(['NavMap.Read', 'NavMap.Admin']);
    expect(config.cors.origins).toEqual(['https://org.crm.dynamics.com']);
    expect(config.rateLimit.enabled).toBe(false);
  });

  it('works from environment variables alone, with NAVMAP_PARENTS as JSON', () => {
    const config = loadConfig({
      env: {
        NAVMAP_DATAVERSE_URL: 'https://org.crm.dynamics.com',
        NAVMAP_DATAVERSE_AUTH_KIND: 'none',
        NAVMAP_AUTH_ISSUER: 'https://login.microsoftonline.com/t1/v2.0',
        NAVMAP_AUTH_AUDIENCE: 'api://navmap-bff,11111111-2222-3333-4444-555555555555',
        NAVMAP_PARENTS: '["sprk_matter", {"entity": "account", "relationship": "sprk_account_sprk_document"}]',
      },
    });
    expect(config.auth.audience).toHaveLength(2);
    expect(config.parents[1]).toEqual({ entity: 'account', relationship: 'sprk_account_sprk_document' });
  });

  it('names NAVMAP_PARENTS when its JSON array does not parse', () => {
    const message = errorOf(() => loadConfig({ file: configFile(minimal), env: { NAVMAP_PARENTS: '["sprk_matter", {"entity": "account"' } }));
    expect(message).toContain('environment variable NAVMAP_PARENTS must be a comma-separated list of logical names or a JSON array');
  });

  it('names an unknown key and the keys it expected', () => {
    const message = errorOf(() => loadConfig({ file: configFile({ ...minimal, cache: { ttlSecond: 60 } }), env: {} }));
    expect(message).toContain('`cache.ttlSecond`: unknown key; expected one of ttlSeconds, maxStaleSeconds');
    expect(errorOf(() => loadConfig({ file: configFile({ ...minimal, colour: 'red' }), env: {} }))).toContain('`colour`: unknown key');
  });

  it('names a bad URL, a bad entity name and a missing key with the expected form', () => {
    const message = errorOf(() =>
      loadConfig({
        file: configFile({ ...minimal, dataverse: { url: 'org.crm.dynamics.com' }, childEntity: 'Sprk_Document', parents: ['sprk_matter', 'sprk matter'], auth: { audience: 'x' } }),
        env: {},
      }),
    );
    expect(message).toContain('`dataverse.url`: expected an absolute http(s) URL such as https://org.crm.dynamics.com; received "org.crm.dynamics.com"');
    expect(message).toContain('`childEntity`: expected a lower-case logical name matching ^[a-z][a-z0-9_]{0,127}$');
    expect(message).toContain('`parents[1].entity`: expected a lower-case logical name');
    expect(message).toContain('`auth.issuer`: is required');
  });

  it('requires the parents: they are the deployment\'s schema, not a default', () => {
    const { parents: _parents, ...withoutParents } = minimal;
    expect(errorOf(() => resolveServerConfig(withoutParents))).toContain('`parents`: ');
  });

  it.each(['constructor', 'prototype'])('refuses a parent named %s (a prototype key a client could not look up)', (name) => {
    expect(errorOf(() => resolveServerConfig({ ...minimal, parents: ['sprk_matter', name] }))).toContain('`parents[1].entity`: expected a table name other than constructor or prototype');
  });

  it('refuses more parents than a map may carry', () => {
    const parents = Array.from({ length: 201 }, (_, index) => `sprk_table${index}`);
    expect(errorOf(() => resolveServerConfig({ ...minimal, parents }))).toContain('`parents`: expected at most 200 parents; received "201 parents"');
  });

  it('does not echo the content of a configuration file that is not JSON', () => {
    const message = errorOf(() => loadConfig({ file: configFile('clientSecret=hunter2-the-password'), env: {} }));
    expect(message).toMatch(/is not valid JSON/);
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('clientSe');
  });

  it('says which environment variable a bad value came from', () => {
    expect(errorOf(() => loadConfig({ file: configFile(minimal), env: { NAVMAP_PORT: 'eighty' } }))).toMatch(/NAVMAP_PORT must be a whole number/);
    expect(errorOf(() => loadConfig({ file: configFile(minimal), env: { NAVMAP_PORT: '70000' } }))).toContain('`port` (from NAVMAP_PORT): expected a whole number from 0 to 65535');
    expect(errorOf(() => loadConfig({ file: configFile(minimal), env: { NAVMAP_DATAVERSE_URL: 'ftp://x' } }))).toContain('(from NAVMAP_DATAVERSE_URL)');
  });

  it('rejects a clientSecret field on another auth kind, and an unknown kind', () => {
    const managed = { ...minimal, dataverse: { url: 'https://org.crm.dynamics.com', auth: { kind: 'managedIdentity', clientSecret: 'x' } } };
    expect(errorOf(() => loadConfig({ file: configFile(managed), env: {} }))).toContain('`dataverse.auth.clientSecret`: unknown key');
    const unknown = { ...minimal, dataverse: { url: 'https://org.crm.dynamics.com', auth: { kind: 'certificate' } } };
    expect(errorOf(() => loadConfig({ file: configFile(unknown), env: {} }))).toContain('expected `kind` to be one of managedIdentity, clientSecret, azureCli, none');
  });

  it('never shows a secret in an error message', () => {
    const message = errorOf(() =>
      loadConfig({ file: configFile({ ...minimal, dataverse: { ...minimal.dataverse, auth: { ...minimal.dataverse.auth, clientSecret: 42 } } }), env: {} }),
    );
    expect(message).toContain('`dataverse.auth.clientSecret`');
    expect(message).not.toContain('42');
  });

  it('rejects a parent listed twice and a refresh lead not shorter than the TTL', () => {
    expect(errorOf(() => resolveServerConfig({ ...minimal, parents: ['contact', { entity: 'contact' }] }))).toContain('`parents[1].entity`: expected a table not listed before; received "contact"');
    expect(errorOf(() => resolveServerConfig({ ...minimal, cache: { ttlSeconds: 30, refreshAheadSeconds: 30 } }))).toContain('`cache.refreshAheadSeconds`');
  });

  it('reports an unreadable file and invalid JSON with the file name', () => {
    expect(errorOf(() => loadConfig({ file: join(directory, 'missing.json'), env: {} }))).toMatch(/Cannot read the configuration file .*missing\.json/);
    expect(errorOf(() => loadConfig({ file: configFile('{ "port": 80, }'), env: {} }))).toMatch(/is not valid JSON/);
  });

  it('accepts its own resolved output as input (createServer takes either)', () => {
    const config = resolveServerConfig(minimal);
    expect(resolveServerConfig(config)).toEqual(config);
  });
});

describe('telemetry configuration', () => {
  const connectionString = 'InstrumentationKey=11111111-2222-3333-4444-555555555555;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/';

  it('reads the connection string from APPLICATIONINSIGHTS_CONNECTION_STRING, and NAVMAP_ wins over it', () => {
    expect(loadConfig({ file: configFile(minimal), env: {} }).telemetry).toEqual({});
    const azure = loadConfig({ file: configFile(minimal), env: { APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString } });
    expect(azure.telemetry.applicationInsightsConnectionString).toBe(connectionString);
    const both = loadConfig({
      file: configFile(minimal),
      env: { APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString, NAVMAP_TELEMETRY_APPLICATION_INSIGHTS_CONNECTION_STRING: 'InstrumentationKey=navmap' },
    });
    expect(both.telemetry.applicationInsightsConnectionString).toBe('InstrumentationKey=navmap');
    expect(loadConfig({ file: configFile(minimal), env: { NAVMAP_CACHE_MIN_FORCED_REFRESH_INTERVAL_SECONDS: '0' } }).cache.minForcedRefreshIntervalSeconds).toBe(0);
    expect(loadConfig({ file: configFile(minimal), env: {} }).cache.minForcedRefreshIntervalSeconds).toBe(10);
  });

  it('refuses a connection string without InstrumentationKey and never echoes it', () => {
    const message = errorOf(() => loadConfig({ file: configFile(minimal), env: { APPLICATIONINSIGHTS_CONNECTION_STRING: 'IngestionEndpoint=https://secret-host/' } }));
    expect(message).toContain('`telemetry.applicationInsightsConnectionString` (from APPLICATIONINSIGHTS_CONNECTION_STRING)');
    expect(message).not.toContain('secret-host');
  });

  it('masks the connection string like the client secret', () => {
    const masked = maskConfig(loadConfig({ file: configFile(minimal), env: { APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString } }));
    expect(masked.telemetry.applicationInsightsConnectionString).toBe('********');
    expect(JSON.stringify(masked)).not.toContain('11111111-2222');
    expect(JSON.stringify(masked)).not.toContain('super-secret-value');
  });
});

describe('maskConfig', () => {
  it('hides credentials written into the issuer or authority host URLs', () => {
    const config = resolveServerConfig({
      ...minimal,
      dataverse: { ...minimal.dataverse, auth: { ...minimal.dataverse.auth, authorityHost: 'https://admin:hunter2@login.example.com' } },
      auth: { ...minimal.auth, issuer: 'https://user:pa55word@login.microsoftonline.com/t1/v2.0' },
    });
    const masked = JSON.stringify(maskConfig(config));
    expect(masked).not.toContain('hunter2');
    expect(masked).not.toContain('pa55word');
    expect(masked).toContain('https://***@login.microsoftonline.com/t1/v2.0');
  });

  it('replaces the client secret and leaves everything else', () => {
    const masked = maskConfig(resolveServerConfig(minimal));
    expect(JSON.stringify(masked)).not.toContain('super-secret-value');
    expect(masked.dataverse.auth).toMatchObject({ kind: 'clientSecret', clientSecret: '********', clientId: 'c1' });
  });
});
