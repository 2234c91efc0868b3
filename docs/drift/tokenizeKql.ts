/** A lexical token of a Kusto (KQL) query. `value` is the decoded text of a string literal, else the token's text. */
export interface KqlToken {
  readonly kind: 'identifier' | 'string' | 'number' | 'operator' | 'punctuation';
  readonly text: string;
  readonly value: string;
  /** Offset of the token's first character in the query. */
  readonly offset: number;
}

const OPERATORS = ['==', '!=', '=~', '!~', '<=', '>=', '=>', '..', '=', '<', '>', '+', '-', '*', '/', '%'] as const;
const PUNCTUATION = new Set(['(', ')', '[', ']', '{', '}', ',', ';', '|', '.', ':']);
const IDENTIFIER_START = /[A-Za-z_$]/;
const IDENTIFIER_PART = /[A-Za-z0-9_$]/;
const DIGIT = /[0-9]/;

/** Thrown for text that is not KQL as far as the tokenizer knows (an unterminated string, a stray character). */
export class KqlSyntaxError extends Error {
  override readonly name = 'KqlSyntaxError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

function lineAndColumn(query: string, offset: number): string {
  const before = query.slice(0, offset).split('\n');
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}

/**
 * Splits a KQL query into tokens: identifiers (including `!in`, `in~`, `!has`-style negated and case-insensitive
 * operators), string literals (`"..."`, `'...'` with backslash escapes; verbatim `@"..."`; obfuscated `h"..."`),
 * numbers and timespans (`5m`, `0.95`), operators and punctuation. Comments (`// ...`) and whitespace are dropped.
 * Workbook parameters (`{TimeRange}`) come out as punctuation and identifiers, which is harmless for name checks.
 *
 * @throws {KqlSyntaxError} on an unterminated string or a character KQL does not use.
 * @example
 * tokenizeKql('customEvents | where name == "NavMapLoaded"').map((token) => token.value);
 * // ['customEvents', '|', 'where', 'name', '==', 'NavMapLoaded']
 */
export function tokenizeKql(query: string): KqlToken[] {
  const tokens: KqlToken[] = [];
  let index = 0;
  const fail = (message: string, at: number): never => {
    throw new KqlSyntaxError(`${message} at ${lineAndColumn(query, at)}`, at);
  };

  const readString = (start: number, quoteAt: number, verbatim: boolean): void => {
    const quote = query[quoteAt] as string;
    let value = '';
    let position = quoteAt + 1;
    for (;;) {
      const char = query[position];
      if (char === undefined || char === '\n') fail(`Unterminated string literal`, start);
      if (verbatim && char === quote && query[position + 1] === quote) {
        value += quote;
        position += 2;
        continue;
      }
      if (char === quote) break;
      if (!verbatim && char === '\\') {
        const next = query[position + 1];
        if (next === undefined) fail('Unterminated string literal', start);
        value += next === 'n' ? '\n' : next === 't' ? '\t' : (next as string);
        position += 2;
        continue;
      }
      value += char;
      position += 1;
    }
    const end = position + 1;
    tokens.push({ kind: 'string', text: query.slice(start, end), value, offset: start });
    index = end;
  };

  while (index < query.length) {
    const char = query[index] as string;
    const next = query[index + 1];
    if (/\s/.test(char)) {
      index += 1;
      continue;
    }
    if (char === '/' && next === '/') {
      const end = query.indexOf('\n', index);
      index = end === -1 ? query.length : end;
      continue;
    }
    if (char === '"' || char === "'") {
      readString(index, index, false);
      continue;
    }
    if (char === '@' && (next === '"' || next === "'")) {
      readString(index, index + 1, true);
      continue;
    }
    if ((char === 'h' || char === 'H') && (next === '"' || next === "'")) {
      readString(index, index + 1, false);
      continue;
    }
    if (DIGIT.test(char)) {
      const match = /^[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?[A-Za-z]*/.exec(query.slice(index));
      const text = match?.[0] ?? char;
      tokens.push({ kind: 'number', text, value: text, offset: index });
      index += text.length;
      continue;
    }
    // `!in`, `!has`, `!contains`, `!startswith`, ...: one operator word, as KQL reads it.
    const negated = char === '!' && next !== undefined && IDENTIFIER_START.test(next);
    if (IDENTIFIER_START.test(char) || negated) {
      let end = index + 1;
      while (end < query.length && IDENTIFIER_PART.test(query[end] as string)) end += 1;
      let text = query.slice(index, end);
      // `in~` and `!in~` are the case-insensitive `in`; `=~` after any other word is an operator of its own.
      if ((text === 'in' || text === '!in') && query[end] === '~') {
        text += '~';
        end += 1;
      }
      tokens.push({ kind: 'identifier', text, value: text, offset: index });
      index = end;
      continue;
    }
    const operator = OPERATORS.find((candidate) => query.startsWith(candidate, index));
    if (operator !== undefined) {
      tokens.push({ kind: 'operator', text: operator, value: operator, offset: index });
      index += operator.length;
      continue;
    }
    if (PUNCTUATION.has(char)) {
      tokens.push({ kind: 'punctuation', text: char, value: char, offset: index });
      index += 1;
      continue;
    }
    if (char === '!') {
      tokens.push({ kind: 'operator', text: char, value: char, offset: index });
      index += 1;
      continue;
    }
    fail(`Unexpected character ${JSON.stringify(char)}`, index);
  }
  return tokens;
}
