import { DataverseCode, DataverseError, notFound, notFoundSegment } from './DataverseError.js';
import type { DataverseStore, RelationshipState } from './DataverseStore.js';
import { parseResourcePath, type PathSegment } from './odata/parseResourcePath.js';
import { GUID, recordIdOf } from './recordRequest.js';
import type { SeedEntity } from './sdapSeed.js';

interface Bind {
  readonly relationship: RelationshipState;
  readonly value: unknown;
  readonly key: string;
}

function payloadError(entitySet: string, inner: string): DataverseError {
  return new DataverseError(
    400,
    DataverseCode.payloadError,
    `Error identified in Payload provided by the user for Entity :'${entitySet}', For more information on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293  ---->  InnerException : Microsoft.OData.ODataException: ${inner}\r\n   at Microsoft.OData.JsonLight.ODataJsonLightResourceDeserializer.ReadUndeclaredProperty(IODataJsonLightReaderResourceState resourceState, String propertyName, Boolean propertyWithValue)`,
  );
}

function parseBody(entity: SeedEntity, body: string | undefined): Record<string, unknown> {
  if (body === undefined || body.trim() === '') throw payloadError(entity.entitySetName, 'An empty payload was found; a resource was expected.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw payloadError(entity.entitySetName, `Invalid JSON. ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw payloadError(entity.entitySetName, "A node of type 'StartArray' or a primitive value was read from the JSON reader when a 'StartObject' node was expected.");
  }
  return parsed as Record<string, unknown>;
}

function checkValue(entity: SeedEntity, column: SeedEntity['columns'][number], value: unknown): unknown {
  if (value === null) return null;
  const mismatch = (edm: string) => payloadError(entity.entitySetName, `Cannot convert the literal '${JSON.stringify(value)}' to the expected type '${edm}'.`);
  switch (column.type) {
    case 'String':
    case 'Memo':
      if (typeof value !== 'string') throw mismatch('Edm.String');
      if (column.maxLength !== undefined && value.length > column.maxLength) {
        throw new DataverseError(
          400,
          DataverseCode.maxLengthExceeded,
          `A validation error occurred. The length of the '${column.logicalName}' attribute of the '${entity.logicalName}' entity exceeded the maximum allowed length of '${column.maxLength}'.`,
        );
      }
      return value;
    case 'Integer':
      if (typeof value !== 'number' || !Number.isInteger(value) || value > 2_147_483_647 || value < -2_147_483_648) throw mismatch('Edm.Int32');
      return value;
    case 'Boolean':
      if (typeof value !== 'boolean') throw mismatch('Edm.Boolean');
      return value;
    case 'Uniqueidentifier':
      if (typeof value !== 'string' || !GUID.test(value)) throw mismatch('Edm.Guid');
      return value.toLowerCase();
    case 'DateTime':
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw mismatch('Edm.DateTimeOffset');
      return value;
  }
}

/** Checks `X@odata.bind: "/set(guid)"`: the set must exist, be the lookup's target and hold the record. */
function resolveBind(store: DataverseStore, entity: SeedEntity, bind: Bind): string {
  if (typeof bind.value !== 'string') {
    throw payloadError(entity.entitySetName, `The value of the '${bind.key}' annotation must be a string containing an entity reference URL.`);
  }
  let path = bind.value.trim();
  if (/^https?:\/\//i.test(path)) {
    const match = /\/api\/data\/v9\.[0-2]\/(.*)$/.exec(new URL(path).pathname);
    if (!match) throw payloadError(entity.entitySetName, `The '${bind.key}' value '${bind.value}' is not a URL of this organisation's Web API.`);
    path = match[1] as string;
  }
  path = path.replace(/^\//, '');
  let segments: PathSegment[];
  try {
    segments = parseResourcePath(decodeURIComponent(path));
  } catch {
    throw payloadError(entity.entitySetName, `The '${bind.key}' value '${bind.value}' is not a valid entity reference.`);
  }
  const [segment] = segments;
  if (segments.length !== 1 || segment === undefined || segment.key === undefined) {
    throw payloadError(entity.entitySetName, `The '${bind.key}' value '${bind.value}' is not a valid entity reference; expected '/<entityset>(<id>)'.`);
  }
  const target = store.entitiesBySet.get(segment.name);
  if (target === undefined) throw notFoundSegment(segment.name);
  if (target.logicalName !== bind.relationship.referencedEntity) {
    throw payloadError(
      entity.entitySetName,
      `The navigation property '${bind.relationship.referencingEntityNavigationPropertyName}' expects an entity of type 'Microsoft.Dynamics.CRM.${bind.relationship.referencedEntity}' but '${segment.name}' holds 'Microsoft.Dynamics.CRM.${target.logicalName}'.`,
    );
  }
  const id = recordIdOf(target, segment);
  if (!store.findRecord(target.logicalName, id)) throw notFound(target.logicalName, id);
  return id;
}

/**
 * Reads a create or update body: columns by logical name and lookups by `Nav@odata.bind`, validated as Dataverse
 * does (the exact-case navigation property, the bound set and record).
 */
export function readRecordPayload(store: DataverseStore, entity: SeedEntity, body: string | undefined, forUpdate: boolean): Record<string, unknown> {
  const payload = parseBody(entity, body);
  const navigations = new Map(store.manyToOne(entity.logicalName).map((relationship) => [relationship.referencingEntityNavigationPropertyName, relationship]));
  const columns = new Map(entity.columns.map((column) => [column.logicalName, column]));
  const attributes: Record<string, unknown> = {};
  const binds: Bind[] = [];

  // The OData reader validates the whole payload's shape before Dataverse looks at any bound record.
  for (const [key, value] of Object.entries(payload)) {
    if (key.startsWith('@')) continue;
    const at = key.indexOf('@');
    if (at !== -1) {
      const property = key.slice(0, at);
      const relationship = navigations.get(property);
      if (relationship === undefined) {
        throw payloadError(
          entity.entitySetName,
          `An undeclared property '${property}' which only has property annotations in the payload but no property value was found in the payload. In OData, only declared navigation properties and declared named streams can be represented as properties without values.`,
        );
      }
      if (key.slice(at + 1) === 'odata.bind') binds.push({ relationship, value, key });
      continue;
    }
    if (key === entity.primaryIdAttribute && !forUpdate) {
      if (typeof value !== 'string' || !GUID.test(value)) throw payloadError(entity.entitySetName, `Cannot convert the literal '${String(value)}' to the expected type 'Edm.Guid'.`);
      attributes[key] = value.toLowerCase();
      continue;
    }
    const column = columns.get(key);
    if (column === undefined) throw new DataverseError(400, DataverseCode.none, `Invalid property '${key}' was found in entity 'Microsoft.Dynamics.CRM.${entity.logicalName}'.`);
    attributes[key] = checkValue(entity, column, value);
  }
  // An update may clear a lookup with a null bind.
  for (const bind of binds) attributes[bind.relationship.referencingAttribute] = bind.value === null && forUpdate ? null : resolveBind(store, entity, bind);
  return attributes;
}
