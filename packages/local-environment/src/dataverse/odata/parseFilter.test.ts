import { describe, expect, it } from 'vitest';
import { DataverseError } from '../DataverseError.js';
import { parseFilter } from './parseFilter.js';
import { parseExpand, parseOrderBy, parseQueryOptions, parseSelect } from './parseQueryOptions.js';
import { parseResourcePath } from './parseResourcePath.js';

function syntaxFailure(run: () => unknown): DataverseError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DataverseError);
    return error as DataverseError;
  }
  throw new Error('expected a DataverseError');
}

describe('parseFilter', () => {
  it('gives and precedence over or, and honours parentheses and not', () => {
    expect(parseFilter("a eq 'x' or b eq 'y' and c eq true")).toEqual({
      kind: 'or',
      left: { kind: 'compare', operator: 'eq', left: { kind: 'property', name: 'a', position: 0 }, right: { kind: 'literal', literal: { type: 'Edm.String', value: 'x' }, position: 5 } },
      right: {
        kind: 'and',
        left: { kind: 'compare', operator: 'eq', left: { kind: 'property', name: 'b', position: 12 }, right: { kind: 'literal', literal: { type: 'Edm.String', value: 'y' }, position: 17 } },
        right: { kind: 'compare', operator: 'eq', left: { kind: 'property', name: 'c', position: 25 }, right: { kind: 'literal', literal: { type: 'Edm.Boolean', value: true }, position: 30 } },
      },
    });
    expect(parseFilter("(a eq 'x' or b eq 'y') and not c eq null").kind).toBe('and');
  });

  it("reads '' inside a string as one quote, and GUIDs, numbers and null as literals", () => {
    expect(parseFilter("name eq 'O''Brien'")).toMatchObject({ right: { literal: { type: 'Edm.String', value: "O'Brien" } } });
    expect(parseFilter('id eq 3A785F76-C773-F011-B4CB-6045BDD8B757')).toMatchObject({ right: { literal: { type: 'Edm.Guid', value: '3a785f76-c773-f011-b4cb-6045bdd8b757' } } });
    expect(parseFilter('size gt -12.5')).toMatchObject({ operator: 'gt', right: { literal: { type: 'Edm.Decimal', value: -12.5 } } });
  });

  it('parses function calls as booleans or operands', () => {
    expect(parseFilter("startswith(name,'A')")).toMatchObject({ kind: 'function', name: 'startswith', args: [{ kind: 'property' }, { kind: 'literal' }] });
    expect(parseFilter("tolower(name) eq 'a'")).toMatchObject({ kind: 'compare', left: { kind: 'function', name: 'tolower' } });
  });

  it.each([
    ['a eq', 4],
    ["a eq 'x' or", 11],
    ["(a eq 'x'", 9],
    ["a eq 'x')", 8],
    ['a', 1],
    ["'x'", 3],
    ["a eq 'x' b", 9],
    ['a eq eq', 5],
    ['a eq "x"', 5],
    ['a/b eq 1', 1],
    ['a add 1 eq 2', 2],
  ])('rejects %j at position %i', (text, position) => {
    const error = syntaxFailure(() => parseFilter(text));
    expect(error.status).toBe(400);
    expect(error.code).toBe('0x80060888');
    expect(error.message).toBe(`Syntax error at position ${position} in '${text}'.`);
  });

  it('reports an unterminated string', () => {
    expect(syntaxFailure(() => parseFilter("a eq 'x")).message).toBe("There is an unterminated string literal at position 5 in 'a eq 'x'.");
  });
});

describe('query options', () => {
  it('splits options, decodes them and rejects unknown or repeated system options', () => {
    expect([...parseQueryOptions('$select=a,b&$filter=a%20eq%20%27x%27&@p1=1')]).toEqual([
      ['$select', 'a,b'],
      ['$filter', "a eq 'x'"],
      ['@p1', '1'],
    ]);
    expect(syntaxFailure(() => parseQueryOptions('$nope=1')).message).toBe('The query parameter $nope is not supported');
    expect(syntaxFailure(() => parseQueryOptions('$top=1&$top=2')).status).toBe(400);
    expect(syntaxFailure(() => parseQueryOptions('$filter=%E0%A4%A')).status).toBe(400);
  });

  it('parses $select, $orderby and nested $expand options', () => {
    expect(parseSelect(' a , b ')).toEqual(['a', 'b']);
    expect(syntaxFailure(() => parseSelect('a,,b')).status).toBe(400);
    expect(syntaxFailure(() => parseSelect('a b')).status).toBe(400);
    expect(parseOrderBy('a desc, b')).toEqual([
      { property: 'a', descending: true },
      { property: 'b', descending: false },
    ]);
    const [expand] = parseExpand("ManyToOneRelationships($select=SchemaName,ReferencedEntity;$filter=ReferencedEntity eq 'a,b;c')");
    expect(expand).toMatchObject({ property: 'ManyToOneRelationships', select: ['SchemaName', 'ReferencedEntity'], otherOptions: [] });
    expect(expand?.filter).toMatchObject({ right: { literal: { value: 'a,b;c' } } });
    expect(parseExpand('Attributes($top=1)')[0]?.otherOptions).toEqual(['$top']);
    expect(syntaxFailure(() => parseExpand('Attributes($select=a')).status).toBe(400);
    expect(syntaxFailure(() => parseExpand('Attributes(junk)')).status).toBe(400);
  });
});

describe('parseResourcePath', () => {
  it('parses named, positional and empty keys and casts, keeping quotes with slashes intact', () => {
    expect(parseResourcePath("EntityDefinitions(LogicalName='a/b')/ManyToOneRelationships")).toEqual([
      { name: 'EntityDefinitions', key: { kind: 'named', values: new Map([['LogicalName', { type: 'Edm.String', value: 'a/b' }]]) }, emptyParentheses: false, text: "EntityDefinitions(LogicalName='a/b')" },
      { name: 'ManyToOneRelationships', emptyParentheses: false, text: 'ManyToOneRelationships' },
    ]);
    expect(parseResourcePath('accounts(D3E5A7C9-6C8E-4A9C-8E3A-7B9D1F3A5E51)')[0]?.key).toEqual({ kind: 'positional', value: { type: 'Edm.Guid', value: 'd3e5a7c9-6c8e-4a9c-8e3a-7b9d1f3a5e51' } });
    expect(parseResourcePath('WhoAmI()')[0]).toMatchObject({ name: 'WhoAmI', emptyParentheses: true });
    expect(parseResourcePath('RelationshipDefinitions/Microsoft.Dynamics.CRM.OneToManyRelationshipMetadata')[1]?.name).toBe('Microsoft.Dynamics.CRM.OneToManyRelationshipMetadata');
  });

  it.each(["EntityDefinitions(LogicalName='a'", 'accounts(=)', "EntityDefinitions(LogicalName=='a')", 'a b', 'accounts//x'])('rejects %j', (path) => {
    const error = syntaxFailure(() => parseResourcePath(path));
    expect([400, 404]).toContain(error.status);
  });
});
