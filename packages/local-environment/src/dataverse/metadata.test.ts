import { beforeAll, describe, expect, it } from 'vitest';
import { environment, useTestEnvironmentPerFile } from '../../test/startTestEnvironment.js';

useTestEnvironmentPerFile();
let token: string;

beforeAll(async () => {
  token = await environment.getClientCredentialsToken('navmap-server', 'navmap-server-secret', environment.dataverseUrl);
});

async function get(path: string, version = 'v9.2'): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${environment.dataverseUrl}/api/data/${version}/${path}`, {
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', 'OData-MaxVersion': '4.0', 'OData-Version': '4.0' },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
}

const errorOf = (body: Record<string, unknown>) => body.error as { code: string; message: string };
const values = (body: Record<string, unknown>) => body.value as Array<Record<string, unknown>>;

describe('EntityDefinitions by key', () => {
  it('returns one object with the selected columns and MetadataId, with OData headers', async () => {
    const { status, body, headers } = await get("EntityDefinitions(LogicalName='sprk_document')?$select=LogicalName,EntitySetName");
    expect(status).toBe(200);
    expect(headers.get('odata-version')).toBe('4.0');
    expect(headers.get('content-type')).toMatch(/^application\/json; odata\.metadata=minimal/);
    expect(body).toEqual({
      '@odata.context': `${environment.dataverseUrl}/api/data/v9.2/$metadata#EntityDefinitions(LogicalName,EntitySetName)/$entity`,
      LogicalName: 'sprk_document',
      EntitySetName: 'sprk_documents',
      MetadataId: '00000000-0000-0000-0000-0000000000d1',
    });
  });

  it('is also addressed by MetadataId, and returns labels as Label objects without $select', async () => {
    const { status, body } = await get('EntityDefinitions(00000000-0000-0000-0000-0000000000e1)');
    expect(status).toBe(200);
    expect(body.LogicalName).toBe('sprk_matter');
    expect(body.DisplayName).toMatchObject({ UserLocalizedLabel: { Label: 'Matter', LanguageCode: 1033 } });
    expect(body).not.toHaveProperty('ManyToOneRelationships');
  });

  it('expands ManyToOneRelationships with nested $select and $filter', async () => {
    const { status, body } = await get(
      "EntityDefinitions(LogicalName='sprk_document')?$select=LogicalName&$expand=ManyToOneRelationships($select=SchemaName,ReferencingAttribute,ReferencingEntityNavigationPropertyName,ReferencedEntity,ReferencedAttribute;$filter=ReferencedEntity eq 'sprk_matter')",
    );
    expect(status).toBe(200);
    expect(body['@odata.context']).toMatch(
      /#EntityDefinitions\(LogicalName,ManyToOneRelationships\(SchemaName,ReferencingAttribute,ReferencingEntityNavigationPropertyName,ReferencedEntity,ReferencedAttribute\)\)\/\$entity$/,
    );
    expect(body.ManyToOneRelationships).toEqual([
      {
        SchemaName: 'sprk_matter_document',
        ReferencingAttribute: 'sprk_matter',
        ReferencingEntityNavigationPropertyName: 'sprk_Matter',
        ReferencedEntity: 'sprk_matter',
        ReferencedAttribute: 'sprk_matterid',
        MetadataId: '00000000-0000-0000-0000-0000000000a1',
      },
    ]);
  });

  it('answers 404 0x80040217 for an unknown table', async () => {
    const { status, body } = await get("EntityDefinitions(LogicalName='nope')");
    expect(status).toBe(404);
    expect(errorOf(body).code).toBe('0x80040217');
  });

  it('accepts v9.0 and v9.1 and refuses other versions', async () => {
    expect((await get("EntityDefinitions(LogicalName='account')?$select=LogicalName", 'v9.0')).status).toBe(200);
    expect((await get("EntityDefinitions(LogicalName='account')?$select=LogicalName", 'v9.1')).status).toBe(200);
    const other = await get("EntityDefinitions(LogicalName='account')", 'v8.2');
    expect(other.status).toBe(404);
    expect(errorOf(other.body).code).toBe('0x8006088a');
  });
});

describe('EntityDefinitions collection', () => {
  it('filters with or and returns an empty list rather than 404 for unknown names', async () => {
    const { status, body } = await get("EntityDefinitions?$select=LogicalName,EntitySetName&$filter=LogicalName eq 'account' or LogicalName eq 'sprk_project' or LogicalName eq 'nope'");
    expect(status).toBe(200);
    expect(values(body).map((row) => row.EntitySetName).sort()).toEqual(['accounts', 'sprk_projects']);
    expect((await get("EntityDefinitions?$filter=LogicalName eq 'nope'")).body.value).toEqual([]);
  });

  it('supports and, not, ne, booleans and parentheses', async () => {
    const { body } = await get("EntityDefinitions?$select=LogicalName&$filter=(IsCustomEntity eq true and LogicalName ne 'sprk_document') and not (LogicalName eq 'sprk_invoice')");
    expect(values(body).map((row) => row.LogicalName).sort()).toEqual(['sprk_contract', 'sprk_matter', 'sprk_project']);
  });
});

describe('relationship sub-paths', () => {
  it('lists the child lookups, including lower-case system lookups, filtered with eq/or', async () => {
    const { status, body } = await get(
      "EntityDefinitions(LogicalName='sprk_document')/ManyToOneRelationships?$select=ReferencingAttribute,ReferencingEntityNavigationPropertyName&$filter=ReferencingAttribute eq 'createdby' or ReferencingAttribute eq 'sprk_project'",
    );
    expect(status).toBe(200);
    expect(body['@odata.context']).toMatch(/#EntityDefinitions\('sprk_document'\)\/ManyToOneRelationships\(ReferencingAttribute,ReferencingEntityNavigationPropertyName\)$/);
    expect(values(body).map(({ MetadataId: _id, ...row }) => row)).toEqual([
      { ReferencingAttribute: 'sprk_project', ReferencingEntityNavigationPropertyName: 'sprk_Project' },
      { ReferencingAttribute: 'createdby', ReferencingEntityNavigationPropertyName: 'createdby' },
    ]);
  });

  it('finds the three account lookups (one of them the customer column), so account is ambiguous', async () => {
    const { body } = await get(
      "EntityDefinitions(LogicalName='sprk_document')/ManyToOneRelationships?$select=SchemaName,ReferencingEntityNavigationPropertyName&$filter=ReferencedEntity eq 'account' and IsCustomRelationship eq true",
    );
    expect(values(body).map((row) => row.ReferencingEntityNavigationPropertyName)).toEqual(['sprk_Account', 'sprk_BillingAccount', 'sprk_Customer_account']);
  });

  it('mirrors the relationship from the parent in OneToManyRelationships', async () => {
    const { body } = await get("EntityDefinitions(LogicalName='sprk_project')/OneToManyRelationships?$select=SchemaName,ReferencedEntityNavigationPropertyName");
    expect(values(body)).toEqual([
      { SchemaName: 'sprk_Project_Document_1n', ReferencedEntityNavigationPropertyName: 'sprk_Project_Document_1n', MetadataId: '00000000-0000-0000-0000-0000000000a2' },
    ]);
  });

  it('addresses one relationship by SchemaName key', async () => {
    const { status, body } = await get("EntityDefinitions(LogicalName='sprk_document')/ManyToOneRelationships(SchemaName='sprk_Invoice_Document')?$select=ReferencingEntityNavigationPropertyName");
    expect(status).toBe(200);
    expect(body.ReferencingEntityNavigationPropertyName).toBe('sprk_InvoiceId');
  });

  it('has no relationship from sprk_document to lead', async () => {
    const { body } = await get("EntityDefinitions(LogicalName='sprk_document')/ManyToOneRelationships?$select=SchemaName&$filter=ReferencedEntity eq 'lead'");
    expect(body.value).toEqual([]);
  });
});

describe('RelationshipDefinitions', () => {
  it('filters on ReferencedEntity with the OneToMany cast', async () => {
    const { status, body } = await get('RelationshipDefinitions/Microsoft.Dynamics.CRM.OneToManyRelationshipMetadata?$select=SchemaName&$filter=ReferencedEntity eq \'account\'');
    expect(status).toBe(200);
    expect(values(body).map((row) => row.SchemaName)).toEqual([
      'sprk_account_sprk_document',
      'sprk_account_sprk_document_BillingAccount',
      'sprk_account_sprk_document_Customer',
      'contact_customer_accounts',
    ]);
  });

  it('allows only RelationshipMetadataBase properties without the cast, and types each row', async () => {
    const refused = await get("RelationshipDefinitions?$select=SchemaName&$filter=ReferencedEntity eq 'account'");
    expect(refused.status).toBe(400);
    expect(errorOf(refused.body).message).toBe("Could not find a property named 'ReferencedEntity' on type 'Microsoft.Dynamics.CRM.RelationshipMetadataBase'.");
    const { body } = await get("RelationshipDefinitions?$select=SchemaName&$filter=SchemaName eq 'sprk_matter_document'");
    expect(values(body)).toEqual([
      { '@odata.type': '#Microsoft.Dynamics.CRM.OneToManyRelationshipMetadata', SchemaName: 'sprk_matter_document', MetadataId: '00000000-0000-0000-0000-0000000000a1' },
    ]);
  });

  it('returns the full object by SchemaName key with the cast', async () => {
    const { status, body } = await get("RelationshipDefinitions(SchemaName='sprk_matter_document')/Microsoft.Dynamics.CRM.OneToManyRelationshipMetadata");
    expect(status).toBe(200);
    expect(body).toMatchObject({
      ReferencedEntity: 'sprk_matter',
      ReferencingEntity: 'sprk_document',
      ReferencingEntityNavigationPropertyName: 'sprk_Matter',
      ReferencedEntityNavigationPropertyName: 'sprk_matter_document',
      RelationshipType: 'OneToManyRelationship',
      CascadeConfiguration: { Delete: 'RemoveLink' },
    });
    expect(String(body['@odata.context'])).toMatch(/#RelationshipDefinitions\/Microsoft\.Dynamics\.CRM\.OneToManyRelationshipMetadata\/\$entity$/);
  });
});

describe('metadata query errors', () => {
  it.each([
    ['EntityDefinitions?$top=1', '$top'],
    ['EntityDefinitions?$skip=1', '$skip'],
    ["EntityDefinitions?$orderby=LogicalName", '$orderby'],
    ["EntityDefinitions(LogicalName='sprk_document')/ManyToOneRelationships?$top=2", '$top'],
  ])('refuses %s with 400 0x80060888', async (path, option) => {
    const { status, body } = await get(path);
    expect(status).toBe(400);
    expect(errorOf(body)).toEqual({ code: '0x80060888', message: `The query parameter ${option} is not supported` });
  });

  it.each(['startswith', 'contains', 'endswith'])('refuses the %s function with 0x8006088a', async (name) => {
    const { status, body } = await get(`EntityDefinitions?$filter=${name}(LogicalName,'sprk')`);
    expect(status).toBe(501);
    expect(errorOf(body)).toEqual({ code: '0x8006088a', message: `The "${name}" function isn't supported for Metadata Entities` });
  });

  it('refuses tolower inside a comparison', async () => {
    const { body } = await get("EntityDefinitions?$filter=tolower(LogicalName) eq 'account'");
    expect(errorOf(body).code).toBe('0x8006088a');
  });

  it('refuses an unknown $select property naming the type', async () => {
    const { status, body } = await get("EntityDefinitions(LogicalName='account')?$select=LogicalName,Nope");
    expect(status).toBe(400);
    expect(errorOf(body).message).toBe("Could not find a property named 'Nope' on type 'Microsoft.Dynamics.CRM.EntityMetadata'.");
  });

  it.each([
    "LogicalName eq",
    "LogicalName eq 'a' or",
    "((LogicalName eq 'a')",
    "LogicalName eq 'a')",
    "LogicalName eq 'a' garbage",
    'LogicalName eq "a"',
    "LogicalName eq 'unterminated",
    "LogicalName 'a'",
    'eq eq eq',
    "LogicalName eq 'a';drop",
    '',
  ])('refuses the malformed filter %j with 400 0x80060888', async (filter) => {
    const { status, body } = await get(`EntityDefinitions?$filter=${encodeURIComponent(filter)}`);
    expect(status).toBe(400);
    expect(errorOf(body).code).toBe('0x80060888');
  });

  it('refuses comparisons of incompatible types', async () => {
    const { status, body } = await get("EntityDefinitions?$filter=IsCustomEntity eq 'true'");
    expect(status).toBe(400);
    expect(errorOf(body).message).toMatch(/incompatible types.*'Edm.Boolean' and 'Edm.String'/);
  });

  it('refuses unknown or nested-option expands', async () => {
    expect(errorOf((await get("EntityDefinitions(LogicalName='account')?$expand=Nope")).body).message).toMatch(/property named 'Nope'/);
    const nested = await get("EntityDefinitions(LogicalName='account')?$expand=OneToManyRelationships($top=1)");
    expect(nested.status).toBe(400);
    expect(errorOf(nested.body).code).toBe('0x80060888');
  });

  it('refuses unknown query options and repeated ones', async () => {
    expect(errorOf((await get('EntityDefinitions?$foo=1')).body).message).toBe('The query parameter $foo is not supported');
    expect((await get('EntityDefinitions?$select=LogicalName&$select=SchemaName')).status).toBe(400);
  });

  it('answers 404 0x8006088a for unknown segments', async () => {
    const { status, body } = await get("EntityDefinitions(LogicalName='account')/Nope");
    expect(status).toBe(404);
    expect(errorOf(body)).toEqual({ code: '0x8006088a', message: "Resource not found for the segment 'Nope'." });
  });
});
