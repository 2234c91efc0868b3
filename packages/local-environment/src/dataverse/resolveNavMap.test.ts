import { resolveNavMap } from '@sdap/navmap-sdk/server';
import { afterEach, describe, expect, it } from 'vitest';
import { environment, useTestEnvironmentPerFile } from '../../test/startTestEnvironment.js';
import { sdapSeed } from './sdapSeed.js';

// As on real Dataverse: `or` in a relationship collection filter is refused, so resolution must not use it.
useTestEnvironmentPerFile({ fidelity: { refuseUnverifiedQueries: true } });

afterEach(() => environment.admin.reset({ schema: true }));

const getToken = () => environment.getClientCredentialsToken('navmap-server', 'navmap-server-secret', environment.dataverseUrl);

describe('resolveNavMap from @sdap/navmap-sdk/server against the emulator', () => {
  it('resolves all five parents with real tokens when account and contact name their relationships; lead is not related', async () => {
    const map = await resolveNavMap({
      dataverseUrl: environment.dataverseUrl,
      childEntity: 'sprk_document',
      parents: [...sdapSeed.navMapParents, 'lead'],
      getToken,
    });
    expect(map.parents).toEqual({
      sprk_matter: { entitySet: 'sprk_matters', lookupAttribute: 'sprk_matter', navProperty: 'sprk_Matter', collectionNavProperty: 'sprk_matter_document' },
      sprk_project: { entitySet: 'sprk_projects', lookupAttribute: 'sprk_project', navProperty: 'sprk_Project', collectionNavProperty: 'sprk_Project_Document_1n' },
      sprk_invoice: { entitySet: 'sprk_invoices', lookupAttribute: 'sprk_invoiceid', navProperty: 'sprk_InvoiceId', collectionNavProperty: 'sprk_Invoice_Document' },
      account: { entitySet: 'accounts', lookupAttribute: 'sprk_account', navProperty: 'sprk_Account', collectionNavProperty: 'sprk_account_sprk_document' },
      contact: {
        entitySet: 'contacts',
        lookupAttribute: 'sprk_primarycontact',
        navProperty: 'sprk_PrimaryContact',
        collectionNavProperty: 'sprk_contact_sprk_document_PrimaryContact',
      },
    });
    expect(map.errors?.lead?.code).toBe('parent_not_related');
    expect(map.environment).toBe(environment.dataverseUrl);
  });

  it('reports account and contact as ambiguous unless their relationships are configured, listing the customer lookup', async () => {
    const map = await resolveNavMap({ dataverseUrl: environment.dataverseUrl, childEntity: 'sprk_document', parents: sdapSeed.parents, getToken });
    expect(Object.keys(map.parents).sort()).toEqual(['sprk_invoice', 'sprk_matter', 'sprk_project']);
    expect(map.errors?.account?.code).toBe('ambiguous_relationship');
    expect(map.errors?.account?.message).toContain('sprk_account_sprk_document_BillingAccount');
    expect(map.errors?.account?.message).toContain('sprk_account_sprk_document_Customer (lookup sprk_customer)');
    expect(map.errors?.contact?.code).toBe('ambiguous_relationship');
    expect(map.errors?.contact?.message).toContain('sprk_contact_sprk_document_PrimaryContact (lookup sprk_primarycontact)');
    expect(map.errors?.contact?.message).toContain('sprk_contact_sprk_document_Customer (lookup sprk_customer)');
  });

  it("resolves the customer lookup's per-target navigation properties when configuration names them", async () => {
    const { customerLookup } = sdapSeed;
    const map = await resolveNavMap({
      dataverseUrl: environment.dataverseUrl,
      childEntity: 'sprk_document',
      parents: [
        { entity: 'account', relationship: customerLookup.relationships.account },
        { entity: 'contact', relationship: customerLookup.relationships.contact },
      ],
      getToken,
    });
    expect(map.parents.account).toMatchObject({ lookupAttribute: 'sprk_customer', navProperty: 'sprk_Customer_account' });
    expect(map.parents.contact).toMatchObject({ lookupAttribute: 'sprk_customer', navProperty: 'sprk_Customer_contact' });
  });

  it('sees schema drift on the next resolution', async () => {
    await environment.admin.changeRelationship('sprk_Project_Document_1n', { ReferencingEntityNavigationPropertyName: 'sprk_ProjectV2' });
    const map = await resolveNavMap({ dataverseUrl: environment.dataverseUrl, childEntity: 'sprk_document', parents: ['sprk_project'], getToken });
    expect(map.parents.sprk_project?.navProperty).toBe('sprk_ProjectV2');
  });

  it('fails with unauthorized-looking dataverse_error 401 for a token of the wrong audience', async () => {
    await expect(
      resolveNavMap({
        dataverseUrl: environment.dataverseUrl,
        childEntity: 'sprk_document',
        parents: ['sprk_matter'],
        getToken: () => environment.getClientCredentialsToken('navmap-e2e', 'navmap-e2e-secret', environment.bffAudience),
      }),
    ).rejects.toMatchObject({ code: 'dataverse_error', details: { status: 401 } });
  });

  it('reports malformed metadata as invalid_response and retries through a throttle', async () => {
    const control = environment.admin;
    await control.addFault({ target: 'metadata', kind: 'malformed', body: 'wrong-shape', count: 2 });
    await expect(resolveNavMap({ dataverseUrl: environment.dataverseUrl, childEntity: 'sprk_document', parents: ['sprk_matter'], getToken })).rejects.toMatchObject({
      code: 'invalid_response',
    });
    await control.reset();
    await control.addFault({ target: 'metadata', kind: 'throttle', retryAfterSeconds: 0, count: 1 });
    const map = await resolveNavMap({ dataverseUrl: environment.dataverseUrl, childEntity: 'sprk_document', parents: ['sprk_matter'], getToken });
    expect(map.parents.sprk_matter?.navProperty).toBe('sprk_Matter');
    expect((await control.requestCounts()).metadata).toBe(3);
  });
});
