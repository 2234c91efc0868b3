#!/usr/bin/env node
/**
 * `npm start`: runs the local stack until Ctrl-C / SIGTERM and prints where a person can upload a file.
 * Started by scripts/start.mjs with NODE_EXTRA_CA_CERTS set to the local certificate. NAVMAP_LOCAL_PORT fixes the
 * ports (0 or unset: free ones); NAVMAP_PARENTS sets the configured parents as navmap-server reads it.
 * Shaped like a deployment (`npm run e2e:rehearse`): NAVMAP_LOCAL_SIGN_IN=entra (Entra ID-shaped sign-in on
 * login.localhost), NAVMAP_LOCAL_TOTP_SECRET=<base32> (the test user enrolled in TOTP), NAVMAP_LOCAL_BFF_HTTPS=true.
 * NAVMAP_LOCAL_IDENTITY_PROVIDER_SITE=cross-site puts the plain sign-in on 127.0.0.1, another site than the forms.
 */
import { sdapSeed } from '@sdap/local-environment';
import { readParentsVariable } from '@sdap/navmap-server';
import { CALLER_CLIENT_ID } from './navMapServerConfig.js';
import { startLocalStack, type LocalStack, type LocalStackOptions } from './startLocalStack.js';

const port = Number(process.env.NAVMAP_LOCAL_PORT ?? 0);
if (!Number.isInteger(port) || port < 0 || port > 65_532) {
  console.error(`NAVMAP_LOCAL_PORT must be a whole number from 0 to 65532; it is "${process.env.NAVMAP_LOCAL_PORT}".`);
  process.exit(2);
}

/** The deployment-shaped switches from NAVMAP_LOCAL_SIGN_IN, NAVMAP_LOCAL_TOTP_SECRET and NAVMAP_LOCAL_BFF_HTTPS. */
function deploymentOptions(env: NodeJS.ProcessEnv): NonNullable<LocalStackOptions['deployment']> {
  const signIn = env.NAVMAP_LOCAL_SIGN_IN?.trim() || 'plain';
  if (signIn !== 'plain' && signIn !== 'entra') throw new Error(`NAVMAP_LOCAL_SIGN_IN must be "plain" or "entra"; it is "${signIn}".`);
  const https = env.NAVMAP_LOCAL_BFF_HTTPS?.trim() || 'false';
  if (https !== 'true' && https !== 'false') throw new Error(`NAVMAP_LOCAL_BFF_HTTPS must be "true" or "false"; it is "${https}".`);
  const totpSecret = env.NAVMAP_LOCAL_TOTP_SECRET?.trim();
  return { signInPages: signIn, bffProtocol: https === 'true' ? 'https' : 'http', ...(totpSecret ? { totpSecret } : {}) };
}

let stack: LocalStack;
try {
  // NAVMAP_PARENTS as navmap-server reads it; its configuration errors name the key and what it expects.
  const parents = process.env.NAVMAP_PARENTS?.trim() ? (readParentsVariable(process.env.NAVMAP_PARENTS) as LocalStackOptions['parents']) : undefined;
  const identityProviderSite = process.env.NAVMAP_LOCAL_IDENTITY_PROVIDER_SITE?.trim() || undefined;
  if (identityProviderSite !== undefined && identityProviderSite !== 'same-site' && identityProviderSite !== 'cross-site') {
    throw new Error(`NAVMAP_LOCAL_IDENTITY_PROVIDER_SITE must be "same-site" or "cross-site"; it is "${identityProviderSite}".`);
  }
  stack = await startLocalStack({
    port,
    ...(parents === undefined ? {} : { parents }),
    ...(identityProviderSite === undefined ? {} : { identityProviderSite }),
    deployment: deploymentOptions(process.env),
  });
} catch (error) {
  console.error(`The local stack did not start: ${(error as Error).message}`);
  process.exit(2);
}
const { environment } = stack;
const matter = sdapSeed.records.sprk_matter[0];
const configured = stack.navmap.config.parents.map((parent) => parent.entity);
// The endpoint checks' caller (app role NavMap.Read), by its GUID app id as Entra ID names apps.
const qaClient = environment.clients.find((client) => client.clientId === CALLER_CLIENT_ID);
console.log(`NavMap local environment is running.

  Matter form (upload a file here):  ${environment.formUrl('sprk_matter', matter?.id)}
  Sign in as                          ${environment.testUser.username} / ${environment.testUser.password}${environment.testUser.totpSecret ? ' + the code of an authenticator app with the secret given in NAVMAP_LOCAL_TOTP_SECRET' : ''}
  QA client (NavMap.Read)             ${qaClient?.appId ?? '(none)'} / ${qaClient?.clientSecret ?? ''}
  Lead form (unsupported parent):     ${environment.formUrl('lead', sdapSeed.records.lead?.[0]?.id)}
  Contract form (${configured.includes('sprk_contract') ? 'configured' : 'not configured yet: docs/admin/add-parent-entity.md'}): ${environment.formUrl('sprk_contract', sdapSeed.records.sprk_contract?.[0]?.id)}
  NavMap parents                      ${configured.join(', ')}
  Solution imported (ImportSolution)  ${stack.solution.uniqueName} ${stack.solution.version}: ${[...stack.solution.controls.map((control) => control.name), ...stack.solution.webResources.map((resource) => resource.name)].join(', ')}
  Control's SPA redirect URI          ${stack.controlRedirectUris.join(', ')}

  Dataverse Web API                   ${environment.dataverseUrl}/api/data/v9.2
  BFF (upload API + NavMap endpoint)  ${stack.bffUrl}/api/pcf/dataverse-navmap?v=1
  Identity provider                   ${environment.issuer}
  Admin (faults, counters)            ${environment.adminUrl}

The certificate is self-signed (${environment.caCertificatePath}); your browser will ask you to accept it.
Press Ctrl-C to stop.`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log('Stopping...');
    void stack.stop().then(() => process.exit(0));
  });
}
