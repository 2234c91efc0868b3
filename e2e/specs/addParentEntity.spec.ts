/**
 * docs/admin/add-parent-entity.md, followed on the local environment: a sixth parent table (Contract) exists in
 * Dataverse but not in the NavMap configuration; the admin finds its relationship in the metadata, adds it to
 * NAVMAP_PARENTS, restarts `npm start`, and a user uploads on a Contract form.
 */
import { sdapSeed } from '@sdap/local-environment';
import { runLocalStackProcess } from '@sdap/local-stack';
import { SDAP_NAVMAP_PARENTS } from '@sdap/local-stack';
import { expect, test } from '../fixtures.js';
import { ModelDrivenForm, testFile } from '../pages/ModelDrivenForm.js';

const contract = sdapSeed.addableParent;
const contractId = sdapSeed.records.sprk_contract[0]?.id as string;

test('a sixth parent added by following the admin guide: unsupported before, uploads linked after the restart', async ({ browser, localStack, target }) => {
  void localStack; // local only: a deployed server's configuration is not the test's to change
  test.setTimeout(180_000);
  const formOn = async (stackOutput: { url(label: string): string }) => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const contractUrl = stackOutput.url('Contract form');
    const orgUrl = new URL(contractUrl).origin;
    // The same test user signs in on the new stack; its forms and Web API are on the new stack's origin.
    const form = new ModelDrivenForm(await context.newPage(), {
      label: orgUrl,
      orgUrl,
      bffUrl: stackOutput.url('BFF'),
      bffScope: target.bffScope,
      documentsSubgrid: target.documentsSubgrid,
      records: { [contract.entity]: contractId },
      formUrl: () => contractUrl,
      signInIfAsked: (page) => target.signInIfAsked(page),
      endpointToken: () => target.endpointToken(),
      foreignAudienceToken: () => target.foreignAudienceToken(),
    });
    return { context, form };
  };

  // Before: the default configuration (five parents).
  const before = await runLocalStackProcess({ env: { NAVMAP_LOCAL_PORT: '0' } });
  try {
    expect(before.output).toContain('not configured yet');
    const { context, form } = await formOn(before);
    await form.open(contract.entity, contractId);
    await expect(form.blocker()).toContainText(`parent \`${contract.entity}\``);

    // Step (a): the relationship's SchemaName, from the metadata, as the guide's query reads it.
    const relationships = await form.webApiGet<{ value: { SchemaName: string; ReferencingAttribute: string; ReferencingEntityNavigationPropertyName: string }[] }>(
      `EntityDefinitions(LogicalName='sprk_document')/ManyToOneRelationships?$filter=ReferencedEntity eq '${contract.entity}'&$select=SchemaName,ReferencingAttribute,ReferencingEntityNavigationPropertyName`,
    );
    expect(relationships.value).toEqual([
      expect.objectContaining({ SchemaName: contract.relationship, ReferencingAttribute: contract.lookupAttribute, ReferencingEntityNavigationPropertyName: contract.navProperty }),
    ]);
    await context.close();
  } finally {
    await before.stop();
  }

  // Steps (b) and (c): the parent added to NAVMAP_PARENTS, then a restart.
  const parents = [...SDAP_NAVMAP_PARENTS, { entity: contract.entity, relationship: contract.relationship }];
  const after = await runLocalStackProcess({ env: { NAVMAP_LOCAL_PORT: '0', NAVMAP_PARENTS: JSON.stringify(parents) } });
  try {
    expect(after.output).toMatch(/Contract form \(configured\)/);
    const { context, form } = await formOn(after);
    const binds: string[] = [];
    form.page.on('console', (message) => {
      if (message.text().includes('@odata.bind')) binds.push(message.text());
    });
    // Step (d) is the form host's: every table's form hosts the control. Step (f): an upload on the new parent.
    await form.open(contract.entity, contractId);
    await expect(form.blocker()).toHaveCount(0);
    const [id] = await form.upload([testFile('Contract schedule.pdf', 2_048)]);
    const record = await form.retrieve('sprk_document', id as string, `?$select=_${contract.lookupAttribute}_value`);
    expect(record[`_${contract.lookupAttribute}_value`]).toBe(contractId);
    expect(binds.some((line) => line.includes(`'${contract.navProperty}@odata.bind'`))).toBe(true);
    await context.close();
  } finally {
    await after.stop();
  }
});
