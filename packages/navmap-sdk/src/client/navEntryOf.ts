import { NavMapError } from '../contract/NavMapError.js';
import { quoteText } from '../contract/quoteText.js';
import type { NavEntry } from '../contract/types.js';
import type { NavEntryWithSource, NavMapLoadResult } from './NavMapClient.js';

function parentKey(parent: string): string {
  return typeof parent === 'string' ? parent.trim().toLowerCase() : '';
}

/** The entry for a parent (any case, surrounding spaces ignored) in a loaded map, with where the map came from. */
export function navEntryOf(result: NavMapLoadResult, parent: string): NavEntryWithSource | undefined {
  const name = parentKey(parent);
  if (!Object.hasOwn(result.map.parents, name)) return undefined;
  return { ...(result.map.parents[name] as NavEntry), source: result.source, ageMs: result.ageMs };
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
  const name = typeof parent === 'string' ? parentKey(parent) : String(parent);
  const unresolved = result.map.errors && Object.hasOwn(result.map.errors, name) ? result.map.errors[name] : undefined;
  const available = Object.keys(result.map.parents).sort();
  throw new NavMapError(
    'unsupported_parent',
    `NavMap has no entry for parent \`${String(parent)}\`${unresolved ? ` (${unresolved.code}: ${quoteText(unresolved.message)})` : ''}` +
      ` in the ${label} (from ${result.source}). Available parents: ${available.join(', ') || '(none)'}.`,
    { entity: name, available },
  );
}
