import { DynamicsWebApi, type RequestError } from 'dynamics-web-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { environment, useTestEnvironmentPerFile } from '../../test/startTestEnvironment.js';
import { sdapSeed, type SeedRecord } from './sdapSeed.js';

// An independent client: the dynamics-web-api npm package builds its own URLs, headers and bodies, so these tests
// check the emulator against what real client code sends, not only against our own requests.
useTestEnvironmentPerFile();
let client: DynamicsWebApi;
const matter = sdapSeed.records.sprk_matter[0] as SeedRecord;

beforeAll(async () => {
  client = new DynamicsWebApi({
    serverUrl: `${environment.dataverseUrl}/`,
    dataApi: { version: '9.2' },
    onTokenRefresh: () => environment.getClientCredentialsToken('navmap-server', 'navmap-server-secret', environment.dataverseUrl),
  });
});

async function rejection(promise: Promise<unknown>): Promise<RequestError> {
  try {
    await promise;
  } catch (error) {
    return error as RequestError;
  }
  throw new Error('expected a rejection');
}

describe('dynamics-web-api against the emulator', () => {
  it('creates a document with a correct bind and reads it back', async () => {
    const created = await client.create<Record<string, unknown>, { sprk_documentid: string; _sprk_matter_value: string }>({
      collection: 'sprk_documents',
      data: { sprk_documentname: 'dwa.pdf', sprk_filesize: 10, 'sprk_Matter@odata.bind': `/sprk_matters(${matter.id})` },
      returnRepresentation: true,
    });
    expect(created._sprk_matter_value).toBe(matter.id);
    const read = await client.retrieve<{ sprk_documentname: string; _sprk_matter_value: string }>({
      collection: 'sprk_documents',
      key: created.sprk_documentid,
      select: ['sprk_documentname', '_sprk_matter_value'],
    });
    expect(read).toMatchObject({ sprk_documentname: 'dwa.pdf', _sprk_matter_value: matter.id });
  });

  it('creates without return=representation and gets the id from OData-EntityId', async () => {
    const id = await client.create({ collection: 'sprk_documents', data: { sprk_documentname: 'plain.pdf', 'sprk_Project@odata.bind': `sprk_projects(${(sdapSeed.records.sprk_project[1] as SeedRecord).id})` } });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('surfaces the wrong-case bind as 400 0x80048d19 naming the property', async () => {
    const error = await rejection(
      client.create({ collection: 'sprk_documents', data: { sprk_documentname: 'bad.pdf', 'sprk_matter@odata.bind': `/sprk_matters(${matter.id})` } }),
    );
    expect(error.status).toBe(400);
    expect(error.code).toBe('0x80048d19');
    expect(error.message).toContain("undeclared property 'sprk_matter'");
  });

  it('surfaces a missing bound record as 404 0x80040217', async () => {
    const error = await rejection(
      client.create({ collection: 'sprk_documents', data: { 'sprk_Matter@odata.bind': '/sprk_matters(00000000-0000-0000-0000-00000000beef)' } }),
    );
    expect(error.status).toBe(404);
    expect(error.code).toBe('0x80040217');
  });

  it('reads entity metadata with $select and an expanded, filtered relationship collection', async () => {
    const entity = await client.retrieveEntity<{ LogicalName: string; ManyToOneRelationships: Array<Record<string, string>> }>({
      key: "LogicalName='sprk_document'",
      select: ['LogicalName', 'EntitySetName'],
      expand: [
        {
          property: 'ManyToOneRelationships',
          select: ['SchemaName', 'ReferencingEntityNavigationPropertyName', 'ReferencedEntity'],
          filter: "ReferencedEntity eq 'sprk_project'",
        },
      ],
    });
    expect(entity.LogicalName).toBe('sprk_document');
    expect(entity.ManyToOneRelationships).toEqual([
      { SchemaName: 'sprk_Project_Document_1n', ReferencingEntityNavigationPropertyName: 'sprk_Project', ReferencedEntity: 'sprk_project', MetadataId: '00000000-0000-0000-0000-0000000000a2' },
    ]);
  });

  it('lists one-to-many relationships through RelationshipDefinitions with the cast', async () => {
    const relationships = await client.retrieveRelationships<{ SchemaName: string }>({
      castType: 'Microsoft.Dynamics.CRM.OneToManyRelationshipMetadata',
      select: ['SchemaName', 'ReferencingEntityNavigationPropertyName'],
      filter: "ReferencedEntity eq 'contact' and ReferencingEntity eq 'sprk_document'",
    });
    expect(relationships.value.map((relationship) => relationship.SchemaName)).toEqual([
      'sprk_contact_sprk_document_PrimaryContact',
      'sprk_contact_sprk_document_Customer',
    ]);
  });

  it('surfaces an unknown table in metadata as 404 0x80040217', async () => {
    const error = await rejection(client.retrieveEntity({ key: "LogicalName='sprk_nonexistent'", select: ['LogicalName'] }));
    expect(error.status).toBe(404);
    expect(error.code).toBe('0x80040217');
  });

  it('retrieves multiple records with filter, order and top', async () => {
    const result = await client.retrieveMultiple<{ name: string }>({
      collection: 'accounts',
      select: ['name'],
      filter: "name ne 'nobody'",
      orderBy: ['name'],
      top: 1,
    });
    expect(result.value.map((row) => row.name)).toEqual(['Adventure Works Cycles']);
  });

  it('calls WhoAmI', async () => {
    const whoAmI = await client.callFunction<{ UserId: string }>({ name: 'WhoAmI' });
    expect(whoAmI.UserId).toBe(sdapSeed.organization.applicationUserSystemUserId);
  });
});
