import { DataverseCode, DataverseError, propertyNotFound } from './DataverseError.js';
import type { DataverseStore } from './DataverseStore.js';
import { parseSelect } from './odata/parseQueryOptions.js';
import type { PathSegment } from './odata/parseResourcePath.js';
import type { SeedEntity } from './sdapSeed.js';

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

export interface Prefer {
  readonly returnRepresentation: boolean;
  readonly annotations: readonly string[];
  readonly maxPageSize: number | undefined;
}

export const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** The `Prefer` header's `return=representation`, `odata.include-annotations` and `odata.maxpagesize`. */
export function parsePrefer(header: string | undefined): Prefer {
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

/** Refuses a system query option (`$...`) this operation does not take, as Dataverse does. */
export function checkQueryOptions(options: ReadonlyMap<string, string>, allowed: ReadonlySet<string>): void {
  for (const name of options.keys()) {
    if (name.startsWith('$') && !allowed.has(name)) throw new DataverseError(400, DataverseCode.queryNotSupported, `The query parameter ${name} is not supported`);
  }
}

/** `@odata.context` of an entity set or (`single`) one of its records, with the `$select` list when given. */
export function entityContext(baseUrl: string, entity: SeedEntity, select: readonly string[] | undefined, single: boolean): string {
  return `${baseUrl}/$metadata#${entity.entitySetName}${select ? `(${select.join(',')})` : ''}${single ? '/$entity' : ''}`;
}

/** `$select`'s columns, each checked against the entity's record properties. */
export function checkSelect(store: DataverseStore, entity: SeedEntity, raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const select = parseSelect(raw);
  const properties = store.recordProperties(entity);
  for (const name of select) if (name !== '*' && !properties.has(name)) throw propertyNotFound(name, entity.logicalName, DataverseCode.none);
  return select;
}

/** The GUID key of `set(<guid>)` or `set(<primaryid>=<guid>)`; alternate keys are not emulated. */
export function recordIdOf(entity: SeedEntity, segment: PathSegment): string {
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
