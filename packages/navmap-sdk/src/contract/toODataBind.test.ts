import { describe, expect, it } from 'vitest';
import { NavMapError } from './NavMapError.js';
import { normalizeGuid } from './normalizeGuid.js';
import { toODataBind } from './toODataBind.js';

const matter = { entitySet: 'sprk_matters', navProperty: 'sprk_Matter' };

describe('toODataBind', () => {
  it('builds the exact-case bind key and the entity set path', () => {
    expect(toODataBind(matter, '3a785f76-c773-f011-b4cb-6045bdd8b757')).toEqual({
      'sprk_Matter@odata.bind': '/sprk_matters(3a785f76-c773-f011-b4cb-6045bdd8b757)',
    });
  });

  it('strips braces and lower-cases the id as forms hand it out', () => {
    expect(toODataBind(matter, ' {3A785F76-C773-F011-B4CB-6045BDD8B757} ')).toEqual({
      'sprk_Matter@odata.bind': '/sprk_matters(3a785f76-c773-f011-b4cb-6045bdd8b757)',
    });
  });

  it.each(['', 'not-a-guid', '3a785f76c773f011b4cb6045bdd8b757', '{3a785f76-c773-f011-b4cb-6045bdd8b757', '3a785f76-c773-f011-b4cb-6045bdd8b757)'])(
    'rejects %j with invalid_guid',
    (id) => {
      expect(() => toODataBind(matter, id)).toThrowError(expect.objectContaining({ code: 'invalid_guid' }) as Error);
    },
  );

  it('rejects non-strings with a message that shows the value', () => {
    expect(() => normalizeGuid(undefined)).toThrowError(/Record id undefined is not a GUID/);
    expect(() => normalizeGuid(42)).toThrowError(NavMapError);
  });
});
