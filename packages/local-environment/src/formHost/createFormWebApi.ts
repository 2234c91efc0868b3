/// <reference types="powerapps-component-framework" />

/** What `context.webAPI` and `Xrm.WebApi` reject with: Dataverse's message, its hex code, and that code as a number. */
export interface WebApiError extends Error {
  errorCode: number;
  code: string;
  status: number;
}

type Entity = ComponentFramework.WebApi.Entity;

/** The form's Web API client: the Dataverse session cookie, as code on a model-driven form calls it. */
export interface FormWebApi extends ComponentFramework.WebApi {
  /** `EntityDefinitions(LogicalName=...)` with the given properties, PascalCase as Dataverse answers. */
  entityDefinition(entityName: string): Promise<Record<string, unknown>>;
}

const cleanId = (id: string) => id.replace(/[{}]/g, '').toLowerCase();
const query = (options: string | undefined) => (options === undefined || options === '' ? '' : options.startsWith('?') ? options : `?${options}`);

/**
 * `context.webAPI` on the Dataverse Web API, as a model-driven form provides it: entity set names from metadata,
 * `{ entityType, id }` for create, update and delete, `{ entities, nextLink }` pages for retrieveMultipleRecords.
 */
export function createFormWebApi(clientUrl: string): FormWebApi {
  const apiBase = `${clientUrl}/api/data/v9.2`;
  const definitions = new Map<string, Promise<Record<string, unknown>>>();

  async function request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const response = await fetch(path.startsWith('https://') ? path : `${apiBase}${path}`, {
      method,
      credentials: 'include',
      headers: {
        Accept: 'application/json',
        'OData-MaxVersion': '4.0',
        'OData-Version': '4.0',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (response.ok) return response;
    let code = '';
    let message = `HTTP ${response.status}`;
    try {
      const envelope = (await response.json()) as { error?: { code?: string; message?: string } };
      code = envelope.error?.code ?? '';
      message = envelope.error?.message ?? message;
    } catch {
      // not JSON: keep the status line
    }
    // PCF and Xrm reject with errorCode as the unsigned decimal of Dataverse's hex code (powerapps-docs#1640).
    const error = new Error(message) as WebApiError;
    error.errorCode = code ? Number.parseInt(code, 16) : 0;
    error.code = code;
    error.status = response.status;
    throw error;
  }

  function entityDefinition(entityName: string): Promise<Record<string, unknown>> {
    let definition = definitions.get(entityName);
    if (!definition) {
      const select = 'LogicalName,EntitySetName,SchemaName,PrimaryIdAttribute,PrimaryNameAttribute,ObjectTypeCode,DisplayName,DisplayCollectionName,IsCustomEntity,OwnershipType';
      definition = request('GET', `/EntityDefinitions(LogicalName='${encodeURIComponent(entityName)}')?$select=${select}`).then(
        (response) => response.json() as Promise<Record<string, unknown>>,
      );
      definitions.set(entityName, definition);
      definition.catch(() => definitions.delete(entityName));
    }
    return definition;
  }
  const entitySetOf = async (entityName: string) => String((await entityDefinition(entityName)).EntitySetName);
  const idFromEntityId = (response: Response, entityType: string) => {
    const id = /\(([0-9a-fA-F-]{36})\)\s*$/.exec(response.headers.get('OData-EntityId') ?? '')?.[1];
    if (!id) throw new Error(`Dataverse wrote the ${entityType} but answered without OData-EntityId.`);
    return id;
  };

  return {
    entityDefinition,
    async createRecord(entityType: string, data: Entity) {
      const response = await request('POST', `/${await entitySetOf(entityType)}`, data);
      return { entityType, id: idFromEntityId(response, entityType) };
    },
    async updateRecord(entityType: string, id: string, data: Entity) {
      await request('PATCH', `/${await entitySetOf(entityType)}(${cleanId(id)})`, data, { 'If-Match': '*' });
      return { entityType, id: cleanId(id) };
    },
    async deleteRecord(entityType: string, id: string) {
      await request('DELETE', `/${await entitySetOf(entityType)}(${cleanId(id)})`);
      return { entityType, id: cleanId(id) };
    },
    async retrieveRecord(entityType: string, id: string, options?: string) {
      const response = await request('GET', `/${await entitySetOf(entityType)}(${cleanId(id)})${query(options)}`, undefined, { Prefer: 'odata.include-annotations="*"' });
      return (await response.json()) as Entity;
    },
    async retrieveMultipleRecords(entityType: string, options?: string, maxPageSize?: number) {
      // A nextLink from an earlier page is passed back as the options, as the client API documents.
      const path = options?.startsWith(apiBase) ? options : `/${await entitySetOf(entityType)}${query(options)}`;
      const prefer = ['odata.include-annotations="*"', ...(maxPageSize === undefined ? [] : [`odata.maxpagesize=${maxPageSize}`])].join(',');
      const body = (await (await request('GET', path, undefined, { Prefer: prefer })).json()) as { value: Entity[]; '@odata.nextLink'?: string };
      return { entities: body.value, nextLink: body['@odata.nextLink'] as string };
    },
  };
}
