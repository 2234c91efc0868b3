import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sdapSeed } from '../dataverse/sdapSeed.js';
import { environment, useTestEnvironmentPerFile } from '../../test/startTestEnvironment.js';
import type { AdminClient } from './createAdminClient.js';

useTestEnvironmentPerFile();
let control: AdminClient;
let token: string;
let bffToken: string;

beforeAll(async () => {
  control = environment.admin;
  token = await environment.getClientCredentialsToken('navmap-server', 'navmap-server-secret', environment.dataverseUrl);
  bffToken = await environment.getClientCredentialsToken('navmap-e2e', 'navmap-e2e-secret', environment.bffAudience);
});
afterEach(() => control.reset({ schema: true }));

const metadataPath = "EntityDefinitions(LogicalName='sprk_document')/ManyToOneRelationships?$select=SchemaName,ReferencingEntityNavigationPropertyName,ReferencedEntity";

function dataverse(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${environment.dataverseUrl}/api/data/v9.2/${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${token}`, ...(init.headers as Record<string, string> | undefined) },
  });
}

function upload(): Promise<Response> {
  return fetch(`${environment.bffUrl}/api/obo/containers/${sdapSeed.records.sprk_matter[0]?.containerId}/files/fault.txt`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${bffToken}` },
    body: 'hello',
  });
}

describe('fault injection', () => {
  it('answers the next N metadata requests with the given status, then recovers; records are unaffected', async () => {
    // The endpoint itself, not the typed client: a created fault answers 201.
    const created = await fetch(`${environment.adminUrl}/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ target: 'metadata', kind: 'status', status: 503, count: 2 }),
    });
    expect(created.status).toBe(201);
    expect((await dataverse('WhoAmI')).status).toBe(200);
    for (let index = 0; index < 2; index++) {
      const response = await dataverse(metadataPath);
      expect(response.status).toBe(503);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('0x80040216');
    }
    expect((await dataverse(metadataPath)).status).toBe(200);
  });

  it('throttles with 429, Retry-After and 0x80072322', async () => {
    await control.addFault({ target: 'records', kind: 'throttle', retryAfterSeconds: 7, count: 1 });
    const response = await dataverse('WhoAmI');
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.json()).toEqual({
      error: { code: '0x80072322', message: 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.' },
    });
  });

  it('drops the connection without an answer on outage', async () => {
    await control.addFault({ target: 'metadata', kind: 'outage', count: 1 });
    await expect(dataverse(metadataPath)).rejects.toThrow(TypeError);
    expect((await dataverse(metadataPath)).status).toBe(200);
  });

  it('delays by latencyMs and then answers normally', async () => {
    await control.addFault({ target: 'metadata', kind: 'latency', latencyMs: 300, count: 1 });
    const started = performance.now();
    const response = await dataverse(metadataPath);
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('answers 200 with a body that is not JSON, or JSON of the wrong shape', async () => {
    await control.addFault({ target: 'metadata', kind: 'malformed', count: 1 });
    const notJson = await dataverse(metadataPath);
    expect(notJson.status).toBe(200);
    await expect(notJson.json()).rejects.toThrow(SyntaxError);
    await control.addFault({ target: 'metadata', kind: 'malformed', body: 'wrong-shape', count: 1 });
    const wrongShape = (await (await dataverse(metadataPath)).json()) as { value: Array<Record<string, unknown>> };
    expect(typeof wrongShape.value[0]?.LogicalName).toBe('number');
  });

  it('keeps a fault without count until DELETE /faults, and applies target all to the upload API', async () => {
    await control.addFault({ target: 'all', kind: 'status', status: 500 });
    expect((await dataverse('WhoAmI')).status).toBe(500);
    expect((await dataverse(metadataPath)).status).toBe(500);
    const uploadResponse = await upload();
    expect(uploadResponse.status).toBe(500);
    expect(uploadResponse.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    await control.clearFaults();
    expect((await dataverse('WhoAmI')).status).toBe(200);
    expect((await upload()).status).toBeLessThan(300);
  });

  it.each([
    [{ target: 'everything', kind: 'status' }, '`target`'],
    [{ target: 'metadata', kind: 'explode' }, '`kind`'],
    [{ target: 'metadata', kind: 'status', status: 200 }, '`status`'],
    [{ target: 'metadata', kind: 'latency', latencyMs: -1 }, '`latencyMs`'],
    [{ target: 'metadata', kind: 'status', count: 0 }, '`count`'],
    [{ target: 'metadata', kind: 'status', colour: 'red' }, '`colour`'],
    [[], 'JSON object'],
  ])('refuses the fault %j naming %s', async (spec, named) => {
    const response = await fetch(`${environment.adminUrl}/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(spec) });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await response.json()) as { detail: string }).detail).toContain(named);
  });

  it('refuses malformed JSON on the admin endpoint with 400', async () => {
    const response = await fetch(`${environment.adminUrl}/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"target":' });
    expect(response.status).toBe(400);
  });
});

describe('request counters', () => {
  it('counts every request that reaches a service, faulted or refused, until reset', async () => {
    await control.reset();
    await dataverse(metadataPath);
    await dataverse('WhoAmI');
    await fetch(`${environment.dataverseUrl}/api/data/v9.2/WhoAmI`); // 401, still counted
    await control.addFault({ target: 'metadata', kind: 'status', status: 503, count: 1 });
    await dataverse(metadataPath);
    await upload();
    expect(await control.requestCounts()).toEqual({ metadata: 2, records: 2, upload: 1, total: 5 });
    await control.reset();
    expect(await control.requestCounts()).toEqual({ metadata: 0, records: 0, upload: 0, total: 0 });
  });
});

describe('schema drift', () => {
  it('renames a navigation property in metadata and in what record create accepts', async () => {
    const renamed = await fetch(`${environment.adminUrl}/schema/relationships/sprk_matter_document`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ReferencingEntityNavigationPropertyName: 'sprk_MatterRenamed' }),
    });
    expect(renamed.status).toBe(200);
    const relationships = (await (await dataverse(`${metadataPath}&$filter=ReferencedEntity eq 'sprk_matter'`)).json()) as { value: Array<Record<string, unknown>> };
    expect(relationships.value[0]?.ReferencingEntityNavigationPropertyName).toBe('sprk_MatterRenamed');

    const bind = `/sprk_matters(${sdapSeed.records.sprk_matter[0]?.id})`;
    const create = (key: string) =>
      dataverse('sprk_documents', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ sprk_documentname: 'drift.pdf', [key]: bind }) });
    const old = await create('sprk_Matter@odata.bind');
    expect(old.status).toBe(400);
    expect(((await old.json()) as { error: { message: string } }).error.message).toContain("undeclared property 'sprk_Matter'");
    expect((await create('sprk_MatterRenamed@odata.bind')).status).toBe(204);

    await control.reset({ schema: true });
    expect((await create('sprk_Matter@odata.bind')).status).toBe(204);
  });

  it.each([
    ['nope_relationship', { ReferencingEntityNavigationPropertyName: 'x' }, 404],
    ['sprk_matter_document', { ReferencingEntityNavigationPropertyName: 'has space' }, 400],
    ['sprk_matter_document', { SchemaName: 'other' }, 400],
    ['sprk_matter_document', { ReferencingEntityNavigationPropertyName: 'sprk_Project' }, 409],
  ])('refuses PATCH %s %j with %i', async (schemaName, body, status) => {
    const response = await fetch(`${environment.adminUrl}/schema/relationships/${schemaName}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(status);
  });
});

describe('browser sessions', () => {
  it('creates a session cookie that Dataverse accepts instead of a token', async () => {
    const session = (await (await fetch(`${environment.adminUrl}/sessions`, { method: 'POST' })).json()) as { name: string; value: string };
    expect(session.name).toBe('CrmOwinAuth');
    const response = await fetch(`${environment.dataverseUrl}/api/data/v9.2/WhoAmI`, { headers: { Cookie: `${session.name}=${session.value}` } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { UserId: string }).UserId).toBe(sdapSeed.organization.testUserSystemUserId);
    const forged = await fetch(`${environment.dataverseUrl}/api/data/v9.2/WhoAmI`, { headers: { Cookie: 'CrmOwinAuth=forged' } });
    expect(forged.status).toBe(401);
  });
});
