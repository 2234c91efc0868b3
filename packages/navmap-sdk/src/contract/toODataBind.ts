import { normalizeGuid } from './normalizeGuid.js';
import type { NavEntry } from './types.js';

/** The one-key object that links a new record to its parent in a Web API create. */
export type ODataBind = Record<`${string}@odata.bind`, string>;

/**
 * Builds the `@odata.bind` property for a create payload from a NavMap entry and the parent's id.
 *
 * @throws {NavMapError} `invalid_guid` when `id` is not a GUID.
 * @example
 * toODataBind(map.parents.sprk_matter, '{3A785F76-C773-F011-B4CB-6045BDD8B757}');
 * // { 'sprk_Matter@odata.bind': '/sprk_matters(3a785f76-c773-f011-b4cb-6045bdd8b757)' }
 */
export function toODataBind(entry: Pick<NavEntry, 'navProperty' | 'entitySet'>, id: string): ODataBind {
  return { [`${entry.navProperty}@odata.bind`]: `/${entry.entitySet}(${normalizeGuid(id)})` };
}
