import type { NavMapErrorCode } from './errorCodes.js';

/** The contract version this SDK speaks. */
export const NAVMAP_CONTRACT_VERSION = '1';

/** Every contract version the SDK can read. */
export const SUPPORTED_CONTRACT_VERSIONS: readonly string[] = [NAVMAP_CONTRACT_VERSION];

/** How a child record binds to one parent table. */
export interface NavEntry {
  /** The parent's entity set, for example `sprk_matters`. */
  readonly entitySet: string;
  /** The lookup column's logical name on the child, for example `sprk_matter`. */
  readonly lookupAttribute: string;
  /** The single-valued navigation property, exact case, for example `sprk_Matter`: the key before `@odata.bind`. */
  readonly navProperty: string;
  /** The parent's collection-valued navigation property, for example `sprk_matter_document`. */
  readonly collectionNavProperty: string;
}

/** Why one configured parent could not be resolved. */
export interface NavMapParentError {
  readonly code: NavMapErrorCode;
  readonly message: string;
}

/** The body of `GET /api/pcf/dataverse-navmap?v=1`. */
export interface NavMapResponse {
  readonly version: typeof NAVMAP_CONTRACT_VERSION;
  /** The Dataverse environment the map describes (its URL, or a name an operator gave it). */
  readonly environment: string;
  /** The child table whose lookups the map describes; absent in maps written before it was added. */
  readonly childEntity?: string;
  /** ISO 8601 time the map was read from Dataverse. */
  readonly generatedAt: string;
  /** One entry per resolved parent, keyed by the parent's logical name. */
  readonly parents: Readonly<Record<string, NavEntry>>;
  /** One entry per configured parent that could not be resolved. */
  readonly errors?: Readonly<Record<string, NavMapParentError>>;
}

/** The child table a map is for when it does not say: maps written before `childEntity` existed were all for it. */
export const DEFAULT_CHILD_ENTITY = 'sprk_document';
