import { beforeAll, describe, expect, it } from 'vitest';
import { sdapSeed } from './sdapSeed.js';
import { environment, useTestEnvironmentPerFile } from '../../test/startTestEnvironment.js';

useTestEnvironmentPerFile();
let token: string;
const matter = sdapSeed.records.sprk_matter[0];
const account = sdapSeed.records.account[1];

beforeAll(async () => {
  token = await environment.getClientCredentialsToken('navmap-server', 'navmap-server-secret', environment.dataverseUrl);
});

const api = () => `${environment.dataverseUrl}/api/data/v9.2`;

function request(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${api()}/${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...(init.headers as Record<string, string> | undefined) },
  });
}

function create(body: unknown, headers: Record<string, string> = {}, set = 'sprk_documents'): Promise<Response> {
  return request(set, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

describe('record create', () => {
  it('answers 204 with OData-EntityId, and the record reads back with _x_value', async () => {
    const response = await create({
      sprk_documentname: 'A.pdf',
      sprk_filename: 'A.pdf',
      sprk_filesize: 1234,
      sprk_graphdriveid: matter?.containerId,
      sprk_graphitemid: '01ABC',
      'sprk_Matter@odata.bind': `/sprk_matters(${matter?.id})`,
    });
    expect(response.status).toBe(204);
    const entityId = response.headers.get('odata-entityid') ?? '';
    expect(entityId).toMatch(new RegExp(`^${api().replace(/\./g, '\\.')}/sprk_documents\\([0-9a-f-]{36}\\)$`));
    const id = /\(([^)]+)\)$/.exec(entityId)?.[1];
    const read = await request(`sprk_documents(${id})?$select=sprk_documentname,_sprk_matter_value,sprk_filesize`);
    expect(read.status).toBe(200);
    const body = (await read.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ sprk_documentid: id, sprk_documentname: 'A.pdf', sprk_filesize: 1234, _sprk_matter_value: matter?.id });
    expect(body['@odata.etag']).toMatch(/^W\/"\d+"$/);
  });

  it('answers 201 with the body and Preference-Applied under return=representation, with annotations on request', async () => {
    const response = await create(
      { sprk_documentname: 'B.pdf', 'sprk_Project@odata.bind': `sprk_projects(${sdapSeed.records.sprk_project[0]?.id.toUpperCase()})` },
      { Prefer: 'return=representation,odata.include-annotations="*"' },
    );
    expect(response.status).toBe(201);
    expect(response.headers.get('preference-applied')).toBe('return=representation');
    expect(response.headers.get('odata-entityid')).toBeNull();
    const body = (await response.json()) as Record<string, unknown>;
    expect(body['@odata.context']).toBe(`${api()}/$metadata#sprk_documents/$entity`);
    expect(body._sprk_project_value).toBe(sdapSeed.records.sprk_project[0]?.id);
    expect(body['_sprk_project_value@Microsoft.Dynamics.CRM.associatednavigationproperty']).toBe('sprk_Project');
    expect(body['_sprk_project_value@Microsoft.Dynamics.CRM.lookuplogicalname']).toBe('sprk_project');
    expect(body['_sprk_project_value@OData.Community.Display.V1.FormattedValue']).toBe(sdapSeed.records.sprk_project[0]?.name);
    expect(body._createdby_value).toBe(sdapSeed.organization.applicationUserSystemUserId);
  });

  it('accepts an absolute bind URL and every parent navigation property', async () => {
    const binds: Record<string, string> = {
      'sprk_InvoiceId@odata.bind': `${api()}/sprk_invoices(${sdapSeed.records.sprk_invoice[0]?.id})`,
      'sprk_Account@odata.bind': `/accounts(${account?.id})`,
      'sprk_BillingAccount@odata.bind': `/accounts(${sdapSeed.records.account[0]?.id})`,
      'sprk_PrimaryContact@odata.bind': `/contacts(${sdapSeed.records.contact[0]?.id})`,
    };
    const response = await create({ sprk_documentname: 'C.pdf', ...binds }, { Prefer: 'return=representation' });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      _sprk_invoiceid_value: sdapSeed.records.sprk_invoice[0]?.id,
      _sprk_account_value: account?.id,
      _sprk_billingaccount_value: sdapSeed.records.account[0]?.id,
      _sprk_primarycontact_value: sdapSeed.records.contact[0]?.id,
    });
  });

  it('refuses a wrong-case navigation property with 400 0x80048d19 and the undeclared-property message', async () => {
    const response = await create({ sprk_documentname: 'A.pdf', 'sprk_matter@odata.bind': `/sprk_matters(${matter?.id})` });
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('0x80048d19');
    expect(error.message).toContain("Entity :'sprk_documents'");
    expect(error.message).toContain("An undeclared property 'sprk_matter' which only has property annotations in the payload");
  });

  it('refuses an unknown bound entity set with 404 0x8006088a', async () => {
    const response = await create({ 'sprk_Matter@odata.bind': `/sprk_matter(${matter?.id})` });
    expect(response.status).toBe(404);
    expect(await errorOf(response)).toEqual({ code: '0x8006088a', message: "Resource not found for the segment 'sprk_matter'." });
  });

  it('refuses a bound record that does not exist with 404 0x80040217', async () => {
    const missing = '00000000-1111-2222-3333-444444444444';
    const response = await create({ 'sprk_Matter@odata.bind': `/sprk_matters(${missing})` });
    expect(response.status).toBe(404);
    expect(await errorOf(response)).toEqual({ code: '0x80040217', message: `sprk_matter With Id = ${missing} Does Not Exist` });
  });

  it('refuses binding a lookup to a record of another table', async () => {
    const response = await create({ 'sprk_Matter@odata.bind': `/accounts(${account?.id})` });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('0x80048d19');
  });

  it('refuses a plain lookup column with 400 0x0 Invalid property', async () => {
    const response = await create({ sprk_matter: matter?.id });
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toEqual({ code: '0x0', message: "Invalid property 'sprk_matter' was found in entity 'Microsoft.Dynamics.CRM.sprk_document'." });
  });

  it.each([
    ['malformed JSON', '{"sprk_documentname": '],
    ['an array', '[1,2]'],
    ['an empty body', ''],
    ['a bind that is not a string', JSON.stringify({ 'sprk_Matter@odata.bind': 42 })],
    ['a bind without a key', JSON.stringify({ 'sprk_Matter@odata.bind': '/sprk_matters' })],
    ['a wrong value type', JSON.stringify({ sprk_filesize: 'big' })],
    ['a fractional whole number', JSON.stringify({ sprk_filesize: 1.5 })],
  ])('refuses %s with 400 0x80048d19', async (_case, body) => {
    const response = await create(body);
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('0x80048d19');
  });

  it('refuses text longer than the column with 0x80044331', async () => {
    const response = await create({ sprk_documentname: 'x'.repeat(851) });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('0x80044331');
  });

  it('refuses a POST to an unknown entity set with 404 0x8006088a', async () => {
    const response = await create({ sprk_documentname: 'A.pdf' }, {}, 'sprk_document');
    expect(response.status).toBe(404);
    expect(await errorOf(response)).toEqual({ code: '0x8006088a', message: "Resource not found for the segment 'sprk_document'." });
  });

  it('refuses a body over 4 MB with 413 and the Dataverse envelope', async () => {
    const response = await create({ sprk_documentname: 'x'.repeat(5 * 1024 * 1024) });
    expect(response.status).toBe(413);
    expect((await errorOf(response)).code).toBe('0x80048d19');
  });
});

describe('record retrieve', () => {
  it('retrieves by id with an ETag and answers 304 to If-None-Match', async () => {
    const response = await request(`sprk_matters(${matter?.id})`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ sprk_matterid: matter?.id, sprk_mattername: matter?.name, sprk_containerid: matter?.containerId });
    const again = await request(`sprk_matters(${matter?.id})`, { headers: { 'If-None-Match': String(body['@odata.etag']) } });
    expect(again.status).toBe(304);
  });

  it('answers 404 0x80040217 for a missing id', async () => {
    const response = await request('sprk_matters(00000000-0000-0000-0000-000000000999)');
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe('0x80040217');
  });

  it('retrieves multiple with $select, $filter (eq/and/or), $orderby and $top', async () => {
    const response = await request(
      `accounts?$select=name,sprk_containerid&$filter=name eq 'fabrikam, inc.' or (name ne 'x' and accountid eq ${account?.id})&$orderby=name desc&$top=5`,
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { value: Array<Record<string, unknown>> };
    expect(body.value.map((row) => row.name)).toEqual(['Fabrikam, Inc.', 'Adventure Works Cycles']);
    expect(Object.keys(body.value[0] ?? {}).sort()).toEqual(['@odata.etag', 'accountid', 'name', 'sprk_containerid']);
    const top = (await (await request('contacts?$select=fullname&$orderby=fullname asc&$top=1')).json()) as { value: Array<Record<string, unknown>> };
    expect(top.value.map((row) => row.fullname)).toEqual(['Andrew Fuller']);
  });

  it('pages with Prefer: odata.maxpagesize and follows @odata.nextLink to the end', async () => {
    const names: string[] = [];
    let url: string | undefined = `${api()}/leads?$select=fullname&$orderby=fullname`;
    let pages = 0;
    while (url !== undefined) {
      const response = await fetch(url, { headers: { Authorization: `Bearer ${token}`, Prefer: 'odata.maxpagesize=1' } });
      expect(response.headers.get('preference-applied')).toBe('odata.maxpagesize=1');
      const body = (await response.json()) as { value: Array<{ fullname: string }>; '@odata.nextLink'?: string };
      names.push(...body.value.map((row) => row.fullname));
      url = body['@odata.nextLink'];
      pages++;
    }
    expect(pages).toBe(2);
    expect(names).toEqual(['Margaret Peacock', 'Steven Buchanan']);
    expect((await request('leads?$skiptoken=forged')).status).toBe(400);
  });

  it('filters documents by lookup value and string functions', async () => {
    const response = await request(`sprk_documents?$select=sprk_documentname&$filter=_sprk_matter_value eq ${matter?.id} and startswith(sprk_documentname,'A')`);
    const body = (await response.json()) as { value: Array<Record<string, unknown>> };
    expect(body.value.length).toBeGreaterThan(0);
    expect(body.value.every((row) => String(row.sprk_documentname).startsWith('A'))).toBe(true);
  });

  it.each([
    ['accounts?$select=nope', 400, '0x0'],
    ['accounts?$filter=name eq', 400, '0x80060888'],
    ["accounts?$filter=accountid eq 'not-a-guid'", 400, '0x80060888'],
    ['accounts?$top=-1', 400, '0x80060888'],
    ['accounts?$orderby=name sideways', 400, '0x80060888'],
    ['accounts(not-a-guid)', 400, '0x80060888'],
    ['nopes', 404, '0x8006088a'],
  ])('refuses %s with %i %s', async (path, status, code) => {
    const response = await request(path);
    expect(response.status).toBe(status);
    expect((await errorOf(response)).code).toBe(code);
  });
});

describe('record update and delete', () => {
  async function newDocument(): Promise<string> {
    const response = await create({ sprk_documentname: 'U.pdf', 'sprk_Matter@odata.bind': `/sprk_matters(${matter?.id})` });
    return /\(([^)]+)\)$/.exec(response.headers.get('odata-entityid') ?? '')?.[1] ?? '';
  }

  it('updates columns and rebinds or clears lookups, honouring If-Match', async () => {
    const id = await newDocument();
    const before = (await (await request(`sprk_documents(${id})`)).json()) as Record<string, unknown>;
    const patch = (body: unknown, headers: Record<string, string> = {}) =>
      request(`sprk_documents(${id})`, { method: 'PATCH', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

    const stale = await patch({ sprk_filesize: 1 }, { 'If-Match': 'W/"1"' });
    expect(stale.status).toBe(412);
    const updated = await patch(
      { sprk_filesize: 99, 'sprk_Account@odata.bind': `/accounts(${account?.id})`, 'sprk_Matter@odata.bind': null },
      { 'If-Match': String(before['@odata.etag']), Prefer: 'return=representation' },
    );
    expect(updated.status).toBe(200);
    expect(await updated.json()).toMatchObject({ sprk_filesize: 99, _sprk_account_value: account?.id, _sprk_matter_value: null });
    const wrongCase = await patch({ 'sprk_account@odata.bind': `/accounts(${account?.id})` });
    expect(wrongCase.status).toBe(400);
    expect((await errorOf(wrongCase)).code).toBe('0x80048d19');
  });

  it('deletes a record, then answers 404 for it', async () => {
    const id = await newDocument();
    expect((await request(`sprk_documents(${id})`, { method: 'DELETE' })).status).toBe(204);
    expect((await request(`sprk_documents(${id})`)).status).toBe(404);
    const again = await request(`sprk_documents(${id})`, { method: 'DELETE' });
    expect(again.status).toBe(404);
    expect((await errorOf(again)).code).toBe('0x80040217');
  });

  it('creates on PATCH of a new id (upsert) unless If-Match is sent', async () => {
    const id = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
    const guarded = await request(`sprk_documents(${id})`, { method: 'PATCH', headers: { 'Content-Type': 'application/json', 'If-Match': '*' }, body: '{"sprk_documentname":"x"}' });
    expect(guarded.status).toBe(404);
    const upsert = await request(`sprk_documents(${id})`, { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: '{"sprk_documentname":"x"}' });
    expect(upsert.status).toBe(204);
    expect((await request(`sprk_documents(${id})`)).status).toBe(200);
  });
});

describe('WhoAmI', () => {
  it('answers the caller, business unit and organisation', async () => {
    for (const path of ['WhoAmI', 'WhoAmI()']) {
      const response = await request(path);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        '@odata.context': `${api()}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
        BusinessUnitId: sdapSeed.organization.businessUnitId,
        UserId: sdapSeed.organization.applicationUserSystemUserId,
        OrganizationId: sdapSeed.organization.organizationId,
      });
    }
  });

  it('answers POST with 404 and an empty code', async () => {
    const response = await request('WhoAmI', { method: 'POST' });
    expect(response.status).toBe(404);
    const error = await errorOf(response);
    expect(error.code).toBe('');
    expect(error.message).toBe(`No HTTP resource was found that matches the request URI '${api()}/WhoAmI'.`);
  });
});
