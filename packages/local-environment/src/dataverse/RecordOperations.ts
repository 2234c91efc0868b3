import { DataverseCode, DataverseError, notFoundSegment } from './DataverseError.js';
import type { DataverseStore } from './DataverseStore.js';
import type { PathSegment } from './odata/parseResourcePath.js';
import { retrieveRecord, retrieveRecords } from './readRecords.js';
import { recordIdOf, type RecordAnswer, type RecordRequest } from './recordRequest.js';
import { whoAmI } from './whoAmI.js';
import { createRecord, deleteRecord, updateRecord } from './writeRecords.js';

export type { Caller, RecordAnswer, RecordRequest } from './recordRequest.js';

/** Record create, retrieve, retrieve-multiple, update and delete on the emulated entity sets, plus `WhoAmI`. */
export class RecordOperations {
  constructor(private readonly store: DataverseStore) {}

  handle(request: RecordRequest): RecordAnswer {
    const [first, ...rest] = request.segments as [PathSegment, ...PathSegment[]];
    if (first.name === 'WhoAmI' && first.key === undefined && rest.length === 0) {
      if (request.method !== 'GET') throw new DataverseError(404, DataverseCode.noRoute, `No HTTP resource was found that matches the request URI '${request.requestUrl}'.`);
      return whoAmI(request);
    }
    const entity = this.store.entitiesBySet.get(first.name);
    if (entity === undefined || first.emptyParentheses) throw notFoundSegment(first.text);
    if (rest.length > 0) throw notFoundSegment((rest[0] as PathSegment).text);

    if (first.key === undefined) {
      if (request.method === 'GET') return retrieveRecords(this.store, entity, request);
      if (request.method === 'POST') return createRecord(this.store, entity, request);
    } else {
      const id = recordIdOf(entity, first);
      if (request.method === 'GET') return retrieveRecord(this.store, entity, id, request);
      if (request.method === 'PATCH') return updateRecord(this.store, entity, id, request);
      if (request.method === 'DELETE') return deleteRecord(this.store, entity, id, request);
    }
    throw new DataverseError(
      405,
      DataverseCode.queryNotSupported,
      `The local environment does not emulate ${request.method} on '${first.text}'; it supports GET and POST on entity sets and GET, PATCH and DELETE by id.`,
    );
  }
}
