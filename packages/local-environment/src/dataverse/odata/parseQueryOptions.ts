import { DataverseCode, DataverseError, syntaxError } from '../DataverseError.js';
import { parseFilter, type FilterExpression } from './parseFilter.js';

/** OData system query options Dataverse knows. Others starting with `$` are rejected. */
const SYSTEM_OPTIONS = new Set([
  '$select',
  '$filter',
  '$expand',
  '$top',
  '$skip',
  '$orderby',
  '$count',
  '$apply',
  '$search',
  '$format',
  '$skiptoken',
  '$levels',
  '$compute',
]);

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function decode(component: string): string {
  try {
    return decodeURIComponent(component.replace(/\+/g, ' '));
  } catch {
    throw new DataverseError(400, DataverseCode.queryNotSupported, `The query string contains an invalid escape sequence: '${component}'.`);
  }
}

/**
 * Splits a raw query string into system query options. Repeated and unknown `$` options are errors, as in
 * Dataverse; other parameters (aliases such as `@p1`) are kept under their name.
 */
export function parseQueryOptions(rawQuery: string): Map<string, string> {
  const options = new Map<string, string>();
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const name = decode(equals === -1 ? part : part.slice(0, equals)).trim();
    const value = equals === -1 ? '' : decode(part.slice(equals + 1));
    if (name.startsWith('$') && !SYSTEM_OPTIONS.has(name)) {
      throw new DataverseError(400, DataverseCode.queryNotSupported, `The query parameter ${name} is not supported`);
    }
    if (options.has(name)) {
      throw new DataverseError(
        400,
        DataverseCode.queryNotSupported,
        `Query option '${name}' was specified more than once, but it must be specified at most once.`,
      );
    }
    options.set(name, value);
  }
  return options;
}

/** Splits at `separator` outside quotes and parentheses; throws on unbalanced parentheses. */
export function splitTopLevel(text: string, separator: ',' | ';'): Array<{ part: string; offset: number }> {
  const parts: Array<{ part: string; offset: number }> = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (char === "'") inString = text[index + 1] === "'" ? (index++, true) : false;
      continue;
    }
    if (char === "'") inString = true;
    else if (char === '(') depth++;
    else if (char === ')') {
      depth--;
      if (depth < 0) throw syntaxError(index, text);
    } else if (char === separator && depth === 0) {
      parts.push({ part: text.slice(start, index), offset: start });
      start = index + 1;
    }
  }
  if (depth !== 0 || inString) throw syntaxError(text.length, text);
  parts.push({ part: text.slice(start), offset: start });
  return parts;
}

/** `$select=a,b,c`: identifiers (or `*`), no empty items. */
export function parseSelect(text: string): string[] {
  return splitTopLevel(text, ',').map(({ part, offset }) => {
    const name = part.trim();
    if (name !== '*' && !IDENTIFIER.test(name)) throw syntaxError(offset, text);
    return name;
  });
}

export interface ExpandItem {
  readonly property: string;
  readonly select?: readonly string[];
  readonly filter?: FilterExpression;
  /** Nested options other than $select/$filter, kept so the caller can reject them by name. */
  readonly otherOptions: readonly string[];
}

const EXPAND_ITEM = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\(([\s\S]*)\))?\s*$/;

/** `$expand=A($select=x,y;$filter=...),B`: nested options separated by `;`. */
export function parseExpand(text: string): ExpandItem[] {
  return splitTopLevel(text, ',').map(({ part, offset }) => {
    const match = EXPAND_ITEM.exec(part);
    if (!match) throw syntaxError(offset, text);
    const property = match[1] as string;
    const inner = match[2];
    let select: string[] | undefined;
    let filter: FilterExpression | undefined;
    const otherOptions: string[] = [];
    if (inner !== undefined && inner.trim() !== '') {
      for (const { part: option } of splitTopLevel(inner, ';')) {
        const equals = option.indexOf('=');
        if (equals === -1) throw syntaxError(offset, text);
        const name = option.slice(0, equals).trim();
        const value = option.slice(equals + 1);
        if (name === '$select') select = parseSelect(value);
        else if (name === '$filter') filter = parseFilter(value);
        else if (name.startsWith('$')) otherOptions.push(name);
        else throw syntaxError(offset, text);
      }
    }
    return {
      property,
      otherOptions,
      ...(select === undefined ? {} : { select }),
      ...(filter === undefined ? {} : { filter }),
    };
  });
}

export interface OrderByItem {
  readonly property: string;
  readonly descending: boolean;
}

/** `$orderby=a desc,b`. */
export function parseOrderBy(text: string): OrderByItem[] {
  return splitTopLevel(text, ',').map(({ part, offset }) => {
    const words = part.trim().split(/\s+/);
    const [property, direction, extra] = words;
    if (property === undefined || !IDENTIFIER.test(property) || extra !== undefined) throw syntaxError(offset, text);
    if (direction !== undefined && direction !== 'asc' && direction !== 'desc') throw syntaxError(offset, text);
    return { property, descending: direction === 'desc' };
  });
}

/** `$top=N` with N a whole number >= 0. */
export function parseTop(text: string): number {
  if (!/^\d{1,9}$/.test(text.trim())) {
    throw new DataverseError(
      400,
      DataverseCode.queryNotSupported,
      `Invalid value '${text}' for $top query option found. The $top query option requires a non-negative integer value.`,
    );
  }
  return Number(text.trim());
}
