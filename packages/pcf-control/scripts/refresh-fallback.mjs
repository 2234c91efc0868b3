#!/usr/bin/env node
// Regenerates UniversalQuickCreate/navmap.fallback.json, the map the control bundles as its last layer, exactly the
// way an operator would for a real environment: `navmap-server snapshot` against the (local) Dataverse.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalEnvironment } from '@sdap/local-environment';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'UniversalQuickCreate', 'navmap.fallback.json');
const cli = createRequire(import.meta.url).resolve('@sdap/navmap-server/package.json').replace(/package\.json$/, 'dist/cli.js');

const environment = await startLocalEnvironment({ port: 0 });
const folder = mkdtempSync(join(tmpdir(), 'navmap-snapshot-'));
try {
  const server = environment.clients.find((client) => client.clientId === 'navmap-server');
  const configFile = join(folder, 'navmap.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      environmentName: 'bundled-fallback',
      dataverse: {
        url: environment.dataverseUrl,
        auth: { kind: 'clientSecret', tenantId: environment.tenantId, clientId: server.clientId, clientSecret: server.clientSecret, authorityHost: environment.authorityHost },
      },
      childEntity: 'sprk_document',
      parents: ['sprk_matter', 'sprk_project', 'sprk_invoice', { entity: 'account', relationship: 'sprk_account_sprk_document' }, 'contact'],
      auth: { issuer: environment.issuer, audience: environment.bffAudience },
    }),
  );
  // Not spawnSync: the local environment runs in this process and must keep answering while the CLI works.
  const child = spawn(process.execPath, [cli, 'snapshot', '--config', configFile, '--out', out], {
    stdio: 'inherit',
    env: { ...process.env, NODE_EXTRA_CA_CERTS: environment.caCertificatePath },
  });
  const [status] = await once(child, 'exit');
  if (status !== 0) process.exitCode = status ?? 1;
} finally {
  rmSync(folder, { recursive: true, force: true });
  await environment.stop();
}
