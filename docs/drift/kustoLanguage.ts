import { createRequire } from 'node:module';
import { applicationInsightsSchema, type KustoScalarType } from './applicationInsightsSchema.js';

// @kusto/language-service-next is Microsoft's Kusto parser and binder (Kusto.Language compiled to JavaScript with
// Bridge.NET). Its two scripts define the globals `Bridge` and `Kusto`; its typings declare them globally over 1.7 MB,
// so the few members used here are typed below instead.

interface KustoDiagnostic {
  readonly Severity: string | null;
  readonly Code: string | null;
  readonly Message: string | null;
  readonly Start: number;
  readonly Length: number;
}
interface KustoToken {
  readonly Kind: number;
  readonly Text: string;
  readonly ValueText: string;
  readonly TextStart: number;
  GetNextToken(includeZeroWidthTokens?: boolean): KustoToken | null;
}
interface KustoCode {
  readonly Syntax: { GetFirstToken(includeZeroWidthTokens?: boolean): KustoToken | null };
  GetDiagnostics(): unknown;
}
interface KustoTable {
  WithName(name: string): KustoTable;
}
interface KustoGlobals {
  WithDatabase(database: unknown): KustoGlobals;
}
interface KustoLanguage {
  readonly KustoCode: { ParseAndAnalyze(text: string, globals: KustoGlobals): KustoCode; Parse(text: string): KustoCode };
  readonly GlobalState: { readonly Default: KustoGlobals };
  readonly Symbols: {
    readonly TableSymbol: { From(schema: string): KustoTable };
    readonly DatabaseSymbol: { ctor: new (name: string, members: readonly KustoTable[]) => unknown };
  };
  readonly Syntax: {
    readonly SyntaxKind: Readonly<Record<string, number>>;
    readonly SyntaxFacts: { GetCategory(kind: number): number };
    readonly SyntaxCategory: Readonly<Record<'Keyword' | 'Identifier' | 'Punctuation' | 'Operator' | 'Literal', number>>;
  };
}

let language: { kusto: KustoLanguage; toArray: (list: unknown) => unknown[] } | undefined;

function load(): NonNullable<typeof language> {
  if (language === undefined) {
    const require = createRequire(import.meta.url);
    require('@kusto/language-service-next/bridge.js');
    require('@kusto/language-service-next/Kusto.Language.Bridge.js');
    const globals = globalThis as unknown as { Kusto: { Language: KustoLanguage }; Bridge: { toArray: (list: unknown) => unknown[] } };
    language = { kusto: globals.Kusto.Language, toArray: (list) => globals.Bridge.toArray(list) };
  }
  return language;
}

/** Tables and their columns' types. */
export type KustoSchema = Readonly<Record<string, Readonly<Record<string, KustoScalarType>>>>;

const globalsBySchema = new WeakMap<object, KustoGlobals>();

function globalsFor(schema: KustoSchema): KustoGlobals {
  const known = globalsBySchema.get(schema);
  if (known !== undefined) return known;
  const { kusto } = load();
  const tables = Object.entries(schema).map(([name, columns]) =>
    kusto.Symbols.TableSymbol.From(`(${Object.entries(columns).map(([column, type]) => `${column}:${type}`).join(', ')})`).WithName(name),
  );
  const globals = kusto.GlobalState.Default.WithDatabase(new kusto.Symbols.DatabaseSymbol.ctor('ApplicationInsights', tables));
  globalsBySchema.set(schema, globals);
  return globals;
}

/** One error Kusto's language service reports for a query, with where it is. */
export interface KqlDiagnostic {
  /** Kusto's diagnostic code, e.g. `KS204` (unknown table), `KS142` (unknown column), `KS211` (unknown function). */
  readonly code: string;
  readonly message: string;
  /** 1-based. */
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

function position(query: string, offset: number): { line: number; column: number } {
  const before = query.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/**
 * Parses a query with Kusto's own language service and binds it against the Application Insights tables (or another
 * schema): returns its errors (syntax, unknown tables, columns or functions, type errors), empty when it is sound.
 *
 * @example
 * analyzeKqlQuery('customEvnts | take 1');
 * // [{ code: 'KS204', message: "The name 'customEvnts' does not refer to any known table, ...", line: 1, column: 1, offset: 0 }]
 */
export function analyzeKqlQuery(query: string, schema: KustoSchema = applicationInsightsSchema): KqlDiagnostic[] {
  const { kusto, toArray } = load();
  const code = kusto.KustoCode.ParseAndAnalyze(query, globalsFor(schema));
  return (toArray(code.GetDiagnostics()) as KustoDiagnostic[])
    .filter((diagnostic) => diagnostic.Severity === 'Error')
    .map((diagnostic) => ({ code: diagnostic.Code ?? '', message: diagnostic.Message ?? '', offset: diagnostic.Start, ...position(query, diagnostic.Start) }));
}

/** A lexical token of a Kusto query. `value` is the decoded text of a string literal, else the token's text. */
export interface KqlToken {
  readonly kind: 'identifier' | 'string' | 'number' | 'operator' | 'punctuation';
  readonly text: string;
  readonly value: string;
  /** Offset of the token's first character in the query. */
  readonly offset: number;
}

const PUNCTUATION = new Set(['(', ')', '[', ']', '{', '}', ',', ';', '|', '.', ':']);

/**
 * The query's tokens as Kusto's parser reads them: keywords (`in`, `!in`, `has`, ...) and names as identifiers,
 * string literals of every form decoded (`"a"`, `'a'`, `@"a"`, `h"a"`), other literals as numbers.
 *
 * @example
 * kustoTokens('customEvents | where name == "NavMapLoaded"').map((token) => token.value);
 * // ['customEvents', '|', 'where', 'name', '==', 'NavMapLoaded']
 */
export function kustoTokens(query: string): KqlToken[] {
  const { kusto } = load();
  const { SyntaxKind, SyntaxFacts, SyntaxCategory } = kusto.Syntax;
  const tokens: KqlToken[] = [];
  for (let token = kusto.KustoCode.Parse(query).Syntax.GetFirstToken(); token !== null; token = token.GetNextToken()) {
    if (token.Text === '') continue; // end of text, or a token the parser reports as missing
    const category = SyntaxFacts.GetCategory(token.Kind);
    const kind: KqlToken['kind'] =
      token.Kind === SyntaxKind.StringLiteralToken
        ? 'string'
        : category === SyntaxCategory.Literal
          ? 'number'
          : category === SyntaxCategory.Identifier || category === SyntaxCategory.Keyword
            ? 'identifier'
            : PUNCTUATION.has(token.Text)
              ? 'punctuation'
              : 'operator';
    tokens.push({ kind, text: token.Text, value: kind === 'string' ? token.ValueText : token.Text, offset: token.TextStart });
  }
  return tokens;
}
