import { describe, expect, it } from 'vitest';
import { isNavMapError } from '../contract/NavMapError.js';
import type { NavMapResponse } from '../contract/types.js';
import { resolveNavMapClientOptions, type NavMapClientOptions } from './resolveNavMapClientOptions.js';

const base: NavMapClientOptions = {
  baseUrl: 'https://bff.contoso.com/',
  getAccessToken: () => 'token',
  environment: 'https://org.crm.dynamics.com',
};

const map: NavMapResponse = {
  version: '1',
  environment: 'https://org.crm.dynamics.com',
  childEntity: 'sprk_document',
  generatedAt: '2026-11-27T10:00:00.000Z',
  parents: { sprk_matter: { entitySet: 'sprk_matters', lookupAttribute: 'sprk_matter', navProperty: 'sprk_Matter', collectionNavProperty: 'sprk_matter_document' } },
};

function failure(options: Record<string, unknown>): string {
  try {
    resolveNavMapClientOptions({ ...base, ...options } as NavMapClientOptions);
  } catch (error) {
    expect(isNavMapError(error) && error.code).toBe('invalid_config');
    return (error as Error).message;
  }
  throw new Error('expected invalid_config');
}

describe('resolveNavMapClientOptions', () => {
  it('compares an org URL by its origin, as navmap-server names its environment, and any other name as given', () => {
    expect(resolveNavMapClientOptions({ ...base, environment: 'https://Org.CRM.dynamics.com/' }).environment).toBe('https://org.crm.dynamics.com');
    expect(resolveNavMapClientOptions({ ...base, environment: 'https://org.crm.dynamics.com/main.aspx' }).environment).toBe('https://org.crm.dynamics.com');
    expect(resolveNavMapClientOptions({ ...base, environment: 'contoso-prod' }).environment).toBe('contoso-prod');
  });

  it('merges over the defaults, builds the endpoint and freezes the result', () => {
    const resolved = resolveNavMapClientOptions(base);
    expect(resolved).toMatchObject({
      baseUrl: 'https://bff.contoso.com',
      endpoint: 'https://bff.contoso.com/api/pcf/dataverse-navmap?v=1',
      childEntity: 'sprk_document',
      storage: 'indexeddb',
      ttlMs: 300_000,
      maxStaleMs: 86_400_000,
      timeoutMs: 5000,
      fallback: undefined,
      logger: console,
    });
    expect(Object.isFrozen(resolved)).toBe(true);
  });

  it('keeps a base path of a BFF mounted below the origin', () => {
    expect(resolveNavMapClientOptions({ ...base, baseUrl: 'https://contoso.com/bff//' }).endpoint).toBe('https://contoso.com/bff/api/pcf/dataverse-navmap?v=1');
  });

  it('validates and keeps the bundled fallback', () => {
    expect(resolveNavMapClientOptions({ ...base, fallback: map }).fallback).toEqual(map);
  });

  it.each([
    ['baseUrl', { baseUrl: 'bff.contoso.com' }],
    ['baseUrl', { baseUrl: 'ftp://bff.contoso.com' }],
    ['baseUrl', { baseUrl: 'https://bff.contoso.com/?x=1' }],
    ['getAccessToken', { getAccessToken: 'token' }],
    ['environment', { environment: '' }],
    ['childEntity', { childEntity: 'Sprk_Document' }],
    ['fallback', { fallback: { ...map, parents: { sprk_matter: { navProperty: 'x' } } } }],
    ['fallback', { fallback: { ...map, childEntity: 'sprk_note' } }],
    ['storage', { storage: 'localStorage' }],
    ['storage', { storage: { get: () => undefined } }],
    ['ttlMs', { ttlMs: -1 }],
    ['maxStaleMs', { ttlMs: 10_000, maxStaleMs: 5000 }],
    ['timeoutMs', { timeoutMs: 0 }],
    ['timeoutMs', { timeoutMs: 1.5 }],
    ['onEvent', { onEvent: 'track' }],
    ['logger', { logger: { log: () => undefined } }],
  ])('names `%s` when it is wrong', (option, options) => {
    expect(failure(options)).toContain(`\`${option}\``);
  });

  it('explains what is wrong in a fallback', () => {
    expect(failure({ fallback: { ...map, version: '2' } })).toContain('`version`');
  });
});
