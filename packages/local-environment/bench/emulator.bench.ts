// Measures the local environment's own latency over real sockets, so e2e timings can be read against it.
// Run: npm run bench -w @sdap/local-environment
import { resolveNavMap } from '@sdap/navmap-sdk/server';
import { startLocalEnvironment } from '../src/startLocalEnvironment.js';
import { sdapSeed } from '../src/dataverse/sdapSeed.js';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function measure(name: string, runs: number, task: () => Promise<unknown>): Promise<void> {
  for (let index = 0; index < 5; index++) await task();
  const times: number[] = [];
  for (let index = 0; index < runs; index++) {
    const started = performance.now();
    await task();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  console.log(`${name.padEnd(44)} n=${String(runs).padEnd(4)} p50 ${percentile(times, 50).toFixed(2)} ms  p95 ${percentile(times, 95).toFixed(2)} ms  max ${(times.at(-1) ?? 0).toFixed(2)} ms`);
}

const environment = await startLocalEnvironment();
try {
  const token = await environment.getClientCredentialsToken('navmap-server', 'navmap-server-secret', environment.dataverseUrl);
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const api = `${environment.dataverseUrl}/api/data/v9.2`;
  const matterId = sdapSeed.records.sprk_matter[0]?.id;

  await measure('client-credentials token (https POST)', 50, () =>
    environment.getClientCredentialsToken('navmap-e2e', 'navmap-e2e-secret', environment.bffAudience),
  );
  await measure('GET ManyToOneRelationships ($select,$filter)', 200, async () => {
    const response = await fetch(
      `${api}/EntityDefinitions(LogicalName='sprk_document')/ManyToOneRelationships?$select=SchemaName,ReferencingEntityNavigationPropertyName&$filter=ReferencedEntity eq 'sprk_matter' or ReferencedEntity eq 'account'`,
      { headers },
    );
    await response.arrayBuffer();
  });
  await measure('POST sprk_documents with bind (204)', 200, async () => {
    const response = await fetch(`${api}/sprk_documents`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ sprk_documentname: 'bench.pdf', 'sprk_Matter@odata.bind': `/sprk_matters(${matterId})` }),
    });
    await response.arrayBuffer();
  });
  await measure('resolveNavMap, 5 parents (2 requests)', 50, () =>
    resolveNavMap({
      dataverseUrl: environment.dataverseUrl,
      childEntity: 'sprk_document',
      parents: sdapSeed.navMapParents,
      getToken: () => token,
    }),
  );
} finally {
  await environment.stop();
}
