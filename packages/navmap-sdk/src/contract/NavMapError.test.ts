import { describe, expect, it } from 'vitest';
import { navMapErrorCodes } from './errorCodes.js';
import { NavMapError, isNavMapError } from './NavMapError.js';

describe('NavMapError', () => {
  it('carries name, code, details and cause', () => {
    const cause = new Error('socket hang up');
    const error = new NavMapError('dataverse_error', 'Dataverse answered 500', { status: 500, cause });
    expect(error.name).toBe('NavMapError');
    expect(error.code).toBe('dataverse_error');
    expect(error.details).toEqual({ status: 500 });
    expect(error.cause).toBe(cause);
    expect(JSON.parse(JSON.stringify(error))).toEqual({ code: 'dataverse_error', message: 'Dataverse answered 500' });
  });

  it('includes the required codes', () => {
    for (const code of [
      'invalid_response', 'invalid_config', 'entity_not_found', 'parent_not_related', 'ambiguous_relationship',
      'unsupported_parent', 'dataverse_error', 'dataverse_throttled', 'timeout', 'unauthorized', 'server_unavailable',
      'invalid_guid',
    ]) {
      expect(navMapErrorCodes).toContain(code);
    }
  });
});

describe('isNavMapError', () => {
  it('recognizes an error from another copy of the SDK by name and code', () => {
    const foreign = Object.assign(new Error('x'), { name: 'NavMapError', code: 'unsupported_parent' });
    expect(isNavMapError(foreign)).toBe(true);
  });

  it('refuses look-alikes with an unknown code and plain errors', () => {
    expect(isNavMapError(Object.assign(new Error('x'), { name: 'NavMapError', code: 'nope' }))).toBe(false);
    expect(isNavMapError(Object.assign(new Error('x'), { name: 'NavMapError', code: 'toString' }))).toBe(false);
    expect(isNavMapError(new TypeError('x'))).toBe(false);
    expect(isNavMapError({ name: 'NavMapError', code: 'timeout' })).toBe(false);
  });
});
