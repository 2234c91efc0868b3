import { isLogicalName, isODataIdentifier } from '../contract/identifiers.js';
import { quoteText } from '../contract/quoteText.js';
import { NavMapError, isNavMapError } from '../contract/NavMapError.js';
import { NAVMAP_CONTRACT_VERSION, type NavEntry, type NavMapParentError, type NavMapResponse } from '../contract/types.js';
import { dataverseGet, type DataverseRequestOptions } from './dataverseRequest.js';
import {
  entityDefinitionsSchema,
  manyToOneRelationshipsSchema,
  parseMetadata,
  type ManyToOneRelationship,
} from './metadataSchemas.js';
import type { ParentSpec } from './ParentSpec.js';
import {
  resolveNavMapOptions,
  type ResolveNavMapOptions,
  type ResolvedResolveNavMapOptions,
} from './resolveNavMapOptions.js';

const RELATIONSHIP_COLUMNS = [
  'SchemaName',
  'ReferencingAttribute',
  'ReferencedEntity',
  'ReferencingEntityNavigationPropertyName',
  'ReferencedEntityNavigationPropertyName',
].join(',');

function orFilter(property: string, values: readonly string[]): string {
  // Values were checked against LOGICAL_NAME_PATTERN, so they cannot close the quoted literal.
  return encodeURIComponent(values.map((value) => `${property} eq '${value}'`).join(' or '));
}

/** `EntityDefinitions?$filter=LogicalName eq 'a' or ...`: one request for every parent's entity set. */
export function entityDefinitionsUrl(apiBaseUrl: string, entities: readonly string[]): string {
  return `${apiBaseUrl}/EntityDefinitions?$select=LogicalName,EntitySetName&$filter=${orFilter('LogicalName', entities)}`;
}

/**
 * Every ManyToOneRelationship of the child, `$select` only: one request for every parent's lookup, chosen locally.
 * No `$filter`: an `or` inside a relationship collection filter is not verified on real Dataverse, and a child has
 * only tens of lookups.
 */
export function manyToOneRelationshipsUrl(apiBaseUrl: string, childEntity: string): string {
  return `${apiBaseUrl}/EntityDefinitions(LogicalName='${childEntity}')/ManyToOneRelationships?$select=${RELATIONSHIP_COLUMNS}`;
}

/** Dataverse's name as messages show it: an identifier as it is, anything else quoted and cut (a hostile answer). */
function shown(name: string): string {
  return isODataIdentifier(name) ? name : quoteText(name, 128);
}

function describe(relationship: ManyToOneRelationship): string {
  return `${shown(relationship.SchemaName)} (lookup ${shown(relationship.ReferencingAttribute)})`;
}

type ParentResult = { entry: NavEntry } | { error: NavMapParentError };

function chooseRelationship(parent: ParentSpec, candidates: readonly ManyToOneRelationship[], childEntity: string): ParentResult {
  const selector = parent.relationship ?? parent.lookupAttribute;
  if (selector !== undefined) {
    const chosen = candidates.filter((relationship) =>
      parent.relationship !== undefined
        ? relationship.SchemaName.toLowerCase() === parent.relationship.toLowerCase()
        : relationship.ReferencingAttribute === parent.lookupAttribute,
    );
    if (chosen.length === 1) return toEntryResult(parent, chosen[0] as ManyToOneRelationship);
    const named = parent.relationship !== undefined ? `relationship '${parent.relationship}'` : `lookup '${parent.lookupAttribute}'`;
    const found = candidates.length > 0 ? candidates.map(describe).join(', ') : 'none';
    return {
      error: {
        code: 'parent_not_related',
        message: `'${childEntity}' has no ${named} to '${parent.entity}'. Relationships found: ${found}. Fix the parent's configuration.`,
      },
    };
  }
  if (candidates.length === 0) {
    return {
      error: {
        code: 'parent_not_related',
        message: `'${childEntity}' has no lookup to '${parent.entity}'. Create the relationship in Dataverse or remove '${parent.entity}' from the parents.`,
      },
    };
  }
  if (candidates.length > 1) {
    return {
      error: {
        code: 'ambiguous_relationship',
        message:
          `'${childEntity}' has ${candidates.length} lookups to '${parent.entity}': ${candidates.map(describe).join(', ')}. ` +
          `Name one with { "entity": "${parent.entity}", "relationship": "<SchemaName>" } in the configuration.`,
      },
    };
  }
  return toEntryResult(parent, candidates[0] as ManyToOneRelationship);
}

function toEntryResult(parent: ParentSpec, relationship: ManyToOneRelationship): ParentResult {
  const navProperty = relationship.ReferencingEntityNavigationPropertyName;
  const collectionNavProperty = relationship.ReferencedEntityNavigationPropertyName;
  // Every field the entry carries is checked as the client will check it, so one bad value costs this parent only.
  if (!isODataIdentifier(navProperty) || !isODataIdentifier(collectionNavProperty) || !isLogicalName(relationship.ReferencingAttribute)) {
    return {
      error: {
        code: 'invalid_response',
        message: `Dataverse returned relationship ${describe(relationship)} for '${parent.entity}' without a valid lookup column or navigation property names.`,
      },
    };
  }
  return {
    entry: {
      entitySet: '', // filled in by the caller from EntityDefinitions
      lookupAttribute: relationship.ReferencingAttribute,
      navProperty,
      collectionNavProperty,
    },
  };
}

async function fetchMetadata(options: ResolvedResolveNavMapOptions) {
  let token: string;
  try {
    token = await options.getToken();
  } catch (error) {
    if (isNavMapError(error)) throw error;
    throw new NavMapError('unauthorized', `Could not get a Dataverse token: ${(error as Error).message}`, { cause: error });
  }
  const request: DataverseRequestOptions = {
    fetch: options.fetch,
    token,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    maxThrottleRetries: options.maxThrottleRetries,
    maxThrottleWaitMs: options.maxThrottleWaitMs,
    strongConsistency: options.consistency === 'strong',
  };
  const entities = options.parents.map((parent) => parent.entity);

  const relationshipsRequest = dataverseGet(manyToOneRelationshipsUrl(options.apiBaseUrl, options.childEntity), request).catch(
    (error: unknown) => {
      if (isNavMapError(error) && error.details.status === 404) {
        throw new NavMapError(
          'entity_not_found',
          `The child table '${options.childEntity}' does not exist in ${options.environment}. Check \`childEntity\`.`,
          { cause: error, entity: options.childEntity, status: 404 },
        );
      }
      throw error;
    },
  );
  const definitionsRequest = entities.length > 0 ? dataverseGet(entityDefinitionsUrl(options.apiBaseUrl, entities), request) : undefined;
  // Both requests are in flight before either is awaited; allSettled so that neither rejection goes unhandled.
  const [relationships, definitions] = await Promise.allSettled([relationshipsRequest, definitionsRequest]);
  if (relationships.status === 'rejected') throw relationships.reason;
  if (definitions.status === 'rejected') throw definitions.reason;
  return {
    relationships: parseMetadata(manyToOneRelationshipsSchema, relationships.value.body, 'ManyToOneRelationships').value,
    definitions: definitions.value ? parseMetadata(entityDefinitionsSchema, definitions.value.body, 'EntityDefinitions').value : [],
  };
}

/**
 * Reads the child table's lookups from Dataverse metadata and returns the NavMap v1 body for the given parents.
 * Costs at most two Dataverse requests, sent in parallel, however many parents there are. With
 * `consistency: 'strong'` both carry `Consistency: Strong`, reading past Dataverse's metadata cache (about 30 s).
 * A parent that cannot be resolved is reported in `errors`; the others are still served.
 *
 * @throws {NavMapError} `invalid_config` for bad options (before any request); `entity_not_found` when the child
 * table does not exist; `dataverse_error`, `dataverse_throttled`, `timeout`, `network_error`, `aborted`,
 * `unauthorized` or `invalid_response` when Dataverse cannot be read.
 * @example
 * const map = await resolveNavMap({
 *   dataverseUrl: 'https://org.crm.dynamics.com',
 *   childEntity: 'sprk_document',
 *   parents: ['sprk_matter', { entity: 'account', relationship: 'sprk_account_document' }],
 *   getToken: () => credential.getToken('https://org.crm.dynamics.com/.default').then((t) => t.token),
 * });
 * map.parents.sprk_matter?.navProperty; // 'sprk_Matter'
 */
export async function resolveNavMap(options: ResolveNavMapOptions): Promise<NavMapResponse> {
  const resolved = resolveNavMapOptions(options);
  const { relationships, definitions } = await fetchMetadata(resolved);

  const entitySets = new Map(definitions.map((definition) => [definition.LogicalName, definition.EntitySetName]));
  const parents: Record<string, NavEntry> = {};
  const errors: Record<string, NavMapParentError> = {};

  for (const parent of resolved.parents) {
    if (!entitySets.has(parent.entity)) {
      errors[parent.entity] = {
        code: 'entity_not_found',
        message: `Dataverse has no table '${parent.entity}'. Check the spelling or remove it from the parents.`,
      };
      continue;
    }
    const entitySet = entitySets.get(parent.entity);
    if (!isODataIdentifier(entitySet)) {
      errors[parent.entity] = {
        code: 'invalid_response',
        message: `Table '${parent.entity}' has no entity set in Dataverse metadata, so records cannot be bound to it.`,
      };
      continue;
    }
    const candidates = relationships.filter((relationship) => relationship.ReferencedEntity === parent.entity);
    const result = chooseRelationship(parent, candidates, resolved.childEntity);
    if ('error' in result) errors[parent.entity] = result.error;
    else parents[parent.entity] = { ...result.entry, entitySet };
  }

  return {
    version: NAVMAP_CONTRACT_VERSION,
    environment: resolved.environment,
    childEntity: resolved.childEntity,
    generatedAt: resolved.now().toISOString(),
    parents,
    errors,
  };
}
