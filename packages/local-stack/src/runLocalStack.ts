#!/usr/bin/env node
/**
 * `npm start`: runs the local stack until Ctrl-C / SIGTERM and prints where a person can upload a file.
 * Started by scripts/start.mjs with NODE_EXTRA_CA_CERTS set to the local certificate. NAVMAP_LOCAL_PORT fixes the
 * ports (0 or unset: free ones); NAVMAP_PARENTS sets the configured parents as navmap-server reads it.
 */
import { sdapSeed } from '@sdap/local-environment';
import { readParentsVariable } from '@sdap/navmap-server';
import { startLocalStack, type LocalStack, type LocalStackOptions } from './startLocalStack.js';

const port = Number(process.env.NAVMAP_LOCAL_PORT ?? 0);
if (!Number.isInteger(port) || port < 0 || port > 65_532) {
  console.error(`NAVMAP_LOCAL_PORT must be a whole number from 0 to 65532; it is "${process.env.NAVMAP_LOCAL_PORT}".`);
  process.exit(2);
}

let stack: LocalStack;
try {
  // NAVMAP_PARENTS as navmap-server reads it; its configuration errors name the key and what it expects.
  const parents = process.env.NAVMAP_PARENTS?.trim() ? (readParentsVariable(process.env.NAVMAP_PARENTS) as LocalStackOptions['parents']) : undefined;
  stack = await startLocalStack({ port, ...(parents === undefined ? {} : { parents }) });
} catch (error) {
  console.error(`The local stack did not start: ${(error as Error).message}`);
  process.exit(2);
}
const { environment } = stack;
const matter = sdapSeed.records.sprk_matter[0];
const configured = stack.navmap.config.parents.map((parent) => parent.entity);
console.log(`NavMap local environment is running.

  Matter form (upload a file here):  ${environment.formUrl('sprk_matter', matter?.id)}
  Sign in as                          ${environment.testUser.username} / ${environment.testUser.password}
  Lead form (unsupported parent):     ${environment.formUrl('lead', sdapSeed.records.lead?.[0]?.id)}
  Contract form (${configured.includes('sprk_contract') ? 'configured' : 'not configured yet: docs/admin/add-parent-entity.md'}): ${environment.formUrl('sprk_contract', sdapSeed.records.sprk_contract?.[0]?.id)}
  NavMap parents                      ${configured.join(', ')}

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
