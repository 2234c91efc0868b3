import { DataverseCode, DataverseError, notFound, propertyNotFound } from '../dataverse/DataverseError.js';
import { checkFilter, evaluateFilter, type EdmType, type FilterTarget } from '../dataverse/odata/evaluateFilter.js';
import { parseFilter } from '../dataverse/odata/parseFilter.js';
import { parseSelect } from '../dataverse/odata/parseQueryOptions.js';
import type { PathSegment } from '../dataverse/odata/parseResourcePath.js';
import { checkQueryOptions, GUID, type RecordAnswer } from '../dataverse/recordRequest.js';
import type { InstalledSolutions } from './InstalledSolutions.js';
import type { ImportedWebResource } from './readSolutionPackage.js';

/** The resource paths this module answers: the ImportSolution action and the webresource table's entity set. */
export const SOLUTION_SEGMENTS: ReadonlySet<string> = new Set(['ImportSolution', 'webresourceset']);

export interface SolutionRequest {
  readonly method: string;
  readonly segments: readonly PathSegment[];
  readonly options: ReadonlyMap<string, string>;
  readonly baseUrl: string;
  readonly body: string | undefined;
}

/** The ImportSolution action's parameters (Web API reference: ImportSolution Action); the non-nullable ones are required. */
const IMPORT_PARAMETERS = {
  OverwriteUnmanagedCustomizations: 'boolean',
  PublishWorkflows: 'boolean',
  CustomizationFile: 'string',
  ImportJobId: 'string',
} as const;
const OPTIONAL_IMPORT_PARAMETERS = new Set(['ConvertToManaged', 'SkipProductUpdateDependencies', 'HoldingSolution', 'SkipQueueRibbonJob', 'LayerDesiredOrder', 'AsyncRibbonProcessing', 'ComponentParameters', 'SolutionParameters', 'IsTemplateMode', 'TemplateSuffix', 'TemplateDisplayNamePrefix']);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const WEB_RESOURCE_COLUMNS: ReadonlyMap<string, EdmType> = new Map<string, EdmType>([
  ['webresourceid', 'Edm.Guid'],
  ['name', 'Edm.String'],
  ['displayname', 'Edm.String'],
  ['webresourcetype', 'Edm.Int32'],
  ['content', 'Edm.String'],
]);
const WEB_RESOURCE_FILTER: FilterTarget = { typeName: 'webresource', properties: WEB_RESOURCE_COLUMNS, unknownPropertyCode: DataverseCode.none, functions: 'string', caseInsensitive: true };

const payloadError = (message: string) => new DataverseError(400, DataverseCode.payloadError, message);

function importParameters(body: string | undefined): Uint8Array {
  let parameters: unknown;
  try {
    parameters = JSON.parse(body ?? '');
  } catch {
    throw payloadError('The ImportSolution request body is not JSON; send { OverwriteUnmanagedCustomizations, PublishWorkflows, CustomizationFile, ImportJobId }.');
  }
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) throw payloadError('The ImportSolution request body must be a JSON object of the action parameters.');
  const given = parameters as Record<string, unknown>;
  for (const [name, type] of Object.entries(IMPORT_PARAMETERS)) {
    if (typeof given[name] !== type) throw payloadError(`The ImportSolution parameter '${name}' is required and must be ${type === 'boolean' ? 'a boolean' : 'a string'} (Edm.${type === 'boolean' ? 'Boolean' : name === 'ImportJobId' ? 'Guid' : 'Binary, base64'}).`);
  }
  for (const name of Object.keys(given)) {
    if (!(name in IMPORT_PARAMETERS) && !OPTIONAL_IMPORT_PARAMETERS.has(name)) throw payloadError(`The parameter '${name}' in the request payload is not a valid parameter for the operation 'ImportSolution'.`);
  }
  if (!GUID.test(given.ImportJobId as string)) throw payloadError(`The ImportSolution parameter 'ImportJobId' must be a GUID; received '${String(given.ImportJobId).slice(0, 60)}'.`);
  const file = given.CustomizationFile as string;
  if (file === '' || !BASE64.test(file)) throw payloadError("The ImportSolution parameter 'CustomizationFile' must be the solution zip in base64.");
  return Buffer.from(file, 'base64');
}

function webResourceRow(resource: ImportedWebResource): Record<string, unknown> {
  return {
    webresourceid: resource.id,
    name: resource.name,
    displayname: resource.displayName,
    webresourcetype: resource.type,
    content: Buffer.from(resource.content).toString('base64'),
  };
}

function selected(row: Record<string, unknown>, select: readonly string[] | undefined): Record<string, unknown> {
  if (select === undefined) return row;
  // As for any table, the primary key always comes back.
  return Object.fromEntries(Object.entries(row).filter(([name]) => name === 'webresourceid' || select.includes(name)));
}

function selectOption(options: ReadonlyMap<string, string>): string[] | undefined {
  const raw = options.get('$select');
  if (raw === undefined) return undefined;
  const select = parseSelect(raw);
  for (const name of select) if (!WEB_RESOURCE_COLUMNS.has(name)) throw propertyNotFound(name, 'webresource', DataverseCode.none);
  return select;
}

function webResources(solutions: InstalledSolutions, request: SolutionRequest, segment: PathSegment): RecordAnswer {
  const context = (select: readonly string[] | undefined, single: boolean) =>
    `${request.baseUrl}/$metadata#webresourceset${select ? `(${select.join(',')})` : ''}${single ? '/$entity' : ''}`;
  if (segment.key === undefined) {
    if (request.method !== 'GET') throw notSupported(request.method, segment);
    checkQueryOptions(request.options, new Set(['$select', '$filter']));
    const select = selectOption(request.options);
    const rawFilter = request.options.get('$filter');
    const filter = rawFilter === undefined ? undefined : parseFilter(rawFilter);
    if (filter) checkFilter(filter, WEB_RESOURCE_FILTER);
    const rows = solutions.webResources().map(webResourceRow).filter((row) => filter === undefined || evaluateFilter(filter, row, WEB_RESOURCE_FILTER));
    return { status: 200, body: { '@odata.context': context(select, false), value: rows.map((row) => selected(row, select)) } };
  }
  const id = segment.key.kind === 'positional' && segment.key.value.type === 'Edm.Guid' ? segment.key.value.value.toLowerCase() : undefined;
  if (id === undefined) throw new DataverseError(400, DataverseCode.queryNotSupported, `Bad Request - Error in query syntax: the key in '${segment.text}' is not a GUID.`);
  if (request.method === 'DELETE') {
    if (!solutions.deleteWebResource(id)) throw notFound('webresource', id);
    return { status: 204 };
  }
  if (request.method !== 'GET') throw notSupported(request.method, segment);
  checkQueryOptions(request.options, new Set(['$select']));
  const select = selectOption(request.options);
  const resource = solutions.webResources().find((candidate) => candidate.id === id);
  if (resource === undefined) throw notFound('webresource', id);
  return { status: 200, body: { '@odata.context': context(select, true), ...selected(webResourceRow(resource), select) } };
}

const notSupported = (method: string, segment: PathSegment) =>
  new DataverseError(405, DataverseCode.queryNotSupported, `The local environment does not emulate ${method} on '${segment.text}'; webresourceset supports GET, and DELETE by id.`);

/**
 * `POST ImportSolution` (what `pac solution import` and the Power Platform Build Tools call) and the `webresourceset`
 * reads and deletes an admin uses, over the org's imported solutions.
 */
export function answerSolutionRequest(solutions: InstalledSolutions, request: SolutionRequest): RecordAnswer {
  const [segment, ...rest] = request.segments as [PathSegment, ...PathSegment[]];
  if (rest.length > 0) throw new DataverseError(404, DataverseCode.resourceNotFound, `Resource not found for the segment '${(rest[0] as PathSegment).text}'.`);
  if (segment.name === 'webresourceset') return webResources(solutions, request, segment);
  if (request.method !== 'POST' || segment.key !== undefined) {
    throw new DataverseError(405, DataverseCode.queryNotSupported, `ImportSolution is an action: call it with POST ${request.baseUrl}/ImportSolution.`);
  }
  solutions.import(importParameters(request.body));
  // The action returns no value (Web API reference: ImportSolution Action).
  return { status: 204 };
}
