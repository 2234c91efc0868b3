import { DataverseCode, DataverseError, syntaxError } from '../DataverseError.js';

/** A literal as OData writes it: 'text', 12, 1.5, true, false, null, or an unquoted GUID. */
export type Literal =
  | { readonly type: 'Edm.String'; readonly value: string }
  | { readonly type: 'Edm.Int32' | 'Edm.Decimal'; readonly value: number }
  | { readonly type: 'Edm.Boolean'; readonly value: boolean }
  | { readonly type: 'Edm.Guid'; readonly value: string }
  | { readonly type: 'null'; readonly value: null };

export type Token =
  | { readonly kind: '(' | ')' | ',' | 'end'; readonly position: number }
  | { readonly kind: 'identifier'; readonly position: number; readonly text: string }
  | { readonly kind: 'literal'; readonly position: number; readonly literal: Literal };

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![0-9A-Za-z_])/;
const NUMBER = /^-?\d+(\.\d+)?(?![0-9A-Za-z_.])/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*/;

/**
 * Splits an OData expression ($filter, a key predicate) into tokens. Positions are 0-based, as in OData's
 * `Syntax error at position N` messages. Anything outside the supported subset is a syntax error.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  while (position < text.length) {
    const char = text[position] as string;
    if (char === ' ' || char === '\t') {
      position++;
      continue;
    }
    if (char === '(' || char === ')' || char === ',') {
      tokens.push({ kind: char, position });
      position++;
      continue;
    }
    if (char === "'") {
      let value = '';
      let index = position + 1;
      for (;;) {
        if (index >= text.length) {
          throw new DataverseError(
            400,
            DataverseCode.queryNotSupported,
            `There is an unterminated string literal at position ${position} in '${text}'.`,
          );
        }
        const next = text[index] as string;
        if (next === "'") {
          if (text[index + 1] === "'") {
            value += "'";
            index += 2;
            continue;
          }
          break;
        }
        value += next;
        index++;
      }
      tokens.push({ kind: 'literal', position, literal: { type: 'Edm.String', value } });
      position = index + 1;
      continue;
    }
    const rest = text.slice(position);
    const guid = GUID.exec(rest);
    if (guid) {
      tokens.push({ kind: 'literal', position, literal: { type: 'Edm.Guid', value: guid[0].toLowerCase() } });
      position += guid[0].length;
      continue;
    }
    const number = NUMBER.exec(rest);
    if (number) {
      const isDecimal = number[1] !== undefined;
      tokens.push({
        kind: 'literal',
        position,
        literal: { type: isDecimal ? 'Edm.Decimal' : 'Edm.Int32', value: Number(number[0]) },
      });
      position += number[0].length;
      continue;
    }
    const identifier = IDENTIFIER.exec(rest);
    if (identifier) {
      const word = identifier[0];
      if (word === 'true' || word === 'false') {
        tokens.push({ kind: 'literal', position, literal: { type: 'Edm.Boolean', value: word === 'true' } });
      } else if (word === 'null') {
        tokens.push({ kind: 'literal', position, literal: { type: 'null', value: null } });
      } else {
        tokens.push({ kind: 'identifier', position, text: word });
      }
      position += word.length;
      continue;
    }
    throw syntaxError(position, text);
  }
  tokens.push({ kind: 'end', position: text.length });
  return tokens;
}
