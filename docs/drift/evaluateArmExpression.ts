import { createHash } from 'node:crypto';

/** What an expression can read: the deployment's parameter values and its resource group. */
export interface ArmScope {
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly resourceGroup: { readonly id: string; readonly name: string; readonly location: string };
}

/** ARM's guid() namespace (Bicep docs, "guid": a version 5 UUID of the arguments joined with '-'). */
const GUID_NAMESPACE = '11fb06fb-712d-4ddd-98c7-e71bbd588830';

/** ARM's `guid(a, b, ...)`: the RFC 9562 version 5 (SHA-1) UUID of `a-b-...` in ARM's namespace. */
export function armGuid(...parts: readonly string[]): string {
  const hash = createHash('sha1').update(Buffer.from(GUID_NAMESPACE.replace(/-/g, ''), 'hex')).update(parts.join('-'), 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

type Token = { kind: 'string' | 'number' | 'name'; value: string } | { kind: 'punct'; value: '(' | ')' | ',' | '.' | '[' | ']' };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const char = text[at] as string;
    if (/\s/.test(char)) at += 1;
    else if (char === "'") {
      let value = '';
      at += 1;
      for (;;) {
        if (at >= text.length) throw new Error(`unterminated string in ${text}`);
        if (text[at] === "'" && text[at + 1] === "'") {
          value += "'";
          at += 2;
        } else if (text[at] === "'") {
          at += 1;
          break;
        } else value += text[at++];
      }
      tokens.push({ kind: 'string', value });
    } else if (/[0-9]/.test(char)) {
      const match = /^\d+/.exec(text.slice(at)) as RegExpExecArray;
      tokens.push({ kind: 'number', value: match[0] });
      at += match[0].length;
    } else if (/[A-Za-z_]/.test(char)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(at)) as RegExpExecArray;
      tokens.push({ kind: 'name', value: match[0] });
      at += match[0].length;
    } else if ('(),.[]'.includes(char)) {
      tokens.push({ kind: 'punct', value: char as '(' });
      at += 1;
    } else throw new Error(`unexpected "${char}" in ${text}`);
  }
  return tokens;
}

/** The template functions the monitoring template uses, as ARM defines them (template-functions-*.md). */
function callFunction(name: string, args: unknown[], scope: ArmScope): unknown {
  const text = (index: number) => {
    const value = args[index];
    if (typeof value !== 'string') throw new Error(`${name}() argument ${index + 1} is not a string: ${JSON.stringify(value)}`);
    return value;
  };
  switch (name.toLowerCase()) {
    case 'parameters': {
      if (!(text(0) in scope.parameters)) throw new Error(`parameters('${text(0)}') is not defined`);
      return scope.parameters[text(0)];
    }
    case 'resourcegroup':
      return scope.resourceGroup;
    case 'format':
      return text(0).replace(/\{(\d+)\}/g, (_, index: string) => String(args[Number(index) + 1]));
    case 'concat':
      return args.map(String).join('');
    case 'split':
      return text(0).split(text(1));
    case 'last': {
      const value = args[0];
      return typeof value === 'string' ? value.slice(-1) : (value as unknown[]).at(-1);
    }
    case 'take':
      return (args[0] as string | unknown[]).slice(0, Number(args[1]));
    case 'tolower':
      return text(0).toLowerCase();
    case 'guid':
      return armGuid(...args.map((_, index) => text(index)));
    default:
      throw new Error(`${name}() is not a function this evaluator knows`);
  }
}

/**
 * Evaluates one ARM template string value: an expression `[...]` with the functions the monitoring template uses,
 * `[[...` as the literal `[...`, anything else as itself. Enough to compute the names a deployment would create.
 *
 * @example
 * evaluateArmExpression("[format('NavMap - {0}', last(split(parameters('id'), '/')))]", { parameters: { id: '/a/b/ai' }, resourceGroup });
 * // 'NavMap - ai'
 */
export function evaluateArmExpression(value: string, scope: ArmScope): unknown {
  if (value.startsWith('[[')) return value.slice(1);
  if (!value.startsWith('[') || !value.endsWith(']')) return value;
  const tokens = tokenize(value.slice(1, -1));
  let at = 0;
  const expect = (punct: string) => {
    const token = tokens[at++];
    if (token?.kind !== 'punct' || token.value !== punct) throw new Error(`expected "${punct}" in ${value}`);
  };
  function expression(): unknown {
    const token = tokens[at++];
    if (token === undefined) throw new Error(`unexpected end of ${value}`);
    let result: unknown;
    if (token.kind === 'string') result = token.value;
    else if (token.kind === 'number') result = Number(token.value);
    else if (token.kind === 'name') {
      expect('(');
      const args: unknown[] = [];
      while (tokens[at]?.value !== ')') {
        args.push(expression());
        if (tokens[at]?.value === ',') at += 1;
      }
      expect(')');
      result = callFunction(token.value, args, scope);
    } else throw new Error(`unexpected "${token.value}" in ${value}`);
    for (;;) {
      if (tokens[at]?.value === '.') {
        at += 1;
        const property = tokens[at++];
        if (property?.kind !== 'name') throw new Error(`expected a property name in ${value}`);
        result = (result as Record<string, unknown>)[property.value];
      } else if (tokens[at]?.value === '[') {
        at += 1;
        const index = expression();
        expect(']');
        result = (result as Record<string, unknown>)[String(index)];
      } else return result;
    }
  }
  const result = expression();
  if (at !== tokens.length) throw new Error(`unexpected text after the expression in ${value}`);
  return result;
}
