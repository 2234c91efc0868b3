import { extractKqlReferences, type KqlBagReference, type KqlNameReference } from './extractKqlReferences.js';
import { analyzeKqlQuery } from './kustoLanguage.js';

/** One custom event as Application Insights stores it: string fields in customDimensions, numbers in customMeasurements. */
export interface TelemetryEventShape {
  readonly properties: readonly string[];
  readonly measurements: readonly string[];
}

/** Every telemetry name the code emits: what a monitoring query may use. */
export interface TelemetryCatalog {
  /** Custom events by name, from the browser client and the server. */
  readonly events: Readonly<Record<string, TelemetryEventShape>>;
  /** `requests.name` values the server emits, e.g. `GET /api/pcf/dataverse-navmap`. */
  readonly requests: readonly string[];
  /**
   * The custom dimension every outgoing call (`dependencies`) carries, and its values: e.g. `navmap.dependency`,
   * `dataverse | token | token-keys`. Absent when the server documents none.
   */
  readonly dependencyProperty?: string;
  readonly dependencyTargets?: readonly string[];
}

function list(values: Iterable<string>): string {
  const sorted = [...values].sort();
  return sorted.length === 0 ? '(none)' : sorted.join(', ');
}

function checkBagKey(reference: KqlBagReference, names: readonly KqlNameReference[], catalog: TelemetryCatalog): string | undefined {
  const where = reference.table ?? 'customEvents';
  if (where === 'dependencies' && reference.bag === 'customDimensions' && reference.key === catalog.dependencyProperty) {
    const targets = catalog.dependencyTargets ?? [];
    const unknown = reference.comparedWith.filter((value) => !targets.includes(value));
    return unknown.length === 0 ? undefined : `dependencies: ${reference.key} is never ${list(unknown)}; the server sends ${list(targets)}`;
  }
  if (where !== 'customEvents') {
    return `${reference.bag}.${reference.key} is read on ${where}: the telemetry contract documents custom dimensions only for customEvents`;
  }
  // The events selected where the key is read; else (a `let` binding read later) every event the query names; else all.
  const known = (selected: readonly KqlNameReference[]) =>
    [...new Set(selected.filter((name) => Object.hasOwn(catalog.events, name.name)).map((name) => name.name))];
  const inScope = known(names.filter((name) => reference.scopes.includes(name.scope)));
  const inQuery = known(names);
  const candidates = inScope.length > 0 ? inScope : inQuery.length > 0 ? inQuery : Object.keys(catalog.events);
  const own = reference.bag === 'customDimensions' ? 'properties' : 'measurements';
  const other = reference.bag === 'customDimensions' ? 'measurements' : 'properties';
  const found = candidates.some((name) => catalog.events[name]?.[own].includes(reference.key));
  if (found) return undefined;
  const inOther = candidates.filter((name) => catalog.events[name]?.[other].includes(reference.key));
  const hint =
    inOther.length > 0
      ? ` (${reference.key} is a ${other === 'measurements' ? 'measurement' : 'property'} of ${list(inOther)}: read it from ${reference.bag === 'customDimensions' ? 'customMeasurements' : 'customDimensions'})`
      : '';
  const available = new Set(candidates.flatMap((name) => catalog.events[name]?.[own] ?? []));
  return `${reference.bag}.${reference.key} is not emitted by ${list(candidates)}${hint}; they have ${list(available)}`;
}

/**
 * Checks a KQL query: Kusto's language service parses it and binds it against the Application Insights tables
 * (a syntax error, an unknown table, column or function is reported with its line and column); then it must name
 * only emitted telemetry: every event compared on `customEvents` is in the catalog,
 * every `customDimensions`/`customMeasurements` key belongs to one of the events the query selects (to any event when
 * it selects none), every request name is one the server emits, and dependencies are told apart only by the documented dimension and
 * its values (dependency names are URLs, not a contract). Returns the problems, empty when the query is sound.
 * A query that reads customEvents without selecting an event by name is a problem too: the table holds every
 * application's events.
 *
 * @example
 * checkKqlQuery('customEvents | where name == "NavMapLoded"', catalog);
 * // ['unknown event "NavMapLoded" on customEvents; emitted events: DocumentCreateFailed, ...']
 */
export function checkKqlQuery(query: string, catalog: TelemetryCatalog): string[] {
  // Kusto's own parser and binder first: a query it rejects is not read further.
  const diagnostics = analyzeKqlQuery(query);
  if (diagnostics.length > 0) {
    return diagnostics.map((diagnostic) => `Kusto ${diagnostic.code} at line ${diagnostic.line}, column ${diagnostic.column}: ${diagnostic.message}`);
  }
  const references = extractKqlReferences(query);
  const problems = [...references.unsupported];
  const eventNames: KqlNameReference[] = [];
  for (const reference of references.names) {
    const table = reference.table ?? 'customEvents';
    if (table === 'customEvents') {
      eventNames.push(reference);
      if (!Object.hasOwn(catalog.events, reference.name)) problems.push(`unknown event "${reference.name}" on customEvents; emitted events: ${list(Object.keys(catalog.events))}`);
    } else if (table === 'requests') {
      if (!catalog.requests.includes(reference.name)) {
        problems.push(`unknown request name "${reference.name}"; the server emits: ${list(catalog.requests)}`);
      }
    } else {
      problems.push(`"${reference.name}" compared on ${table}: the telemetry contract names nothing there`);
    }
  }
  if (references.tables.includes('customEvents') && references.names.every((reference) => (reference.table ?? 'customEvents') !== 'customEvents')) {
    problems.push('the query reads customEvents without selecting events by name (name == "..." or name in (...))');
  }
  for (const reference of references.bagKeys) {
    const problem = checkBagKey(reference, eventNames, catalog);
    if (problem !== undefined) problems.push(problem);
  }
  return problems;
}
