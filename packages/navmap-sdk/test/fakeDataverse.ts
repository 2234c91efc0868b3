import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small Dataverse metadata double for unit tests and the bench: it answers the two queries resolveNavMap sends,
 * in the shapes Dataverse's Web API answers them (docs/architecture.md, "How the server resolves the map"), and
 * counts requests.
 * The full emulator is @sdap/local-environment; this one keeps the SDK's unit tests free of it.
 */
export interface FakeRelationship {
  SchemaName: string;
  ReferencingAttribute: string;
  ReferencedEntity: string;
  ReferencingEntityNavigationPropertyName: string | null;
  ReferencedEntityNavigationPropertyName: string | null;
}

export interface FakeSchema {
  entities: Record<string, { EntitySetName: string | null }>;
  relationships: Record<string, FakeRelationship[]>;
}

export interface FakeAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

const ORG = 'https://org.crm.dynamics.com';

function relationship(
  SchemaName: string,
  ReferencingAttribute: string,
  ReferencedEntity: string,
  navigation: string | null,
  collection: string | null,
): FakeRelationship {
  return {
    SchemaName,
    ReferencingAttribute,
    ReferencedEntity,
    ReferencingEntityNavigationPropertyName: navigation,
    ReferencedEntityNavigationPropertyName: collection,
  };
}

/** The sdap schema: five related parents, `lead` unrelated, two lookups to `account`, and system lookups. */
export function sdapSchema(): FakeSchema {
  return {
    entities: {
      sprk_document: { EntitySetName: 'sprk_documents' },
      sprk_matter: { EntitySetName: 'sprk_matters' },
      sprk_project: { EntitySetName: 'sprk_projects' },
      sprk_invoice: { EntitySetName: 'sprk_invoices' },
      account: { EntitySetName: 'accounts' },
      contact: { EntitySetName: 'contacts' },
      lead: { EntitySetName: 'leads' },
      systemuser: { EntitySetName: 'systemusers' },
      businessunit: { EntitySetName: 'businessunits' },
    },
    relationships: {
      sprk_document: [
        relationship('sprk_matter_document', 'sprk_matter', 'sprk_matter', 'sprk_Matter', 'sprk_matter_document'),
        relationship('sprk_Project_Document_1n', 'sprk_project', 'sprk_project', 'sprk_Project', 'sprk_Project_Document_1n'),
        relationship('sprk_invoice_sprk_document', 'sprk_invoice', 'sprk_invoice', 'sprk_Invoice', 'sprk_invoice_sprk_document'),
        relationship('sprk_account_sprk_document', 'sprk_account', 'account', 'sprk_Account', 'sprk_account_sprk_document'),
        relationship('sprk_document_BillingAccount_account', 'sprk_billingaccount', 'account', 'sprk_BillingAccount', 'sprk_document_BillingAccount_account'),
        relationship('sprk_contact_document', 'sprk_contact', 'contact', 'sprk_Contact', 'sprk_contact_document'),
        relationship('lk_sprk_document_createdby', 'createdby', 'systemuser', 'createdby', 'lk_sprk_document_createdby'),
        relationship('lk_sprk_document_modifiedby', 'modifiedby', 'systemuser', 'modifiedby', 'lk_sprk_document_modifiedby'),
        relationship('user_sprk_document', 'owninguser', 'systemuser', 'owninguser', 'user_sprk_document'),
        relationship('business_unit_sprk_document', 'owningbusinessunit', 'businessunit', 'owningbusinessunit', 'business_unit_sprk_document'),
      ],
    },
  };
}

function quotedValues(filter: string, property: string): string[] {
  const values: string[] = [];
  const pattern = new RegExp(`${property} eq '([^']*)'`, 'g');
  for (const match of filter.matchAll(pattern)) values.push(match[1] as string);
  return values;
}

function pick<T extends object>(row: T, select: string[] | undefined): Partial<T> {
  if (!select) return row;
  return Object.fromEntries(Object.entries(row).filter(([key]) => select.includes(key))) as Partial<T>;
}

function notFound(entity: string): FakeAnswer {
  return {
    status: 404,
    body: { error: { code: '0x80040217', message: `Could not find an entity with specified entity logicalname: ${entity}` } },
  };
}

/** Answers one GET the way Dataverse does. */
export function answer(schema: FakeSchema, rawUrl: string): FakeAnswer {
  const url = new URL(rawUrl);
  const path = decodeURIComponent(url.pathname).replace(/^\/api\/data\/v9\.\d/, '');
  const select = url.searchParams.get('$select')?.split(',');
  const filter = url.searchParams.get('$filter') ?? '';

  if (path === '/EntityDefinitions') {
    const names = quotedValues(filter, 'LogicalName');
    const value = names
      .filter((name) => schema.entities[name])
      .map((name, index) => ({
        ...pick({ LogicalName: name, EntitySetName: schema.entities[name]?.EntitySetName ?? null }, select),
        MetadataId: `00000000-0000-0000-0000-${String(index).padStart(12, '0')}`,
      }));
    return { status: 200, body: { '@odata.context': `${ORG}/api/data/v9.2/$metadata#EntityDefinitions(LogicalName,EntitySetName)`, value } };
  }

  const subPath = /^\/EntityDefinitions\(LogicalName='([^']+)'\)\/ManyToOneRelationships$/.exec(path);
  if (subPath) {
    const child = subPath[1] as string;
    if (!schema.entities[child]) return notFound(child);
    // As the emulator's refuseUnverifiedQueries switch: `or` in a relationship collection filter is not verified on
    // real Dataverse, so the double refuses it and resolveNavMap must not depend on it.
    if (/\sor\s/i.test(filter)) {
      return {
        status: 400,
        body: { error: { code: '0x80060888', message: "The 'or' operator is not supported in a $filter on ManyToOneRelationships." } },
      };
    }
    const referenced = quotedValues(filter, 'ReferencedEntity');
    const rows = (schema.relationships[child] ?? []).filter(
      (row) => referenced.length === 0 || referenced.includes(row.ReferencedEntity),
    );
    return {
      status: 200,
      body: {
        '@odata.context': `${ORG}/api/data/v9.2/$metadata#EntityDefinitions('${child}')/ManyToOneRelationships(${select?.join(',') ?? ''})`,
        value: rows.map((row, index) => ({ ...pick(row, select), MetadataId: `00000000-0000-0000-0001-${String(index).padStart(12, '0')}` })),
      },
    };
  }

  const segment = path.split('/')[1] ?? '';
  return { status: 404, body: { error: { code: '0x8006088a', message: `Resource not found for the segment '${segment}'.` } } };
}

export interface RecordedRequest {
  url: string;
  headers: Headers;
}

/** A fetch that answers from the schema, records every request, and lets a test replace answers. */
export function createFakeDataverseFetch(
  schema: FakeSchema = sdapSchema(),
  override?: (url: string, attempt: number) => FakeAnswer | undefined,
): { fetch: typeof fetch; requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const fakeFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = String(input);
    requests.push({ url, headers: new Headers(init?.headers) });
    init?.signal?.throwIfAborted();
    const result = override?.(url, requests.length) ?? answer(schema, url);
    return new Response(result.body === undefined ? null : JSON.stringify(result.body), {
      status: result.status,
      headers: { 'Content-Type': 'application/json; odata.metadata=minimal', 'OData-Version': '4.0', ...result.headers },
    });
  };
  return { fetch: fakeFetch as typeof fetch, requests };
}

/** The same double on a real socket, with a fixed latency per request, for the bench. */
export async function startFakeDataverseServer(
  latencyMs: number,
  schema: FakeSchema = sdapSchema(),
): Promise<{ url: string; requestCount: () => number; close: () => Promise<void> }> {
  let count = 0;
  const server: Server = createServer((request, response) => {
    count++;
    setTimeout(() => {
      const result = answer(schema, `http://localhost${request.url ?? '/'}`);
      response.writeHead(result.status, { 'Content-Type': 'application/json', 'OData-Version': '4.0' });
      response.end(JSON.stringify(result.body));
    }, latencyMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requestCount: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
