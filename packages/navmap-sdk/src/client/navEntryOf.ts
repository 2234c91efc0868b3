import { NavMapError } from '../contract/NavMapError.js';
import { quoteText } from '../contract/quoteText.js';
import type { NavEntryWithSource, NavMapLoadResult } from './NavMapClient.js';

/** `record[key]` when `key` is the record's own (a parent named `constructor` is not the prototype's). */
function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** The entry for a parent (any case, surrounding spaces ignored) in a loaded map, with where the map came from. */
export function navEntryOf(result: NavMapLoadResult, parent: string): NavEntryWithSource | undefined {
  const entry = own(result.map.parents, typeof parent === 'string' ? parent.trim().toLowerCase() : '');
  return entry && { ...entry, source: result.source, ageMs: result.ageMs };
}

/**
 * The entry for a parent in a loaded map.
 *
 * @throws {NavMapError} `unsupported_parent` naming the parent, why the server could not resolve it (when it says),
 * and the parents that are available.
 */
export function requireNavEntryOf(result: NavMapLoadResult, parent: string, label: string): NavEntryWithSource {
  const entry = navEntryOf(result, parent);
  if (entry) return entry;
  const name = typeof parent === 'string' ? parent.trim().toLowerCase() : String(parent);
  const unresolved = own(result.map.errors, name);
  const available = Object.keys(result.map.parents).sort();
  throw new NavMapError(
    'unsupported_parent',
    `NavMap has no entry for parent \`${String(parent)}\`${unresolved ? ` (${unresolved.code}: ${quoteText(unresolved.message)})` : ''}` +
      ` in the ${label} (from ${result.source}). Available parents: ${available.join(', ') || '(none)'}.`,
    { entity: name, available },
  );
}
