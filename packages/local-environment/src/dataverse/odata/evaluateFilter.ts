import { DataverseCode, DataverseError, propertyNotFound } from '../DataverseError.js';
import type { ComparisonOperator, FilterExpression, FunctionCall, Operand } from './parseFilter.js';
import type { Literal } from './tokenize.js';

/** The EDM type of a property as far as filtering cares; `complex` (labels, managed properties) cannot be compared. */
export type EdmType = 'Edm.String' | 'Edm.Int32' | 'Edm.Decimal' | 'Edm.Boolean' | 'Edm.Guid' | `Microsoft.Dynamics.CRM.${string}`;

/** What a filter is checked against: the properties of one type. */
export interface FilterTarget {
  /** Type name for messages, e.g. `EntityMetadata`. */
  readonly typeName: string;
  readonly properties: ReadonlyMap<string, EdmType>;
  /** Code of "Could not find a property" errors; Dataverse differs between metadata and records. */
  readonly unknownPropertyCode: string;
  /** Metadata entities support no functions; records support contains/startswith/endswith. */
  readonly functions: 'none' | 'string';
  /** Dataverse compares record strings case-insensitively (SQL collation); metadata exactly. */
  readonly caseInsensitive: boolean;
}

const OPERATOR_KIND: Record<ComparisonOperator, string> = {
  eq: 'Equal',
  ne: 'NotEqual',
  gt: 'GreaterThan',
  ge: 'GreaterThanOrEqual',
  lt: 'LessThan',
  le: 'LessThanOrEqual',
};
const STRING_FUNCTIONS = new Set(['contains', 'startswith', 'endswith']);

function literalType(literal: Literal): EdmType | 'null' {
  return literal.type;
}

const isNumeric = (type: string): boolean => type === 'Edm.Int32' || type === 'Edm.Decimal';

function compatible(left: string, right: string): boolean {
  if (left === 'null' || right === 'null') return true;
  if (isNumeric(left) && isNumeric(right)) return true;
  return left === right && !left.startsWith('Microsoft.');
}

function unsupportedFunction(call: FunctionCall, target: FilterTarget): DataverseError {
  if (target.functions === 'none') {
    return new DataverseError(
      501,
      DataverseCode.resourceNotFound,
      `The "${call.name}" function isn't supported for Metadata Entities`,
    );
  }
  return new DataverseError(
    400,
    DataverseCode.queryNotSupported,
    `The function '${call.name}' is not supported by the local environment; use eq, ne, gt, ge, lt, le, contains, startswith or endswith.`,
  );
}

/**
 * Checks a parsed filter against a type before it runs: every property must exist, operand types must be
 * comparable, and only supported functions may appear. Throws the DataverseError the real service answers.
 */
export function checkFilter(expression: FilterExpression, target: FilterTarget): void {
  const operandType = (operand: Operand): string => {
    if (operand.kind === 'literal') return literalType(operand.literal);
    if (operand.kind === 'property') {
      const type = target.properties.get(operand.name);
      if (type === undefined) throw propertyNotFound(operand.name, target.typeName, target.unknownPropertyCode);
      return type;
    }
    checkFunction(operand);
    return 'Edm.Boolean';
  };
  const checkFunction = (call: FunctionCall): void => {
    if (target.functions === 'none' || !STRING_FUNCTIONS.has(call.name)) throw unsupportedFunction(call, target);
    if (call.args.length !== 2) {
      throw new DataverseError(
        400,
        DataverseCode.queryNotSupported,
        `No function signature for the function with name '${call.name}' matches the specified arguments.`,
      );
    }
    for (const arg of call.args) {
      const type = operandType(arg);
      if (type !== 'Edm.String') {
        throw new DataverseError(
          400,
          DataverseCode.queryNotSupported,
          `No function signature for the function with name '${call.name}' matches the specified arguments.`,
        );
      }
    }
  };
  const visit = (node: FilterExpression): void => {
    if (node.kind === 'and' || node.kind === 'or') {
      visit(node.left);
      visit(node.right);
    } else if (node.kind === 'not') visit(node.operand);
    else if (node.kind === 'function') checkFunction(node);
    else {
      const left = operandType(node.left);
      const right = operandType(node.right);
      const ordered = node.operator !== 'eq' && node.operator !== 'ne';
      if (!compatible(left, right) || (ordered && (left === 'Edm.Boolean' || right === 'Edm.Boolean'))) {
        throw new DataverseError(
          400,
          DataverseCode.queryNotSupported,
          `A binary operator with incompatible types was detected. Found operand types '${left}' and '${right}' for operator kind '${OPERATOR_KIND[node.operator]}'.`,
        );
      }
    }
  };
  visit(expression);
}

type Value = string | number | boolean | null;

function normalise(value: unknown, caseInsensitive: boolean): Value {
  if (typeof value === 'string') return caseInsensitive ? value.toLowerCase() : value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return null;
}

/** Runs a filter that `checkFilter` accepted against one object. */
export function evaluateFilter(expression: FilterExpression, row: Readonly<Record<string, unknown>>, target: FilterTarget): boolean {
  const value = (operand: Operand): Value => {
    if (operand.kind === 'literal') {
      const literal = operand.literal;
      // GUIDs compare case-insensitively everywhere.
      if (literal.type === 'Edm.Guid') return literal.value.toLowerCase();
      return normalise(literal.value, target.caseInsensitive);
    }
    if (operand.kind === 'property') {
      const raw = row[operand.name];
      if (target.properties.get(operand.name) === 'Edm.Guid' && typeof raw === 'string') return raw.toLowerCase();
      return normalise(raw, target.caseInsensitive);
    }
    return callFunction(operand);
  };
  const callFunction = (call: FunctionCall): boolean => {
    const [subject, search] = call.args.map(value);
    if (typeof subject !== 'string' || typeof search !== 'string') return false;
    if (call.name === 'contains') return subject.includes(search);
    if (call.name === 'startswith') return subject.startsWith(search);
    return subject.endsWith(search);
  };
  const run = (node: FilterExpression): boolean => {
    switch (node.kind) {
      case 'and':
        return run(node.left) && run(node.right);
      case 'or':
        return run(node.left) || run(node.right);
      case 'not':
        return !run(node.operand);
      case 'function':
        return callFunction(node);
      case 'compare': {
        const left = value(node.left);
        const right = value(node.right);
        if (node.operator === 'eq') return left === right;
        if (node.operator === 'ne') return left !== right;
        if (left === null || right === null) return false;
        if (node.operator === 'gt') return left > right;
        if (node.operator === 'ge') return left >= right;
        if (node.operator === 'lt') return left < right;
        return left <= right;
      }
    }
  };
  return run(expression);
}
