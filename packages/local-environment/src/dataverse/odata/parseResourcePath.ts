import { DataverseCode, DataverseError, notFoundSegment, syntaxError } from '../DataverseError.js';
import { tokenize, type Literal } from './tokenize.js';

/** A key predicate: `(guid)`, `('x')`, or `(Name='x',Other=1)`. */
export type KeyPredicate =
  | { readonly kind: 'positional'; readonly value: Literal }
  | { readonly kind: 'named'; readonly values: ReadonlyMap<string, Literal> };

export interface PathSegment {
  /** The identifier, e.g. `EntityDefinitions`, `Microsoft.Dynamics.CRM.OneToManyRelationshipMetadata`, `WhoAmI`. */
  readonly name: string;
  readonly key?: KeyPredicate;
  /** The segment ended with `()`: a function call without parameters. */
  readonly emptyParentheses: boolean;
  /** The segment as written, for "Resource not found for the segment" messages. */
  readonly text: string;
}

const SEGMENT = /^([A-Za-z_$][A-Za-z0-9_.$]*)(?:\(([\s\S]*)\))?$/;

function splitSegments(path: string): string[] {
  const segments: string[] = [];
  let inString = false;
  let start = 0;
  for (let index = 0; index < path.length; index++) {
    const char = path[index];
    if (char === "'") inString = !inString;
    else if (char === '/' && !inString) {
      segments.push(path.slice(start, index));
      start = index + 1;
    }
  }
  segments.push(path.slice(start));
  return segments;
}

function parseKey(text: string, segment: string): KeyPredicate {
  // `=` is outside the tokenizer's alphabet: tokenize with it blanked out (positions unchanged), then check
  // that exactly one '=' stands between each name and its value in the original text.
  const tokens = tokenize(text.replace(/=/g, ' '));
  const first = tokens[0];
  if (first?.kind === 'literal' && tokens[1]?.kind === 'end') {
    if (text.includes('=')) throw syntaxError(0, text);
    return { kind: 'positional', value: first.literal };
  }
  const values = new Map<string, Literal>();
  for (let index = 0; ; index += 3) {
    const name = tokens[index];
    const value = tokens[index + 1];
    if (name?.kind !== 'identifier' || value?.kind !== 'literal') {
      throw new DataverseError(
        400,
        DataverseCode.queryNotSupported,
        `Bad Request - Error in query syntax: the key of segment '${segment}' is not valid.`,
      );
    }
    const between = text.slice(name.position + name.text.length, value.position).trim();
    if (between !== '=') throw syntaxError(name.position, text);
    values.set(name.text, value.literal);
    const after = tokens[index + 2];
    if (after?.kind === 'end') break;
    if (after?.kind !== ',') throw syntaxError(after?.position ?? text.length, text);
  }
  return { kind: 'named', values };
}

/**
 * Parses the resource path after `/api/data/v9.x/` into segments with their key predicates.
 * The path must already be percent-decoded. An empty or malformed segment is "Resource not found".
 */
export function parseResourcePath(path: string): PathSegment[] {
  return splitSegments(path).map((text) => {
    const match = SEGMENT.exec(text);
    if (!match) throw notFoundSegment(text);
    const name = match[1] as string;
    const inner = match[2];
    if (inner === undefined) return { name, emptyParentheses: false, text };
    if (inner.trim() === '') return { name, emptyParentheses: true, text };
    return { name, key: parseKey(inner, text), emptyParentheses: false, text } satisfies PathSegment;
  });
}
