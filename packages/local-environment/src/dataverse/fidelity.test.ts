import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { environment, startTestEnvironment, useTestEnvironmentPerFile } from '../../test/startTestEnvironment.js';
import { sdapSeed } from './sdapSeed.js';

useTestEnvironmentPerFile({ fidelity: { refuseUnverifiedQueries: true, metadataLagMs: 60_000 } });
let token: string;

beforeAll(async () => {
  token = await environment.getClientCredentialsToken('navmap-server', 'navmap-server-secret', environment.dataverseUrl);
});
afterEach(() => environment.admin.reset({ schema: true }));

const setFidelity = (body: unknown) =>
  fetch(`${environment.adminUrl}/fidelity`, { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${environment.dataverseUrl}/api/data/v9.2/${path}`, { headers: { Authorization: `Bearer ${token}`, ...headers } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const matterNavigation = async (headers: Record<string, string> = {}) => {
  const { body } = await get("EntityDefinitions(LogicalName='sprk_document')/ManyToOneRelationships?$select=SchemaName,ReferencingEntityNavigationPropertyName", headers);
  const rows = body.value as { SchemaName: string; ReferencingEntityNavigationPropertyName: string }[];
  return rows.find((row) => row.SchemaName === 'sprk_matter_document')?.ReferencingEntityNavigationPropertyName;
};

describe('fidelity switch refuseUnverifiedQueries', () => {
  it("refuses 'or' in a relationship collection filter with Dataverse's error shape", async () => {
    const refused = await get(
      "EntityDefinitions(LogicalName='sprk_document')/ManyToOneRelationships?$select=SchemaName&$filter=ReferencedEntity eq 'account' or ReferencedEntity eq 'contact'",
    );
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ error: { code: '0x80060888', message: expect.stringContaining("The 'or' operator is not supported in a $filter on ManyToOneRelationships") } });
  });

  it("refuses 'or' inside an expanded relationship collection too", async () => {
    const refused = await get(
      "EntityDefinitions(LogicalName='sprk_document')?$select=LogicalName&$expand=ManyToOneRelationships($select=SchemaName;$filter=ReferencedEntity eq 'account' or ReferencedEntity eq 'contact')",
    );
    expect(refused.status).toBe(400);
  });

  it("still answers 'or' on EntityDefinitions (documented) and a single comparison on relationships", async () => {
    expect((await get("EntityDefinitions?$select=LogicalName&$filter=LogicalName eq 'account' or LogicalName eq 'contact'")).status).toBe(200);
    const single = await get("EntityDefinitions(LogicalName='sprk_document')/ManyToOneRelationships?$select=SchemaName&$filter=ReferencedEntity eq 'contact'");
    expect((single.body.value as { SchemaName: string }[]).map((row) => row.SchemaName)).toEqual([
      'sprk_contact_sprk_document_PrimaryContact',
      'sprk_contact_sprk_document_Customer',
    ]);
  });

  it('answers the same query once the switch is off on the admin endpoint', async () => {
    expect((await setFidelity({ refuseUnverifiedQueries: false })).status).toBe(200);
    const answered = await get(
      "EntityDefinitions(LogicalName='sprk_document')/ManyToOneRelationships?$select=SchemaName&$filter=ReferencedEntity eq 'account' or ReferencedEntity eq 'contact'",
    );
    expect(answered.status).toBe(200);
    await setFidelity({ refuseUnverifiedQueries: true });
  });
});

describe('fidelity switch metadataLagMs', () => {
  it('shows a schema change at once only with Consistency: Strong', async () => {
    const rename = await fetch(`${environment.adminUrl}/schema/relationships/sprk_matter_document`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ReferencingEntityNavigationPropertyName: 'sprk_MatterV2' }),
    });
    expect(rename.status).toBe(200);
    expect(await matterNavigation()).toBe('sprk_Matter');
    expect(await matterNavigation({ Consistency: 'Strong' })).toBe('sprk_MatterV2');
  });

  it('shows it without the header once the lag has passed', async () => {
    await setFidelity({ metadataLagMs: 300 });
    await new Promise((resolve) => setTimeout(resolve, 350)); // the previous test's rename and reset settle
    await fetch(`${environment.adminUrl}/schema/relationships/sprk_matter_document`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ReferencingEntityNavigationPropertyName: 'sprk_MatterV3' }),
    });
    expect(await matterNavigation()).toBe(sdapSeed.relationships.find((row) => row.schemaName === 'sprk_matter_document')?.referencingEntityNavigationPropertyName);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await matterNavigation()).toBe('sprk_MatterV3');
    await setFidelity({ metadataLagMs: 60_000 });
  });

  it('refuses a bad switch on the admin endpoint, naming it', async () => {
    const response = await setFidelity({ metadataLagMs: -1 });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toContain('`metadataLagMs`');
    const unknown = await setFidelity({ lag: 5 });
    expect(((await unknown.json()) as { detail: string }).detail).toContain('`lag`');
  });

  it('refuses a bad switch at start with invalid_config', async () => {
    await expect(startTestEnvironment({ fidelity: { metadataLagMs: 'slow' as never } })).rejects.toMatchObject({ code: 'invalid_config', message: expect.stringContaining('`metadataLagMs`') });
  });
});
