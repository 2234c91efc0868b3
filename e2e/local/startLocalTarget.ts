/**
 * The `local` project's target: the repository's local stack (local environment + navmap-server on its BFF). Not part
 * of the installed runner (@sdap/navmap-validate): the root playwright.config.ts injects `startLocalTarget` into the
 * suite's fixtures.
 */
import { DOCUMENTS_SUBGRID, sdapSeed } from '@sdap/local-environment';
import { BFF_SCOPE, CALLER_CLIENT_ID, clientSecretOf, startLocalStack, type LocalStack } from '@sdap/local-stack';
import { credentialTokens, type LocalTargets, type ValidationTarget } from '../support/ValidationTarget.js';

/** The local stack as a target; tokens come through @azure/identity from the local identity provider, as in Azure. */
export function localTarget(stack: LocalStack): ValidationTarget {
  const { environment } = stack;
  const tokenFor = credentialTokens({
    tenantId: environment.tenantId,
    clientId: CALLER_CLIENT_ID,
    clientSecret: clientSecretOf(environment, CALLER_CLIENT_ID),
    authorityHost: environment.authorityHost,
  });
  const records = Object.fromEntries(sdapSeed.parents.map((parent) => [parent, sdapSeed.records[parent][0]?.id ?? '']));
  const lead = sdapSeed.records.lead[0];
  return {
    label: 'local environment (@sdap/local-environment)',
    orgUrl: environment.dataverseUrl,
    bffUrl: stack.bffUrl,
    bffScope: BFF_SCOPE,
    documentsSubgrid: DOCUMENTS_SUBGRID,
    records,
    ...(lead ? { unsupportedRecord: { entity: 'lead', id: lead.id } } : {}),
    formUrl: (entityName, id) => environment.formUrl(entityName, id),
    async signInIfAsked(page) {
      const username = page.locator('#username');
      if (!(await username.isVisible())) return false;
      await username.fill(environment.testUser.username);
      await page.locator('#password').fill(environment.testUser.password);
      await page.locator('#sign-in').click();
      return true;
    },
    endpointToken: () => tokenFor(`${environment.bffAudience}/.default`),
    foreignAudienceToken: () => tokenFor(`${environment.dataverseUrl}/.default`),
    local: stack,
  };
}

/**
 * Starts local stacks as targets that stop them: the `local` project's `localTargets` option.
 *
 * @example
 * const target = await localTargets.start({ identityProviderSite: 'cross-site' });
 * try { ... } finally { await target.stop(); }
 */
export const localTargets: LocalTargets = {
  async start(options = {}) {
    const stack = await startLocalStack({ ...options, navMapOnBff: true });
    return { ...localTarget(stack), local: stack, stop: () => stack.stop() };
  },
};
