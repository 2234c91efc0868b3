import { syntaxError } from '../DataverseError.js';
import { tokenize, type Literal, type Token } from './tokenize.js';

export type ComparisonOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export type Operand =
  | { readonly kind: 'property'; readonly name: string; readonly position: number }
  | { readonly kind: 'literal'; readonly literal: Literal; readonly position: number }
  | FunctionCall;

export interface FunctionCall {
  readonly kind: 'function';
  readonly name: string;
  readonly args: readonly Operand[];
  readonly position: number;
}

/** The parsed `$filter`: comparisons and function calls joined by `and`, `or`, `not` and parentheses. */
export type FilterExpression =
  | { readonly kind: 'and'; readonly left: FilterExpression; readonly right: FilterExpression }
  | { readonly kind: 'or'; readonly left: FilterExpression; readonly right: FilterExpression }
  | { readonly kind: 'not'; readonly operand: FilterExpression }
  | { readonly kind: 'compare'; readonly operator: ComparisonOperator; readonly left: Operand; readonly right: Operand }
  | FunctionCall;

const COMPARISON_OPERATORS = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const KEYWORDS = new Set<string>([...COMPARISON_OPERATORS, 'and', 'or', 'not']);

/**
 * Parses an OData `$filter` with a recursive-descent parser. Precedence: `or` < `and` < `not` < comparison.
 * Property paths, arithmetic, lambda operators and `in` are outside the subset and are syntax errors.
 */
export function parseFilter(text: string): FilterExpression {
  const tokens = tokenize(text);
  let index = 0;
  const peek = (): Token => tokens[index] as Token;
  const next = (): Token => tokens[index++] as Token;
  const fail = (token: Token = peek()): never => {
    throw syntaxError(token.position, text);
  };
  const isWord = (token: Token, word: string): boolean => token.kind === 'identifier' && token.text === word;

  function parseOr(): FilterExpression {
    let left = parseAnd();
    while (isWord(peek(), 'or')) {
      next();
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  }

  function parseAnd(): FilterExpression {
    let left = parseNot();
    while (isWord(peek(), 'and')) {
      next();
      left = { kind: 'and', left, right: parseNot() };
    }
    return left;
  }

  function parseNot(): FilterExpression {
    if (isWord(peek(), 'not')) {
      next();
      return { kind: 'not', operand: parseNot() };
    }
    return parseComparison();
  }

  function parseComparison(): FilterExpression {
    if (peek().kind === '(') {
      next();
      const inner = parseOr();
      if (next().kind !== ')') fail(tokens[index - 1]);
      return inner;
    }
    const left = parseOperand();
    const operator = peek();
    if (operator.kind === 'identifier' && COMPARISON_OPERATORS.has(operator.text)) {
      next();
      const right = parseOperand();
      return { kind: 'compare', operator: operator.text as ComparisonOperator, left, right };
    }
    // A function call can stand alone as a boolean (startswith(name,'A')); a bare property or literal cannot.
    if (left.kind === 'function') return left;
    return fail(operator);
  }

  function parseOperand(): Operand {
    const token = next();
    if (token.kind === 'literal') return { kind: 'literal', literal: token.literal, position: token.position };
    if (token.kind !== 'identifier' || KEYWORDS.has(token.text)) return fail(token);
    if (peek().kind !== '(') return { kind: 'property', name: token.text, position: token.position };
    next();
    const args: Operand[] = [];
    if (peek().kind !== ')') {
      for (;;) {
        args.push(parseOperand());
        if (peek().kind === ',') {
          next();
          continue;
        }
        break;
      }
    }
    if (next().kind !== ')') fail(tokens[index - 1]);
    return { kind: 'function', name: token.text, args, position: token.position };
  }

  if (peek().kind === 'end') fail();
  const expression = parseOr();
  if (peek().kind !== 'end') fail();
  return expression;
}

/** Calls `onOperand` for every operand of a filter, outermost first, descending into function arguments. */
function forEachOperand(expression: FilterExpression, onOperand: (operand: Operand) => void): void {
  const visitOperand = (operand: Operand): void => {
    onOperand(operand);
    if (operand.kind === 'function') operand.args.forEach(visitOperand);
  };
  const visit = (node: FilterExpression): void => {
    if (node.kind === 'and' || node.kind === 'or') {
      visit(node.left);
      visit(node.right);
    } else if (node.kind === 'not') visit(node.operand);
    else if (node.kind === 'compare') {
      visitOperand(node.left);
      visitOperand(node.right);
    } else visitOperand(node);
  };
  visit(expression);
}

/** Every property a filter reads, with its position, so callers can check them against a type. */
export function filterProperties(expression: FilterExpression): Array<{ name: string; position: number }> {
  const found: Array<{ name: string; position: number }> = [];
  forEachOperand(expression, (operand) => {
    if (operand.kind === 'property') found.push({ name: operand.name, position: operand.position });
  });
  return found;
}

/** Every function a filter calls, outermost first. */
export function filterFunctions(expression: FilterExpression): FunctionCall[] {
  const found: FunctionCall[] = [];
  forEachOperand(expression, (operand) => {
    if (operand.kind === 'function') found.push(operand);
  });
  return found;
}
