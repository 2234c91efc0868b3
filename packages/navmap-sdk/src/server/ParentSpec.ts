import { isLogicalName, isODataIdentifier } from '../contract/identifiers.js';
import { NavMapError } from '../contract/NavMapError.js';

/** A parent table to resolve, optionally naming which relationship to use when the child has several lookups to it. */
export interface ParentSpec {
  /** The parent's logical name, for example `account`. */
  readonly entity: string;
  /** SchemaName of the relationship to use, for example `sprk_Project_Document_1n`. */
  readonly relationship?: string;
  /** Logical name of the child's lookup column to use, for example `sprk_account`. */
  readonly lookupAttribute?: string;
}

/** A parent as configuration writes it: a bare logical name, or a `ParentSpec`. */
export type ParentConfig = string | ParentSpec;

/**
 * Most parents one map resolves. Each parent is one entry in every answer and one `$filter` term in the metadata
 * query, so a list far beyond any real form is refused at start instead of slowing every answer.
 */
export const MAX_PARENTS = 200;

/**
 * Logical names that pass the pattern but are `Object.prototype` members: a client reading `parents[name]` from a
 * plain object would see the prototype's value, so such a parent is refused at start instead of being dropped later.
 */
const RESERVED_PARENT_NAMES: ReadonlySet<string> = new Set(['constructor', 'prototype']);

/** The first thing wrong with a parents list: where (below `parents`), what was expected, what was found. */
export interface ParentIssue {
  /** The path below the list, e.g. `[1, 'entity']`; empty for the list itself. */
  readonly path: readonly (string | number)[];
  /** Completes "must be ..." and "expected ...". */
  readonly expected: string;
  readonly received: unknown;
}

const ENTITY_EXPECTED = 'a lower-case logical name matching ^[a-z][a-z0-9_]{0,127}$ (for example sprk_matter)';

function parentEntryIssue(parent: unknown, index: number): ParentIssue | undefined {
  // A bare name is the parent's `entity`: issues name that path, as for the object form.
  if (typeof parent === 'string') return parentEntityIssue(parent, [index, 'entity']);
  if (typeof parent !== 'object' || parent === null || Array.isArray(parent)) {
    return { path: [index], expected: 'a logical name or { entity, relationship?, lookupAttribute? }', received: parent };
  }
  const spec = parent as Record<string, unknown>;
  for (const key of Object.keys(spec)) {
    if (key !== 'entity' && key !== 'relationship' && key !== 'lookupAttribute') {
      return { path: [index, key], expected: 'no other key: a parent has entity, relationship and lookupAttribute', received: spec[key] };
    }
  }
  const entityIssue = parentEntityIssue(spec.entity, [index, 'entity']);
  if (entityIssue !== undefined) return entityIssue;
  if (spec.relationship !== undefined && !isODataIdentifier(spec.relationship)) {
    return { path: [index, 'relationship'], expected: 'a relationship SchemaName (letters, digits, _)', received: spec.relationship };
  }
  if (spec.lookupAttribute !== undefined && !isLogicalName(spec.lookupAttribute)) {
    return { path: [index, 'lookupAttribute'], expected: 'a lower-case logical name', received: spec.lookupAttribute };
  }
  return undefined;
}

function parentEntityIssue(entity: unknown, path: readonly (string | number)[]): ParentIssue | undefined {
  if (!isLogicalName(entity)) return { path, expected: ENTITY_EXPECTED, received: entity };
  if (RESERVED_PARENT_NAMES.has(entity)) return { path, expected: 'a table name other than constructor or prototype', received: entity };
  return undefined;
}

/**
 * The first issue of a parents list as configuration writes it, or undefined when it is valid: the one rule the SDK's
 * `resolveNavMap` and navmap-server's configuration both apply.
 *
 * @example
 * findParentIssue(['contact', { entity: 'contact' }]); // { path: [1, 'entity'], expected: 'a table not listed before', received: 'contact' }
 */
export function findParentIssue(parents: unknown): ParentIssue | undefined {
  if (!Array.isArray(parents)) return { path: [], expected: 'an array of parents', received: parents };
  if (parents.length > MAX_PARENTS) return { path: [], expected: `at most ${MAX_PARENTS} parents`, received: `${parents.length} parents` };
  const seen = new Set<string>();
  for (const [index, parent] of parents.entries()) {
    const issue = parentEntryIssue(parent, index);
    if (issue !== undefined) return issue;
    const entity = typeof parent === 'string' ? parent : (parent as ParentSpec).entity;
    if (seen.has(entity)) return { path: [index, 'entity'], expected: 'a table not listed before', received: entity };
    seen.add(entity);
  }
  return undefined;
}

/**
 * Validates a parents list and returns it as frozen `ParentSpec`s.
 *
 * @throws {NavMapError} `invalid_config` naming the first bad entry, e.g. "Option `parents[1].entity` must be a table not listed before".
 * @example
 * resolveParents(['sprk_matter', { entity: 'account', relationship: 'sprk_account_sprk_document' }]);
 */
export function resolveParents(parents: unknown, option = 'parents'): readonly ParentSpec[] {
  const issue = findParentIssue(parents);
  if (issue !== undefined) {
    const path = issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`)).join('');
    throw NavMapError.invalidOption(`${option}${path}`, issue.expected, issue.received);
  }
  return Object.freeze((parents as readonly ParentConfig[]).map((parent) => Object.freeze(typeof parent === 'string' ? { entity: parent } : { ...parent })));
}
