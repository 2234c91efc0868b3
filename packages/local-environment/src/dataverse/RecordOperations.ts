import { DataverseCode, DataverseError, notFoundSegment, propertyNotFound } from './DataverseError.js';
import type { DataverseStore, RelationshipState, StoredRecord } from './DataverseStore.js';
import { checkFilter, evaluateFilter, type FilterTarget } from './odata/evaluateFilter.js';
import { parseFilter } from './odata/parseFilter.js';
import { parseResourcePath, type PathSegment } from './odata/parseResourcePath.js';
import { parseOrderBy, parseSelect, parseTop } from './odata/parseQueryOptions.js';
import type { SeedEntity } from './sdapSeed.js';
import { sdapSeed } from './sdapSeed.js';

/** Who is calling: a user (token or browser session) or an application user. */
export interface Caller {
  readonly systemUserId: string;
}

export interface RecordRequest {
  readonly method: string;
  readonly segments: readonly PathSegment[];
  readonly options: ReadonlyMap<string, string>;
  /** `<org>/api/data/v9.x`, for OData-EntityId and @odata.context. */
  readonly baseUrl: string;
  /** The full request URL, for "No HTTP resource was found" messages. */
  readonly requestUrl: string;
  readonly prefer: string | undefined;
  readonly ifNoneMatch: string | undefined;
  readonly ifMatch: string | undefined;
  readonly body: string | undefined;
  readonly caller: Caller;
}

export interface RecordAnswer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Record<string, unknown>;
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const RETRIEVE_OPTIONS = new Set(['$select', '$filter', '$top', '$orderby', '$count', '$skiptoken']);
const ANNOTATION_PREFIX = { navigation: 'Microsoft.Dynamics.CRM.associatednavigationproperty', lookup: 'Microsoft.Dynamics.CRM.lookuplogicalname', formatted: 'OData.Community.Display.V1.FormattedValue' };

function parsePrefer(header: string | undefined): { returnRepresentation: boolean; annotations: string[]; maxPageSize: number | undefined } {
  const result = { returnRepresentation: false, annotations: [] as string[], maxPageSize: undefined as number | undefined };
  if (!header) return result;
  for (const part of header.split(',')) {
    const [name, value] = part.split('=').map((piece) => piece.trim()) as [string, string?];
    if (name === 'return' && value === 'representation') result.returnRepresentation = true;
    if (name === 'odata.include-annotations' && value) result.annotations = value.replace(/"/g, '').split(',').map((a) => a.trim());
    if (name === 'odata.maxpagesize' && value && /^\d{1,5}$/.test(value) && Number(value) > 0) result.maxPageSize = Number(value);
  }
  return result;
}

function wantsAnnotation(patterns: readonly string[], annotation: string): boolean {
  return patterns.some((pattern) => {
    if (pattern === '*') return true;
    if (pattern.endsWith('.*')) return annotation.startsWith(pattern.slice(0, -1));
    return pattern === annotation;
  });
}

function payloadError(entitySet: string, inner: string): DataverseError {
  return new DataverseError(
    400,
    DataverseCode.payloadError,
    `Error identified in Payload provided by the user for Entity :'${entitySet}', For more information on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293  ---->  InnerException : Microsoft.OData.ODataException: ${inner}\r\n   at Microsoft.OData.JsonLight.ODataJsonLightResourceDeserializer.ReadUndeclaredProperty(IODataJsonLightReaderResourceState resourceState, String propertyName, Boolean propertyWithValue)`,
  );
}

/** The emulator's `$skiptoken` is opaque to clients, like Dataverse's paging cookie: here it holds an offset. */
function decodeSkipToken(token: string | undefined): number {
  if (token === undefined) return 0;
  const match = /^navmap-local-(\d{1,9})$/.exec(token);
  if (!match) throw new DataverseError(400, DataverseCode.queryNotSupported, `The $skiptoken '${token.slice(0, 100)}' is not valid; follow @odata.nextLink as given.`);
  return Number(match[1]);
}

function nextLink(requestUrl: string, offset: number): string {
  const [path = '', query = ''] = requestUrl.split('?');
  const kept = query.split('&').filter((part) => part !== '' && !/^(\$|%24)skiptoken=/i.test(part));
  return `${path}?${[...kept, `$skiptoken=navmap-local-${offset}`].join('&')}`;
}

/** Record create, retrieve and retrieve-multiple on the emulated entity sets, plus `WhoAmI`. */
export class RecordOperations {
  constructor(private readonly store: DataverseStore) {}

  handle(request: RecordRequest): RecordAnswer {
    const [first, ...rest] = request.segments as [PathSegment, ...PathSegment[]];
    if (first.name === 'WhoAmI' && first.key === undefined && rest.length === 0) {
      if (request.method !== 'GET') {
        throw new DataverseError(404, '', `No HTTP resource was found that matches the request URI '${request.requestUrl}'.`);
      }
      return this.whoAmI(request);
    }
    const entity = this.store.entitiesBySet.get(first.name);
    if (entity === undefined || first.emptyParentheses) throw notFoundSegment(first.text);
    if (rest.length > 0) throw notFoundSegment((rest[0] as PathSegment).text);

    if (first.key === undefined) {
      if (request.method === 'GET') return this.retrieveMultiple(entity, request);
      if (request.method === 'POST') return this.create(entity, request);
    } else {
      const id = this.recordId(entity, first);
      if (request.method === 'GET') return this.retrieve(entity, id, request);
      if (request.method === 'PATCH') return this.update(entity, id, request);
      if (request.method === 'DELETE') return this.delete(entity, id, request);
    }
    throw new DataverseError(
      405,
      DataverseCode.queryNotSupported,
      `The local environment does not emulate ${request.method} on '${first.text}'; it supports GET and POST on entity sets and GET, PATCH and DELETE by id.`,
    );
  }

  private whoAmI(request: RecordRequest): RecordAnswer {
    return {
      status: 200,
      body: {
        '@odata.context': `${request.baseUrl}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
        BusinessUnitId: sdapSeed.organization.businessUnitId,
        UserId: request.caller.systemUserId,
        OrganizationId: sdapSeed.organization.organizationId,
      },
    };
  }

  private recordId(entity: SeedEntity, segment: PathSegment): string {
    const key = segment.key;
    if (key?.kind === 'positional' && key.value.type === 'Edm.Guid') return key.value.value;
    if (key?.kind === 'named' && key.values.size === 1) {
      const literal = key.values.get(entity.primaryIdAttribute);
      if (literal?.type === 'Edm.Guid') return literal.value;
    }
    throw new DataverseError(
      400,
      DataverseCode.queryNotSupported,
      `Bad Request - Error in query syntax: the key in '${segment.text}' is not a GUID; alternate keys are not emulated.`,
    );
  }

  private target(entity: SeedEntity): FilterTarget {
    return {
      typeName: entity.logicalName,
      properties: this.store.recordProperties(entity),
      unknownPropertyCode: DataverseCode.none,
      functions: 'string',
      caseInsensitive: true,
    };
  }

  /** The record as the Web API shows it: lookups as `_x_value`, an ETag, annotations on request. */
  private render(entity: SeedEntity, record: StoredRecord, select: readonly string[] | undefined, annotations: readonly string[]): Record<string, unknown> {
    const all: Record<string, unknown> = {};
    const lookups = new Map(this.store.manyToOne(entity.logicalName).map((relationship) => [relationship.referencingAttribute, relationship]));
    for (const [name, value] of Object.entries(record.attributes)) {
      const relationship = lookups.get(name);
      if (relationship === undefined) {
        all[name] = value;
        continue;
      }
      const key = `_${name}_value`;
      all[key] = value;
      if (value === null || value === undefined) continue;
      if (wantsAnnotation(annotations, ANNOTATION_PREFIX.navigation)) {
        all[`${key}@${ANNOTATION_PREFIX.navigation}`] = relationship.referencingEntityNavigationPropertyName;
      }
      if (wantsAnnotation(annotations, ANNOTATION_PREFIX.lookup)) all[`${key}@${ANNOTATION_PREFIX.lookup}`] = relationship.referencedEntity;
      if (wantsAnnotation(annotations, ANNOTATION_PREFIX.formatted)) {
        const target = this.store.entities.get(relationship.referencedEntity) as SeedEntity;
        const referenced = this.store.findRecord(relationship.referencedEntity, String(value));
        all[`${key}@${ANNOTATION_PREFIX.formatted}`] = referenced?.attributes[target.primaryNameAttribute] ?? null;
      }
    }
    const wanted = select === undefined || select.includes('*') ? undefined : new Set([...select, entity.primaryIdAttribute]);
    const body: Record<string, unknown> = { '@odata.etag': `W/"${record.version}"` };
    for (const [key, value] of Object.entries(all)) {
      const base = key.split('@')[0] as string;
      if (wanted === undefined || wanted.has(base)) body[key] = value;
    }
    if (wanted !== undefined) for (const name of wanted) if (!(name in body)) body[name] = null;
    return body;
  }

  private checkSelect(entity: SeedEntity, raw: string | undefined): string[] | undefined {
    if (raw === undefined) return undefined;
    const select = parseSelect(raw);
    const properties = this.store.recordProperties(entity);
    for (const name of select) if (name !== '*' && !properties.has(name)) throw propertyNotFound(name, entity.logicalName, DataverseCode.none);
    return select;
  }

  private retrieve(entity: SeedEntity, id: string, request: RecordRequest): RecordAnswer {
    for (const name of request.options.keys()) {
      if (name.startsWith('$') && name !== '$select') {
        throw new DataverseError(400, DataverseCode.queryNotSupported, `The query parameter ${name} is not supported`);
      }
    }
    const select = this.checkSelect(entity, request.options.get('$select'));
    const record = this.store.findRecord(entity.logicalName, id);
    if (record === undefined) throw new DataverseError(404, DataverseCode.objectDoesNotExist, `${entity.logicalName} With Id = ${id} Does Not Exist`);
    const etag = `W/"${record.version}"`;
    if (request.ifNoneMatch === etag) return { status: 304, headers: { ETag: etag } };
    const { annotations } = parsePrefer(request.prefer);
    return {
      status: 200,
      headers: { ETag: etag },
      body: {
        '@odata.context': `${request.baseUrl}/$metadata#${entity.entitySetName}${select ? `(${select.join(',')})` : ''}/$entity`,
        ...this.render(entity, record, select, annotations),
      },
    };
  }

  private retrieveMultiple(entity: SeedEntity, request: RecordRequest): RecordAnswer {
    for (const name of request.options.keys()) {
      if (name.startsWith('$') && !RETRIEVE_OPTIONS.has(name)) {
        throw new DataverseError(400, DataverseCode.queryNotSupported, `The query parameter ${name} is not supported by the local environment`);
      }
    }
    const select = this.checkSelect(entity, request.options.get('$select'));
    const target = this.target(entity);
    const rawFilter = request.options.get('$filter');
    const filter = rawFilter === undefined ? undefined : parseFilter(rawFilter);
    if (filter) checkFilter(filter, target);
    const rawOrderBy = request.options.get('$orderby');
    const orderBy = rawOrderBy === undefined ? [] : parseOrderBy(rawOrderBy);
    for (const item of orderBy) if (!target.properties.has(item.property)) throw propertyNotFound(item.property, entity.logicalName, DataverseCode.none);
    const rawTop = request.options.get('$top');
    const top = rawTop === undefined ? undefined : parseTop(rawTop);
    const count = request.options.get('$count');
    if (count !== undefined && count !== 'true' && count !== 'false') {
      throw new DataverseError(400, DataverseCode.queryNotSupported, `'${count}' is not a valid count option.`);
    }

    const records = [...(this.store.records.get(entity.logicalName)?.values() ?? [])];
    const flat = (record: StoredRecord) => this.render(entity, record, undefined, []);
    let rows = records.map((record) => ({ record, view: flat(record) }));
    if (filter) rows = rows.filter(({ view }) => evaluateFilter(filter, view, target));
    if (orderBy.length > 0) {
      rows.sort((a, b) => {
        for (const { property, descending } of orderBy) {
          const left = a.view[property];
          const right = b.view[property];
          if (left === right) continue;
          // Dataverse sorts nulls first in ascending order.
          const order = left === null || left === undefined ? -1 : right === null || right === undefined ? 1 : String(left).localeCompare(String(right), 'en', { numeric: true });
          return descending ? -order : order;
        }
        return 0;
      });
    }
    const total = rows.length;
    if (top !== undefined) rows = rows.slice(0, top);
    const { annotations, maxPageSize } = parsePrefer(request.prefer);
    const offset = decodeSkipToken(request.options.get('$skiptoken'));
    const pageSize = maxPageSize ?? 5000;
    const page = rows.slice(offset, offset + pageSize);
    const hasMore = offset + pageSize < rows.length;
    return {
      status: 200,
      ...(maxPageSize === undefined ? {} : { headers: { 'Preference-Applied': `odata.maxpagesize=${maxPageSize}` } }),
      body: {
        '@odata.context': `${request.baseUrl}/$metadata#${entity.entitySetName}${select ? `(${select.join(',')})` : ''}`,
        ...(count === 'true' ? { '@odata.count': total } : {}),
        value: page.map(({ record }) => this.render(entity, record, select, annotations)),
        ...(hasMore ? { '@odata.nextLink': nextLink(request.requestUrl, offset + pageSize) } : {}),
      },
    };
  }

  private parseBody(entity: SeedEntity, body: string | undefined): Record<string, unknown> {
    if (body === undefined || body.trim() === '') {
      throw payloadError(entity.entitySetName, 'An empty payload was found; a resource was expected.');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (error) {
      throw payloadError(entity.entitySetName, `Invalid JSON. ${(error as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw payloadError(entity.entitySetName, 'A node of type \'StartArray\' or a primitive value was read from the JSON reader when a \'StartObject\' node was expected.');
    }
    return parsed as Record<string, unknown>;
  }

  private rejectOptionsBut(request: RecordRequest, allowed: string): void {
    for (const name of request.options.keys()) {
      if (name.startsWith('$') && name !== allowed) {
        throw new DataverseError(400, DataverseCode.queryNotSupported, `The query parameter ${name} is not supported`);
      }
    }
  }

  /** Reads a create or update body: columns by logical name and lookups by `Nav@odata.bind`, validated as Dataverse does. */
  private readPayload(entity: SeedEntity, body: string | undefined, forUpdate: boolean): Record<string, unknown> {
    const payload = this.parseBody(entity, body);
    const navigations = new Map(
      this.store.manyToOne(entity.logicalName).map((relationship) => [relationship.referencingEntityNavigationPropertyName, relationship]),
    );
    const columns = new Map(entity.columns.map((column) => [column.logicalName, column]));
    const attributes: Record<string, unknown> = {};
    const binds: Array<{ relationship: RelationshipState; value: unknown; key: string }> = [];

    // The OData reader validates the whole payload's shape before Dataverse looks at any bound record.
    for (const [key, value] of Object.entries(payload)) {
      if (key.startsWith('@')) continue;
      const at = key.indexOf('@');
      if (at !== -1) {
        const property = key.slice(0, at);
        const annotation = key.slice(at + 1);
        const relationship = navigations.get(property);
        if (relationship === undefined) {
          throw payloadError(
            entity.entitySetName,
            `An undeclared property '${property}' which only has property annotations in the payload but no property value was found in the payload. In OData, only declared navigation properties and declared named streams can be represented as properties without values.`,
          );
        }
        if (annotation === 'odata.bind') binds.push({ relationship, value, key });
        continue;
      }
      if (key === entity.primaryIdAttribute && !forUpdate) {
        if (typeof value !== 'string' || !GUID.test(value)) {
          throw payloadError(entity.entitySetName, `Cannot convert the literal '${String(value)}' to the expected type 'Edm.Guid'.`);
        }
        attributes[key] = value.toLowerCase();
        continue;
      }
      const column = columns.get(key);
      if (column === undefined) {
        throw new DataverseError(400, DataverseCode.none, `Invalid property '${key}' was found in entity 'Microsoft.Dynamics.CRM.${entity.logicalName}'.`);
      }
      attributes[key] = this.checkValue(entity, column, value);
    }

    for (const bind of binds) {
      // An update may clear a lookup with a null bind.
      attributes[bind.relationship.referencingAttribute] = bind.value === null && forUpdate ? null : this.resolveBind(entity, bind);
    }
    return attributes;
  }

  private create(entity: SeedEntity, request: RecordRequest, id?: string): RecordAnswer {
    this.rejectOptionsBut(request, '$select');
    const select = this.checkSelect(entity, request.options.get('$select'));
    const attributes = this.readPayload(entity, request.body, false);
    if (id !== undefined) attributes[entity.primaryIdAttribute] = id;

    const recordId = (attributes[entity.primaryIdAttribute] as string | undefined) ?? this.store.newId();
    if (this.store.findRecord(entity.logicalName, recordId)) {
      throw new DataverseError(412, '0x80040237', 'Cannot insert duplicate key.');
    }
    const lookupNames = new Set(this.store.manyToOne(entity.logicalName).map((relationship) => relationship.referencingAttribute));
    const system: Record<string, unknown> = {};
    for (const name of ['createdby', 'modifiedby', 'owninguser']) if (lookupNames.has(name)) system[name] = request.caller.systemUserId;
    if (lookupNames.has('owningbusinessunit')) system.owningbusinessunit = sdapSeed.organization.businessUnitId;
    const record = this.store.insert(entity.logicalName, { ...system, ...attributes, [entity.primaryIdAttribute]: recordId });
    const entityId = `${request.baseUrl}/${entity.entitySetName}(${recordId})`;

    if (parsePrefer(request.prefer).returnRepresentation) {
      return {
        status: 201,
        headers: { 'Preference-Applied': 'return=representation', ETag: `W/"${record.version}"` },
        body: {
          '@odata.context': `${request.baseUrl}/$metadata#${entity.entitySetName}${select ? `(${select.join(',')})` : ''}/$entity`,
          ...this.render(entity, record, select, parsePrefer(request.prefer).annotations),
        },
      };
    }
    return { status: 204, headers: { 'OData-EntityId': entityId } };
  }

  private checkIfMatch(entity: SeedEntity, id: string, record: StoredRecord | undefined, ifMatch: string | undefined): void {
    if (ifMatch === undefined) return;
    if (record === undefined) throw new DataverseError(404, DataverseCode.objectDoesNotExist, `${entity.logicalName} With Id = ${id} Does Not Exist`);
    if (ifMatch !== '*' && ifMatch !== `W/"${record.version}"`) {
      throw new DataverseError(412, '0x80060882', "The version of the existing record doesn't match the RowVersion property provided.");
    }
  }

  /** PATCH is an upsert in Dataverse: it creates the record when the id is new, unless `If-Match` is sent. */
  private update(entity: SeedEntity, id: string, request: RecordRequest): RecordAnswer {
    const existing = this.store.findRecord(entity.logicalName, id);
    this.checkIfMatch(entity, id, existing, request.ifMatch);
    if (existing === undefined) return this.create(entity, request, id);
    this.rejectOptionsBut(request, '$select');
    const select = this.checkSelect(entity, request.options.get('$select'));
    const attributes = this.readPayload(entity, request.body, true);
    Object.assign(existing.attributes, attributes, {
      modifiedon: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      ...('modifiedby' in existing.attributes ? { modifiedby: request.caller.systemUserId } : {}),
    });
    existing.version = this.store.nextVersion();
    const prefer = parsePrefer(request.prefer);
    if (prefer.returnRepresentation) {
      return {
        status: 200,
        headers: { 'Preference-Applied': 'return=representation', ETag: `W/"${existing.version}"` },
        body: {
          '@odata.context': `${request.baseUrl}/$metadata#${entity.entitySetName}${select ? `(${select.join(',')})` : ''}/$entity`,
          ...this.render(entity, existing, select, prefer.annotations),
        },
      };
    }
    return { status: 204, headers: { 'OData-EntityId': `${request.baseUrl}/${entity.entitySetName}(${id})` } };
  }

  private delete(entity: SeedEntity, id: string, request: RecordRequest): RecordAnswer {
    this.rejectOptionsBut(request, '');
    const existing = this.store.findRecord(entity.logicalName, id);
    this.checkIfMatch(entity, id, existing, request.ifMatch);
    if (existing === undefined) throw new DataverseError(404, DataverseCode.objectDoesNotExist, `${entity.logicalName} With Id = ${id} Does Not Exist`);
    this.store.records.get(entity.logicalName)?.delete(id.toLowerCase());
    return { status: 204 };
  }

  private checkValue(entity: SeedEntity, column: SeedEntity['columns'][number], value: unknown): unknown {
    if (value === null) return null;
    const mismatch = (edm: string) => payloadError(entity.entitySetName, `Cannot convert the literal '${JSON.stringify(value)}' to the expected type '${edm}'.`);
    switch (column.type) {
      case 'String':
      case 'Memo':
        if (typeof value !== 'string') throw mismatch('Edm.String');
        if (column.maxLength !== undefined && value.length > column.maxLength) {
          throw new DataverseError(
            400,
            '0x80044331',
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
  private resolveBind(entity: SeedEntity, bind: { relationship: RelationshipState; value: unknown; key: string }): string {
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
    const target = this.store.entitiesBySet.get(segment.name);
    if (target === undefined) throw notFoundSegment(segment.name);
    if (target.logicalName !== bind.relationship.referencedEntity) {
      throw payloadError(
        entity.entitySetName,
        `The navigation property '${bind.relationship.referencingEntityNavigationPropertyName}' expects an entity of type 'Microsoft.Dynamics.CRM.${bind.relationship.referencedEntity}' but '${segment.name}' holds 'Microsoft.Dynamics.CRM.${target.logicalName}'.`,
      );
    }
    const id = this.recordId(target, segment);
    if (!this.store.findRecord(target.logicalName, id)) {
      throw new DataverseError(404, DataverseCode.objectDoesNotExist, `${target.logicalName} With Id = ${id} Does Not Exist`);
    }
    return id;
  }
}
