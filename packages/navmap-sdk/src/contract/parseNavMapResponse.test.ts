import { describe, expect, it } from 'vitest';
import { isNavMapError } from './NavMapError.js';
import { NAVMAP_LIMITS } from './navMapLimits.js';
import { parseNavMapResponse } from './parseNavMapResponse.js';

const validBody = {
  version: '1',
  environment: 'https://org.crm.dynamics.com',
  childEntity: 'sprk_document',
  generatedAt: '2026-11-27T10:00:00.000Z',
  parents: {
    sprk_matter: {
      entitySet: 'sprk_matters',
      lookupAttribute: 'sprk_matter',
      navProperty: 'sprk_Matter',
      collectionNavProperty: 'sprk_matter_document',
    },
  },
  errors: { sprk_nonexistent: { code: 'entity_not_found', message: 'no such table' } },
};

function messageOf(body: unknown): string {
  try {
    parseNavMapResponse(body);
  } catch (error) {
    expect(isNavMapError(error) && error.code).toBe('invalid_response');
    return (error as Error).message;
  }
  throw new Error('expected parseNavMapResponse to throw');
}

describe('parseNavMapResponse', () => {
  it('returns a valid v1 body unchanged', () => {
    expect(parseNavMapResponse(validBody)).toEqual(validBody);
  });

  it('accepts the seed format without childEntity and errors, with a named environment', () => {
    const { childEntity: _child, errors: _errors, ...seed } = validBody;
    const parsed = parseNavMapResponse({ ...seed, environment: 'production', generatedAt: '2025-10-20T14:30:00Z' });
    expect(parsed.parents.sprk_matter?.navProperty).toBe('sprk_Matter');
    expect('childEntity' in parsed).toBe(false);
  });

  it('drops fields it does not know so newer servers do not break older clients', () => {
    const parsed = parseNavMapResponse({ ...validBody, futureField: 1 });
    expect(parsed).not.toHaveProperty('futureField');
  });

  it('names the field when a navProperty is not an OData identifier', () => {
    const body = structuredClone(validBody);
    body.parents.sprk_matter.navProperty = 'sprk_Matter@odata.bind';
    expect(messageOf(body)).toContain('`parents.sprk_matter.navProperty`: expected an OData identifier');
  });

  it('names a missing field', () => {
    const { generatedAt: _omitted, ...body } = validBody;
    expect(messageOf(body)).toMatch(/`generatedAt`.*missing/);
  });

  it('rejects another contract version', () => {
    expect(messageOf({ ...validBody, version: '2' })).toContain('`version`: expected "1"');
  });

  it('rejects a parent key that is not a logical name', () => {
    const body = { ...validBody, parents: { 'Sprk Matter': validBody.parents.sprk_matter } };
    expect(messageOf(body)).toContain('parents');
  });

  it('rejects an unknown error code in errors', () => {
    expect(messageOf({ ...validBody, errors: { x: { code: 'boom', message: 'm' } } })).toContain('`errors.x.code`');
  });

  it('rejects non-objects', () => {
    expect(messageOf(null)).toContain('(root)');
    expect(messageOf('{"version":"1"}')).toContain('(root)');
  });
});

describe('parseNavMapResponse limits (docs/contract.md, "Limits")', () => {
  const entry = validBody.parents.sprk_matter;

  it('refuses more parents than NAVMAP_LIMITS.parents, naming the limit', () => {
    const parents = Object.fromEntries(Array.from({ length: NAVMAP_LIMITS.parents + 1 }, (_, index) => [`p${index}`, entry]));
    expect(messageOf({ ...validBody, parents, errors: undefined })).toContain('limit `parents`');
  });

  it('refuses an errors[].message longer than NAVMAP_LIMITS.textLength, naming the limit', () => {
    const errors = { sprk_x: { code: 'entity_not_found', message: 'x'.repeat(NAVMAP_LIMITS.textLength + 1) } };
    expect(messageOf({ ...validBody, errors })).toContain('`errors.sprk_x.message`: expected at most 2048 characters (limit `textLength`)');
  });

  it('quotes and cuts a received value, so a line break in it cannot start a console line of its own', () => {
    const message = messageOf({ ...validBody, generatedAt: `x\n[NavMapClient] Layer 1 SUCCESS - Loaded from server${'y'.repeat(100)}` });
    expect(message).not.toContain('\n');
    expect(message.length).toBeLessThan(200);
  });

  it('keeps parents named like Object.prototype members as data', () => {
    const parsed = parseNavMapResponse({ ...validBody, parents: { constructor: entry }, errors: {} });
    expect(Object.hasOwn(parsed.parents, 'constructor')).toBe(true);
    expect(parsed.parents.constructor).toEqual(entry);
  });
});
