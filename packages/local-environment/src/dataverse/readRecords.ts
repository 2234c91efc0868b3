import { DataverseCode, DataverseError, notFound, propertyNotFound } from './DataverseError.js';
import type { DataverseStore, StoredRecord } from './DataverseStore.js';
import { checkFilter, evaluateFilter, type FilterTarget } from './odata/evaluateFilter.js';
import { parseFilter } from './odata/parseFilter.js';
import { parseOrderBy, parseTop } from './odata/parseQueryOptions.js';
import { checkQueryOptions, checkSelect, entityContext, parsePrefer, type RecordAnswer, type RecordRequest } from './recordRequest.js';
import { renderRecord } from './renderRecord.js';
import type { SeedEntity } from './sdapSeed.js';

const RETRIEVE_OPTIONS: ReadonlySet<string> = new Set(['$select']);
const RETRIEVE_MULTIPLE_OPTIONS: ReadonlySet<string> = new Set(['$select', '$filter', '$top', '$orderby', '$count', '$skiptoken']);
const DEFAULT_PAGE_SIZE = 5000;

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

function filterTarget(store: DataverseStore, entity: SeedEntity): FilterTarget {
  return { typeName: entity.logicalName, properties: store.recordProperties(entity), unknownPropertyCode: DataverseCode.none, functions: 'string', caseInsensitive: true };
}

/** Dataverse sorts nulls first in ascending order. */
function compareBy(orderBy: readonly { property: string; descending: boolean }[]) {
  return (a: { view: Record<string, unknown> }, b: { view: Record<string, unknown> }): number => {
    for (const { property, descending } of orderBy) {
      const left = a.view[property];
      const right = b.view[property];
      if (left === right) continue;
      const order = left === null || left === undefined ? -1 : right === null || right === undefined ? 1 : String(left).localeCompare(String(right), 'en', { numeric: true });
      return descending ? -order : order;
    }
    return 0;
  };
}

/** `GET set(<id>)`: the record with `$select` and annotations; 304 when `If-None-Match` names its version. */
export function retrieveRecord(store: DataverseStore, entity: SeedEntity, id: string, request: RecordRequest): RecordAnswer {
  checkQueryOptions(request.options, RETRIEVE_OPTIONS);
  const select = checkSelect(store, entity, request.options.get('$select'));
  const record = store.findRecord(entity.logicalName, id);
  if (record === undefined) throw notFound(entity.logicalName, id);
  const etag = `W/"${record.version}"`;
  if (request.ifNoneMatch === etag) return { status: 304, headers: { ETag: etag } };
  const { annotations } = parsePrefer(request.prefer);
  return {
    status: 200,
    headers: { ETag: etag },
    body: { '@odata.context': entityContext(request.baseUrl, entity, select, true), ...renderRecord(store, entity, record, select, annotations) },
  };
}

/** `GET set?$filter&$orderby&$top&$count`, paged by `Prefer: odata.maxpagesize` with an `@odata.nextLink`. */
export function retrieveRecords(store: DataverseStore, entity: SeedEntity, request: RecordRequest): RecordAnswer {
  checkQueryOptions(request.options, RETRIEVE_MULTIPLE_OPTIONS);
  const select = checkSelect(store, entity, request.options.get('$select'));
  const target = filterTarget(store, entity);
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

  const records = [...(store.records.get(entity.logicalName)?.values() ?? [])];
  let rows = records.map((record: StoredRecord) => ({ record, view: renderRecord(store, entity, record, undefined, []) }));
  if (filter) rows = rows.filter(({ view }) => evaluateFilter(filter, view, target));
  if (orderBy.length > 0) rows.sort(compareBy(orderBy));
  const total = rows.length;
  if (top !== undefined) rows = rows.slice(0, top);
  const { annotations, maxPageSize } = parsePrefer(request.prefer);
  const offset = decodeSkipToken(request.options.get('$skiptoken'));
  const pageSize = maxPageSize ?? DEFAULT_PAGE_SIZE;
  const page = rows.slice(offset, offset + pageSize);
  const hasMore = offset + pageSize < rows.length;
  return {
    status: 200,
    ...(maxPageSize === undefined ? {} : { headers: { 'Preference-Applied': `odata.maxpagesize=${maxPageSize}` } }),
    body: {
      '@odata.context': entityContext(request.baseUrl, entity, select, false),
      ...(count === 'true' ? { '@odata.count': total } : {}),
      value: page.map(({ record }) => renderRecord(store, entity, record, select, annotations)),
      ...(hasMore ? { '@odata.nextLink': nextLink(request.requestUrl, offset + pageSize) } : {}),
    },
  };
}
