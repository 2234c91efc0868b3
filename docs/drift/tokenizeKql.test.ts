import { describe, expect, it } from 'vitest';
import { KqlSyntaxError, tokenizeKql } from './tokenizeKql.js';

const values = (query: string) => tokenizeKql(query).map((token) => token.value);

describe('tokenizeKql', () => {
  it('splits a pipeline into identifiers, operators, punctuation and decoded strings', () => {
    expect(values('customEvents | where name == "NavMapLoaded" and customDimensions["layer"] != \'server\'')).toEqual([
      'customEvents', '|', 'where', 'name', '==', 'NavMapLoaded', 'and', 'customDimensions', '[', 'layer', ']', '!=', 'server',
    ]);
  });

  it('reads negated and case-insensitive operators as one word', () => {
    expect(values('name !in~ ("a") and name in~ ("b") and x !has "c" and y =~ "d" and z !~ "e"')).toEqual([
      'name', '!in~', '(', 'a', ')', 'and', 'name', 'in~', '(', 'b', ')', 'and', 'x', '!has', 'c', 'and', 'y', '=~', 'd', 'and', 'z', '!~', 'e',
    ]);
  });

  it('decodes escapes, verbatim and obfuscated strings', () => {
    const strings = tokenizeKql(String.raw`x == "a\"b" or x == @"C:\path" or x == @'it''s' or x == h"secret"`).filter((token) => token.kind === 'string');
    expect(strings.map((token) => token.value)).toEqual(['a"b', 'C:\\path', "it's", 'secret']);
  });

  it('drops comments and keeps timespans and decimals as numbers', () => {
    const tokens = tokenizeKql('// cache hit rate\nbin(timestamp, 5m) // per five minutes\n| where rate > 0.95');
    expect(tokens.filter((token) => token.kind === 'number').map((token) => token.value)).toEqual(['5m', '0.95']);
    expect(tokens.some((token) => token.value.includes('cache'))).toBe(false);
  });

  it('reports an unterminated string with its line and column', () => {
    expect(() => tokenizeKql('customEvents\n| where name == "NavMapLoaded')).toThrow(KqlSyntaxError);
    expect(() => tokenizeKql('customEvents\n| where name == "NavMapLoaded')).toThrow(/line 2, column 17/);
  });

  it('refuses characters KQL does not use', () => {
    expect(() => tokenizeKql('customEvents | where name == `x`')).toThrow(/Unexpected character "`"/);
  });
});
