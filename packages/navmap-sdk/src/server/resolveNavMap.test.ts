import { describe, expect, it } from 'vitest';
import { createFakeDataverseFetch, sdapSchema, type FakeAnswer } from '../../test/fakeDataverse.js';
import type { NavMapError } from '../contract/NavMapError.js';
import { resolveNavMap } from './resolveNavMap.js';
import type { ResolveNavMapOptions } from './resolveNavMapOptions.js';

const NOW = new Date('2026-11-27T10:00:00.000Z');

function options(overrides: Partial<ResolveNavMapOptions> = {}, fake = createFakeDataverseFetch()): ResolveNavMapOptions {
  return {
    dataverseUrl: 'https://org.crm.dynamics.com',
    childEntity: 'sprk_document',
    parents: ['sprk_matter'],
    getToken: () => 'token-123',
    fetch: fake.fetch,
    now: () => NOW,
    ...overrides,
  };
}

async function rejection(promise: Promise<unknown>): Promise<NavMapError> {
  try {
    await promise;
  } catch (error) {
    return error as NavMapError;
  }
  throw new Error('expected a rejection');
}

describe('resolveNavMap', () => {
  it('resolves the Matter lookup with the exact-case navigation property', async () => {
    const map = await resolveNavMap(options());
    expect(map).toEqual({
      version: '1',
      environment: 'https://org.crm.dynamics.com',
      childEntity: 'sprk_document',
      generatedAt: '2026-11-27T10:00:00.000Z',
      parents: {
        sprk_matter: {
          entitySet: 'sprk_matters',
          lookupAttribute: 'sprk_matter',
          navProperty: 'sprk_Matter',
          collectionNavProperty: 'sprk_matter_document',
        },
      },
      errors: {},
    });
  });

  it('resolves every sdap parent, naming the account relationship, and reports the rest', async () => {
    const map = await resolveNavMap(
      options({
        parents: [
          'sprk_matter',
          'sprk_project',
          'sprk_invoice',
          { entity: 'account', relationship: 'sprk_account_sprk_document' },
          'contact',
          'lead',
          'sprk_nonexistent',
        ],
      }),
    );
    expect(Object.keys(map.parents)).toEqual(['sprk_matter', 'sprk_project', 'sprk_invoice', 'account', 'contact']);
    expect(map.parents.sprk_project).toEqual({
      entitySet: 'sprk_projects',
      lookupAttribute: 'sprk_project',
      navProperty: 'sprk_Project',
      collectionNavProperty: 'sprk_Project_Document_1n',
    });
    expect(map.parents.account?.navProperty).toBe('sprk_Account');
    expect(map.parents.contact?.entitySet).toBe('contacts');
    expect(map.errors?.lead?.code).toBe('parent_not_related');
    expect(map.errors?.lead?.message).toContain("'lead'");
    expect(map.errors?.sprk_nonexistent?.code).toBe('entity_not_found');
  });

  it('reports ambiguous_relationship with the candidates when a parent has two lookups', async () => {
    const map = await resolveNavMap(options({ parents: ['account'] }));
    expect(map.parents).toEqual({});
    expect(map.errors?.account?.code).toBe('ambiguous_relationship');
    expect(map.errors?.account?.message).toContain('sprk_account_sprk_document (lookup sprk_account)');
    expect(map.errors?.account?.message).toContain('sprk_document_BillingAccount_account (lookup sprk_billingaccount)');
  });

  it('picks the lookup named by lookupAttribute', async () => {
    const map = await resolveNavMap(options({ parents: [{ entity: 'account', lookupAttribute: 'sprk_billingaccount' }] }));
    expect(map.parents.account).toEqual({
      entitySet: 'accounts',
      lookupAttribute: 'sprk_billingaccount',
      navProperty: 'sprk_BillingAccount',
      collectionNavProperty: 'sprk_document_BillingAccount_account',
    });
  });

  it('does not fall back to another relationship when the configured one does not exist', async () => {
    const map = await resolveNavMap(options({ parents: [{ entity: 'sprk_matter', relationship: 'sprk_matter_sprk_document' }] }));
    expect(map.errors?.sprk_matter?.code).toBe('parent_not_related');
    expect(map.errors?.sprk_matter?.message).toContain("relationship 'sprk_matter_sprk_document'");
    expect(map.errors?.sprk_matter?.message).toContain('sprk_matter_document (lookup sprk_matter)');
  });

  it('resolves lower-case system lookups as they are', async () => {
    const map = await resolveNavMap(options({ parents: ['businessunit'] }));
    expect(map.parents.businessunit).toEqual({
      entitySet: 'businessunits',
      lookupAttribute: 'owningbusinessunit',
      navProperty: 'owningbusinessunit',
      collectionNavProperty: 'business_unit_sprk_document',
    });
  });

  it('reports ambiguity among system lookups to systemuser instead of guessing', async () => {
    const map = await resolveNavMap(options({ parents: ['systemuser'] }));
    expect(map.errors?.systemuser?.code).toBe('ambiguous_relationship');
  });

  it.each([1, 5, 50])('sends exactly 2 requests, in parallel, for %i parents', async (count) => {
    const schema = sdapSchema();
    const parents: string[] = [];
    for (let index = 0; index < count; index++) {
      const entity = `sprk_parent${index}`;
      parents.push(entity);
      schema.entities[entity] = { EntitySetName: `${entity}s` };
      schema.relationships.sprk_document?.push({
        SchemaName: `sprk_${entity}_document`,
        ReferencingAttribute: entity,
        ReferencedEntity: entity,
        ReferencingEntityNavigationPropertyName: `sprk_Parent${index}`,
        ReferencedEntityNavigationPropertyName: `sprk_${entity}_document`,
      });
    }
    let inFlight = 0;
    let maxInFlight = 0;
    const fake = createFakeDataverseFetch(schema);
    const slowFetch: typeof fetch = async (input, init) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 10));
      inFlight--;
      return fake.fetch(input, init);
    };
    const map = await resolveNavMap(options({ parents, fetch: slowFetch }));
    expect(Object.keys(map.parents)).toHaveLength(count);
    expect(fake.requests).toHaveLength(2);
    expect(maxInFlight).toBe(2);
  });

  it('sends the bearer token and the OData headers; relationships with $select only, parents in one filter', async () => {
    const fake = createFakeDataverseFetch();
    await resolveNavMap(options({ parents: ['sprk_matter', 'contact'] }, fake));
    for (const request of fake.requests) {
      expect(request.headers.get('authorization')).toBe('Bearer token-123');
      expect(request.headers.get('accept')).toBe('application/json');
      expect(request.headers.get('odata-maxversion')).toBe('4.0');
      expect(request.headers.get('odata-version')).toBe('4.0');
      expect(request.headers.get('consistency')).toBeNull();
    }
    const urls = fake.requests.map((request) => decodeURIComponent(request.url)).sort();
    expect(urls).toEqual([
      "https://org.crm.dynamics.com/api/data/v9.2/EntityDefinitions(LogicalName='sprk_document')/ManyToOneRelationships?$select=SchemaName,ReferencingAttribute,ReferencedEntity,ReferencingEntityNavigationPropertyName,ReferencedEntityNavigationPropertyName",
      "https://org.crm.dynamics.com/api/data/v9.2/EntityDefinitions?$select=LogicalName,EntitySetName&$filter=LogicalName eq 'sprk_matter' or LogicalName eq 'contact'",
    ]);
  });

  it("sends Consistency: Strong on both requests with consistency 'strong'", async () => {
    const fake = createFakeDataverseFetch();
    await resolveNavMap(options({ parents: ['sprk_matter'], consistency: 'strong' }, fake));
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests.map((request) => request.headers.get('consistency'))).toEqual(['Strong', 'Strong']);
  });

  it('refuses an unknown consistency with invalid_config', async () => {
    const error = await rejection(resolveNavMap(options({ consistency: 'fresh' as never })));
    expect(error.code).toBe('invalid_config');
    expect(error.message).toContain('`consistency`');
  });

  it('reports both targets of a multi-table (customer) lookup as ambiguous unless one is configured', async () => {
    const schema = sdapSchema();
    // A customer lookup has one relationship per target, each with its own navigation property (<SchemaName>_<target>).
    schema.relationships.sprk_document?.push(
      {
        SchemaName: 'sprk_document_customer_account',
        ReferencingAttribute: 'sprk_customer',
        ReferencedEntity: 'account',
        ReferencingEntityNavigationPropertyName: 'sprk_Customer_account',
        ReferencedEntityNavigationPropertyName: 'sprk_document_customer_account',
      },
      {
        SchemaName: 'sprk_document_customer_contact',
        ReferencingAttribute: 'sprk_customer',
        ReferencedEntity: 'contact',
        ReferencingEntityNavigationPropertyName: 'sprk_Customer_contact',
        ReferencedEntityNavigationPropertyName: 'sprk_document_customer_contact',
      },
    );
    const ambiguous = await resolveNavMap(options({ parents: ['contact'] }, createFakeDataverseFetch(schema)));
    expect(ambiguous.errors?.contact?.code).toBe('ambiguous_relationship');
    expect(ambiguous.errors?.contact?.message).toContain('sprk_contact_document (lookup sprk_contact)');
    expect(ambiguous.errors?.contact?.message).toContain('sprk_document_customer_contact (lookup sprk_customer)');
    const configured = await resolveNavMap(
      options(
        {
          parents: [
            { entity: 'account', relationship: 'sprk_document_customer_account' },
            { entity: 'contact', relationship: 'sprk_contact_document' },
          ],
        },
        createFakeDataverseFetch(schema),
      ),
    );
    expect(configured.parents.account?.navProperty).toBe('sprk_Customer_account');
    expect(configured.parents.contact?.navProperty).toBe('sprk_Contact');
    expect(configured.errors).toEqual({});
  });

  it('answers an empty parent list with an empty map after checking the child exists', async () => {
    const fake = createFakeDataverseFetch();
    const map = await resolveNavMap(options({ parents: [] }, fake));
    expect(map.parents).toEqual({});
    expect(fake.requests).toHaveLength(1);
  });

  it('fails the whole call with entity_not_found when the child table does not exist', async () => {
    const error = await rejection(resolveNavMap(options({ childEntity: 'sprk_nodocument' })));
    expect(error.code).toBe('entity_not_found');
    expect(error.message).toContain("'sprk_nodocument'");
  });

  it.each([
    ['childEntity', { childEntity: "sprk_document') or (1 eq 1" }],
    ['parents[1].entity', { parents: ['sprk_matter', "x' or LogicalName ne '"] }],
    ['parents[0].entity', { parents: ['Sprk_Matter'] }],
    ['parents[0].relationship', { parents: [{ entity: 'account', relationship: "a' or 'b" }] }],
    ['parents[1].entity', { parents: ['contact', 'contact'] }],
    ['dataverseUrl', { dataverseUrl: 'org.crm.dynamics.com' }],
    ['timeoutMs', { timeoutMs: -1 }],
  ] as const)('refuses a bad %s with invalid_config before any request', async (option, overrides) => {
    const fake = createFakeDataverseFetch();
    const error = await rejection(resolveNavMap(options(overrides as Partial<ResolveNavMapOptions>, fake)));
    expect(error.code).toBe('invalid_config');
    expect(error.message).toContain(`\`${option}\``);
    expect(fake.requests).toHaveLength(0);
  });

  it('waits Retry-After on 429 and then succeeds', async () => {
    const fake = createFakeDataverseFetch(sdapSchema(), (_url, attempt): FakeAnswer | undefined =>
      attempt <= 2
        ? { status: 429, headers: { 'Retry-After': '0.05' }, body: { error: { code: '0x80072322', message: 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.' } } }
        : undefined,
    );
    const started = performance.now();
    const map = await resolveNavMap(options({ parents: ['sprk_matter'] }, fake));
    expect(map.parents.sprk_matter?.navProperty).toBe('sprk_Matter');
    expect(fake.requests).toHaveLength(4);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('gives up with dataverse_throttled after the retry limit', async () => {
    const fake = createFakeDataverseFetch(sdapSchema(), () => ({ status: 429, headers: { 'Retry-After': '0' } }));
    const error = await rejection(resolveNavMap(options({ parents: [], maxThrottleRetries: 2 }, fake)));
    expect(error.code).toBe('dataverse_throttled');
    expect(fake.requests).toHaveLength(3);
  });

  it('does not wait longer than the total wait cap', async () => {
    const fake = createFakeDataverseFetch(sdapSchema(), () => ({ status: 429, headers: { 'Retry-After': '300' } }));
    const error = await rejection(resolveNavMap(options({ parents: [] }, fake)));
    expect(error.code).toBe('dataverse_throttled');
    expect(error.details.retryAfterSeconds).toBe(300);
    expect(fake.requests).toHaveLength(1);
  });

  it('carries status, hex code and message of other Dataverse errors', async () => {
    const fake = createFakeDataverseFetch(sdapSchema(), () => ({
      status: 503,
      body: { error: { code: '0x80040216', message: 'An unexpected error occurred.' } },
    }));
    const error = await rejection(resolveNavMap(options({}, fake)));
    expect(error.code).toBe('dataverse_error');
    expect(error.details).toMatchObject({ status: 503, dataverseCode: '0x80040216' });
    expect(error.message).toContain('An unexpected error occurred.');
  });

  it('times out a request that does not answer', async () => {
    const hangingFetch: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    const error = await rejection(resolveNavMap(options({ fetch: hangingFetch, timeoutMs: 50 })));
    expect(error.code).toBe('timeout');
    expect(error.message).toContain('50 ms');
  });

  it('stops with aborted when the caller aborts', async () => {
    const controller = new AbortController();
    const hangingFetch: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    const pending = resolveNavMap(options({ fetch: hangingFetch, signal: controller.signal }));
    controller.abort();
    expect((await rejection(pending)).code).toBe('aborted');
  });

  it('reports an unreachable Dataverse as network_error', async () => {
    const error = await rejection(resolveNavMap(options({ fetch: globalThis.fetch, dataverseUrl: 'http://127.0.0.1:9' })));
    expect(error.code).toBe('network_error');
  });

  it('rejects malformed metadata with invalid_response naming the field', async () => {
    const fake = createFakeDataverseFetch(sdapSchema(), (url) =>
      url.includes('ManyToOneRelationships') ? { status: 200, body: { value: [{ SchemaName: 1 }] } } : undefined,
    );
    const error = await rejection(resolveNavMap(options({}, fake)));
    expect(error.code).toBe('invalid_response');
    expect(error.message).toContain('`value.0.SchemaName`');
  });

  it('reports a relationship without a usable navigation property for that parent only', async () => {
    const schema = sdapSchema();
    const matter = schema.relationships.sprk_document?.find((row) => row.ReferencedEntity === 'sprk_matter');
    if (matter) matter.ReferencingEntityNavigationPropertyName = null;
    const map = await resolveNavMap(options({ parents: ['sprk_matter', 'contact'] }, createFakeDataverseFetch(schema)));
    expect(map.errors?.sprk_matter?.code).toBe('invalid_response');
    expect(map.parents.contact?.navProperty).toBe('sprk_Contact');
  });

  it('turns a failing getToken into unauthorized without calling Dataverse', async () => {
    const fake = createFakeDataverseFetch();
    const error = await rejection(
      resolveNavMap(options({ getToken: () => Promise.reject(new Error('AADSTS700016')) }, fake)),
    );
    expect(error.code).toBe('unauthorized');
    expect(error.message).toContain('AADSTS700016');
    expect(fake.requests).toHaveLength(0);
  });

  it('accepts a URL that already names the Web API version', async () => {
    const fake = createFakeDataverseFetch();
    await resolveNavMap(options({ dataverseUrl: 'https://org.crm.dynamics.com/api/data/v9.1/' }, fake));
    expect(fake.requests[0]?.url.startsWith('https://org.crm.dynamics.com/api/data/v9.1/EntityDefinitions')).toBe(true);
  });
});

describe('resolveNavMap against hostile metadata', () => {
  it('serves a parent whose lookup column is not a logical name as an error of that parent only', async () => {
    const schema = sdapSchema();
    const matter = schema.relationships.sprk_document?.find((row) => row.ReferencedEntity === 'sprk_matter');
    if (matter) matter.ReferencingAttribute = 'sprk_matter\u0000\r\n<b>x</b>';
    const map = await resolveNavMap(options({ parents: ['sprk_matter', 'contact'] }, createFakeDataverseFetch(schema)));
    expect(map.errors?.sprk_matter?.code).toBe('invalid_response');
    expect(map.parents.sprk_matter).toBeUndefined();
    expect(map.parents.contact?.navProperty).toBe('sprk_Contact');
    expect(map.errors?.sprk_matter?.message).not.toContain('\r\n');
    expect(map.errors?.sprk_matter?.message).not.toContain('\u0000');
  });

  it('names a huge SchemaName in an ambiguity message quoted and cut', async () => {
    const schema = sdapSchema();
    const billing = schema.relationships.sprk_document?.find((row) => row.ReferencingAttribute === 'sprk_billingaccount');
    if (billing) billing.SchemaName = `x${'y'.repeat(1_000_000)}-`;
    const map = await resolveNavMap(options({ parents: ['account'] }, createFakeDataverseFetch(schema)));
    expect(map.errors?.account?.code).toBe('ambiguous_relationship');
    expect(map.errors?.account?.message.length).toBeLessThan(1000);
  });
});
