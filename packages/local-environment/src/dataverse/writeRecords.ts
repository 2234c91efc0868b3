import { DataverseCode, DataverseError, notFound } from './DataverseError.js';
import type { DataverseStore, StoredRecord } from './DataverseStore.js';
import { readRecordPayload } from './readRecordPayload.js';
import { checkQueryOptions, checkSelect, entityContext, parsePrefer, type RecordAnswer, type RecordRequest } from './recordRequest.js';
import { renderRecord } from './renderRecord.js';
import { sdapSeed, type SeedEntity } from './sdapSeed.js';

const SELECT_ONLY: ReadonlySet<string> = new Set(['$select']);
const NO_OPTIONS: ReadonlySet<string> = new Set();

/** The answer to a write: the record with `Prefer: return=representation`, else 204 with `OData-EntityId`. */
function writeAnswer(store: DataverseStore, entity: SeedEntity, id: string, record: StoredRecord, request: RecordRequest, status: 200 | 201): RecordAnswer {
  const select = checkSelect(store, entity, request.options.get('$select'));
  const prefer = parsePrefer(request.prefer);
  if (!prefer.returnRepresentation) {
    return { status: 204, headers: { 'OData-EntityId': `${request.baseUrl}/${entity.entitySetName}(${id})` } };
  }
  return {
    status,
    headers: { 'Preference-Applied': 'return=representation', ETag: `W/"${record.version}"` },
    body: { '@odata.context': entityContext(request.baseUrl, entity, select, true), ...renderRecord(store, entity, record, select, prefer.annotations) },
  };
}

function checkIfMatch(entity: SeedEntity, id: string, record: StoredRecord | undefined, ifMatch: string | undefined): void {
  if (ifMatch === undefined) return;
  if (record === undefined) throw notFound(entity.logicalName, id);
  if (ifMatch !== '*' && ifMatch !== `W/"${record.version}"`) {
    throw new DataverseError(412, DataverseCode.versionMismatch, "The version of the existing record doesn't match the RowVersion property provided.");
  }
}

/** `POST set` (or an upsert's create): the record with its system lookups set to the caller. */
export function createRecord(store: DataverseStore, entity: SeedEntity, request: RecordRequest, id?: string): RecordAnswer {
  checkQueryOptions(request.options, SELECT_ONLY);
  checkSelect(store, entity, request.options.get('$select'));
  const attributes = readRecordPayload(store, entity, request.body, false);
  if (id !== undefined) attributes[entity.primaryIdAttribute] = id;
  const recordId = (attributes[entity.primaryIdAttribute] as string | undefined) ?? store.newId();
  if (store.findRecord(entity.logicalName, recordId)) throw new DataverseError(412, DataverseCode.duplicateKey, 'Cannot insert duplicate key.');
  const lookupNames = new Set(store.manyToOne(entity.logicalName).map((relationship) => relationship.referencingAttribute));
  const system: Record<string, unknown> = {};
  for (const name of ['createdby', 'modifiedby', 'owninguser']) if (lookupNames.has(name)) system[name] = request.caller.systemUserId;
  if (lookupNames.has('owningbusinessunit')) system.owningbusinessunit = sdapSeed.organization.businessUnitId;
  const record = store.insert(entity.logicalName, { ...system, ...attributes, [entity.primaryIdAttribute]: recordId });
  return writeAnswer(store, entity, recordId, record, request, 201);
}

/** PATCH is an upsert in Dataverse: it creates the record when the id is new, unless `If-Match` is sent. */
export function updateRecord(store: DataverseStore, entity: SeedEntity, id: string, request: RecordRequest): RecordAnswer {
  const existing = store.findRecord(entity.logicalName, id);
  checkIfMatch(entity, id, existing, request.ifMatch);
  if (existing === undefined) return createRecord(store, entity, request, id);
  checkQueryOptions(request.options, SELECT_ONLY);
  checkSelect(store, entity, request.options.get('$select'));
  const attributes = readRecordPayload(store, entity, request.body, true);
  Object.assign(existing.attributes, attributes, {
    modifiedon: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    ...('modifiedby' in existing.attributes ? { modifiedby: request.caller.systemUserId } : {}),
  });
  existing.version = store.nextVersion();
  return writeAnswer(store, entity, id, existing, request, 200);
}

export function deleteRecord(store: DataverseStore, entity: SeedEntity, id: string, request: RecordRequest): RecordAnswer {
  checkQueryOptions(request.options, NO_OPTIONS);
  const existing = store.findRecord(entity.logicalName, id);
  checkIfMatch(entity, id, existing, request.ifMatch);
  if (existing === undefined) throw notFound(entity.logicalName, id);
  store.records.get(entity.logicalName)?.delete(id.toLowerCase());
  return { status: 204 };
}
