import { applicationInsightsSchema, type ApplicationInsightsTable } from './applicationInsightsSchema.js';
import { kustoTokens, type KqlToken } from './kustoLanguage.js';

export type { ApplicationInsightsTable };

/** A `name` (or `operation_Name`) compared with a literal: an event name on customEvents, a request name on requests. */
export interface KqlNameReference {
  readonly name: string;
  /** The table whose rows the comparison filters; undefined when the query reads a `let` binding. */
  readonly table: ApplicationInsightsTable | undefined;
  readonly offset: number;
  /** The parenthesis level (or statement) the comparison is in. */
  readonly scope: number;
}

/** `customDimensions.X`, `customDimensions["X"]`, `customMeasurements.Y`, ... */
export interface KqlBagReference {
  readonly bag: 'customDimensions' | 'customMeasurements';
  readonly key: string;
  readonly table: ApplicationInsightsTable | undefined;
  readonly offset: number;
  /** String literals the value is compared with (`== "x"`, `in ("x", "y")`), directly or through `tostring(...)`. */
  readonly comparedWith: readonly string[];
  /** The scopes open where the key is read, innermost last: names compared in these select its rows. */
  readonly scopes: readonly number[];
}

export interface KqlReferences {
  /** Every table the query reads. */
  readonly tables: readonly ApplicationInsightsTable[];
  readonly names: readonly KqlNameReference[];
  readonly bagKeys: readonly KqlBagReference[];
  /** Forms the checker cannot verify (for example `name contains "Nav"`): a query should not use them. */
  readonly unsupported: readonly string[];
}

const TABLES: ReadonlySet<string> = new Set(Object.keys(applicationInsightsSchema));
const EQUALITY = new Set(['==', '=~', '!=', '!~']);
const MEMBERSHIP = new Set(['in', '!in', 'in~', '!in~']);
// String operators that match parts of a name: a name check cannot tell what they select.
const PARTIAL = new Set([
  'has', '!has', 'has_cs', '!has_cs', 'hasprefix', 'hassuffix', 'contains', '!contains', 'contains_cs', '!contains_cs',
  'startswith', '!startswith', 'startswith_cs', 'endswith', '!endswith', 'endswith_cs', 'matches', 'has_any', 'has_all',
]);
const NAME_COLUMNS = new Set(['name', 'operation_Name']);

/** The string literals compared with the value that ends just before `index`: `== "x"`, `in ("x", "y")`. */
function comparedLiterals(tokens: readonly KqlToken[], index: number): string[] {
  let position = index;
  // `tostring(customDimensions.x) == "y"`: step over the conversion's closing parenthesis.
  if (tokens[position]?.value === ')') position += 1;
  const operator = tokens[position];
  if (operator === undefined) return [];
  if (operator.kind === 'operator' && EQUALITY.has(operator.value)) {
    const literal = tokens[position + 1];
    return literal?.kind === 'string' ? [literal.value] : [];
  }
  if (operator.kind === 'identifier' && MEMBERSHIP.has(operator.value) && tokens[position + 1]?.value === '(') {
    const values: string[] = [];
    for (let item = position + 2; tokens[item]?.kind === 'string'; item += 2) {
      values.push((tokens[item] as KqlToken).value);
      if (tokens[item + 1]?.value !== ',') break;
    }
    return values;
  }
  return [];
}

function isTable(token: KqlToken | undefined): token is KqlToken & { value: ApplicationInsightsTable } {
  return token?.kind === 'identifier' && TABLES.has(token.value);
}

/**
 * Reads which Application Insights names a KQL query depends on: the tables it reads, every `name`/`operation_Name`
 * compared with a literal (`==`, `=~`, `!=`, `!~`, `in (...)`, `!in (...)`, `in~ (...)`) together with the table in
 * scope, and every key read from `customDimensions` or `customMeasurements` (dot or bracket form, inside `tostring()`,
 * `todouble()` or anywhere else). A table's scope lasts to the end of its parentheses (`toscalar(customEvents | ...)`)
 * or statement (`;`).
 *
 * @example
 * extractKqlReferences('customEvents | where name == "NavMapLoaded" | summarize count() by tostring(customDimensions.layer)');
 * // { tables: ['customEvents'], names: [{ name: 'NavMapLoaded', table: 'customEvents', ... }],
 * //   bagKeys: [{ bag: 'customDimensions', key: 'layer', table: 'customEvents', ... }], unsupported: [] }
 */
export function extractKqlReferences(query: string): KqlReferences {
  const tokens = kustoTokens(query);
  const tables = new Set<ApplicationInsightsTable>();
  const names: KqlNameReference[] = [];
  const bagKeys: KqlBagReference[] = [];
  const unsupported: string[] = [];
  // One entry per open parenthesis level (index 0: the statement): its id and the table read at that level, if any.
  let nextScope = 0;
  const open = (): { id: number; table: ApplicationInsightsTable | undefined } => ({ id: nextScope++, table: undefined });
  const scopes = [open()];
  const tableInScope = (): ApplicationInsightsTable | undefined => {
    for (let level = scopes.length - 1; level >= 0; level -= 1) {
      const table = scopes[level]?.table;
      if (table !== undefined) return table;
    }
    return undefined;
  };
  const current = () => scopes[scopes.length - 1] as { id: number; table: ApplicationInsightsTable | undefined };
  const openScopes = () => scopes.map((scope) => scope.id);

  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index] as KqlToken;
    const previous = tokens[index - 1];
    const afterDot = previous?.kind === 'punctuation' && previous.value === '.';

    if (token.kind === 'punctuation') {
      if (token.value === '(') scopes.push(open());
      else if (token.value === ')' && scopes.length > 1) scopes.pop();
      else if (token.value === ';' && scopes.length === 1) scopes[0] = open();
      continue;
    }
    if (token.kind !== 'identifier' || afterDot) continue;

    if (isTable(token)) {
      tables.add(token.value);
      current().table = token.value;
      continue;
    }

    if (token.value === 'customDimensions' || token.value === 'customMeasurements') {
      const bag = token.value;
      const open = tokens[index + 1];
      const key = tokens[index + 2];
      if (open?.value === '.' && key?.kind === 'identifier') {
        bagKeys.push({ bag, key: key.value, table: tableInScope(), offset: key.offset, comparedWith: comparedLiterals(tokens, index + 3), scopes: openScopes() });
        index += 2;
      } else if (open?.value === '[' && key?.kind === 'string' && tokens[index + 3]?.value === ']') {
        bagKeys.push({ bag, key: key.value, table: tableInScope(), offset: key.offset, comparedWith: comparedLiterals(tokens, index + 4), scopes: openScopes() });
        index += 3;
      } else if (open?.value === '[' || open?.value === '.') {
        unsupported.push(`${bag} read with a computed key at offset ${token.offset}; use ${bag}.<key> or ${bag}["<key>"]`);
      }
      continue;
    }

    if (!NAME_COLUMNS.has(token.value)) continue;
    const operator = tokens[index + 1];
    if (operator === undefined) continue;
    const table = tableInScope();
    if (operator.kind === 'operator' && EQUALITY.has(operator.value)) {
      const literal = tokens[index + 2];
      if (literal?.kind === 'string') names.push({ name: literal.value, table, offset: literal.offset, scope: current().id });
      else unsupported.push(`${token.value} ${operator.value} compared with something other than a string literal at offset ${token.offset}`);
      continue;
    }
    if (operator.kind === 'identifier' && MEMBERSHIP.has(operator.value)) {
      if (tokens[index + 2]?.value !== '(') {
        unsupported.push(`${token.value} ${operator.value} without a literal list at offset ${token.offset}`);
        continue;
      }
      let position = index + 3;
      for (;;) {
        const item = tokens[position];
        if (item?.kind === 'string') names.push({ name: item.value, table, offset: item.offset, scope: current().id });
        else {
          unsupported.push(`${token.value} ${operator.value} (...) with something other than string literals at offset ${item?.offset ?? token.offset}`);
          break;
        }
        const separator = tokens[position + 1];
        if (separator?.value === ',') position += 2;
        else break;
      }
      continue;
    }
    if (operator.kind === 'identifier' && PARTIAL.has(operator.value)) {
      unsupported.push(`${token.value} ${operator.value} "..." at offset ${token.offset}: match names exactly (== or in) so they can be checked`);
    }
  }
  return { tables: [...tables], names, bagKeys, unsupported };
}
