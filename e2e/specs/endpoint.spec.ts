/**
 * The NavMap endpoint as deployed on the BFF (rows D2-D4, 5.1-5.3), checked against the Dataverse metadata itself,
 * never against a list kept in the test.
 */
import { expect, test } from '@playwright/test';
import { sdapSeed } from '@sdap/local-environment';
import { startLocalStack, type LocalStack } from '../support/startLocalStack.js';

let stack: LocalStack;
let bffToken: string;

test.beforeAll(async () => {
  stack = await startLocalStack();
  bffToken = await stack.environment.getClientCredentialsToken('navmap-e2e', 'navmap-e2e-secret', stack.environment.bffAudience);
});
test.afterAll(async () => {
  await stack?.stop();
});

const endpoint = () => `${stack.bffBaseUrl}/api/pcf/dataverse-navmap?v=1`;

interface NavMapBody {
  version: string;
  environment: string;
  generatedAt: string;
  parents: Record<string, { entitySet: string; lookupAttribute: string; navProperty: string; collectionNavProperty: string }>;
  errors?: Record<string, { code: string; message: string }>;
}

async function navMap(): Promise<NavMapBody> {
  const response = await fetch(endpoint(), { headers: { Authorization: `Bearer ${bffToken}` } });
  expect(response.status).toBe(200);
  return response.json() as Promise<NavMapBody>;
}

test('D2 NavMap endpoint: a valid token gets 200 with parents, version, generatedAt and environment', async () => {
  const body = await navMap();
  expect(body.version).toBe('1');
  expect(Number.isNaN(Date.parse(body.generatedAt))).toBe(false);
  expect(body.environment).toBe(stack.environment.dataverseUrl);
  expect(Object.keys(body.parents).length).toBeGreaterThan(0);
});

test('D3 all configured parents present, each in parents or in errors with a reason', async () => {
  const body = await navMap();
  for (const parent of sdapSeed.parents) {
    const served = body.parents[parent] !== undefined || body.errors?.[parent]?.message !== undefined;
    expect(served, `${parent} is in parents or errors`).toBe(true);
  }
});

test('D4 navigation property case: each navProperty equals Dataverse ReferencingEntityNavigationPropertyName', async () => {
  const body = await navMap();
  const dataverseToken = await stack.environment.getClientCredentialsToken('navmap-server', 'navmap-server-secret', stack.environment.dataverseUrl);
  const url = `${stack.environment.dataverseUrl}/api/data/v9.2/EntityDefinitions(LogicalName='sprk_document')/ManyToOneRelationships?$select=ReferencingAttribute,ReferencingEntityNavigationPropertyName`;
  const metadata = (await (await fetch(url, { headers: { Authorization: `Bearer ${dataverseToken}`, Accept: 'application/json' } })).json()) as {
    value: { ReferencingAttribute: string; ReferencingEntityNavigationPropertyName: string }[];
  };
  const byLookup = new Map(metadata.value.map((row) => [row.ReferencingAttribute, row.ReferencingEntityNavigationPropertyName]));
  for (const [parent, entry] of Object.entries(body.parents)) {
    expect(entry.navProperty, parent).toBe(byLookup.get(entry.lookupAttribute));
  }
});

test('5.1 auth required: no token gets 401 with a Bearer challenge and no metadata', async () => {
  const response = await fetch(endpoint());
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toContain('Bearer error="invalid_token"');
  const text = await response.text();
  expect(text).not.toContain('navProperty');
  expect(JSON.parse(text)).toMatchObject({ error: { code: 'unauthorized' } });
});

test('5.2 audience checked: a token for Dataverse instead of the BFF gets 401', async () => {
  const dataverseToken = await stack.environment.getClientCredentialsToken('navmap-server', 'navmap-server-secret', stack.environment.dataverseUrl);
  const response = await fetch(endpoint(), { headers: { Authorization: `Bearer ${dataverseToken}` } });
  expect(response.status).toBe(401);
  expect(await response.text()).not.toContain('navProperty');
});

test('5.3 no sensitive data: the body holds metadata only', async () => {
  const response = await fetch(endpoint(), { headers: { Authorization: `Bearer ${bffToken}` } });
  const text = await response.text();
  const secrets = stack.environment.clients.flatMap((client) => (client.clientSecret ? [client.clientSecret] : []));
  for (const secret of [...secrets, bffToken, stack.environment.testUser.password]) expect(text).not.toContain(secret);
  for (const records of Object.values(sdapSeed.records)) {
    for (const record of records) {
      expect(text).not.toContain(record.id);
      expect(text).not.toContain(record.name);
    }
  }
  const body = JSON.parse(text) as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(expect.arrayContaining(['environment', 'generatedAt', 'parents', 'version']));
  expect(Object.keys(body).every((key) => ['version', 'environment', 'childEntity', 'generatedAt', 'parents', 'errors'].includes(key))).toBe(true);
});
