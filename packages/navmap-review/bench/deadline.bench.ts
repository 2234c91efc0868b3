// `npm run bench -w @sdap/navmap-review`: how long the built CLI takes when every query fails the slow ways, against
// the local Log Analytics query API. `--help` promises each query gives up after twice --timeout (at most 30 s more).
import * as dataSets from '../test/support/dataSets.js';
import { BUILT_CLI, runCliProcess } from '../test/support/runBuiltCli.js';
import { startLogsQueryApi, type DataSet } from '../test/support/startLogsQueryApi.js';

const RESOURCE = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/navmap-prod/providers/microsoft.insights/components/navmap-ai';
const TIMEOUT_SECONDS = 2;
const api = await startLogsQueryApi();
const cases: [string, DataSet][] = [
  ['every query runs past its wait (504)', dataSets.runsPastWait],
  ['every query answers 500 (retried by the client)', dataSets.failingService],
  ['every query never answers', { ...dataSets.hanging, cacheHitRate: { hang: true }, documentsByTable: { hang: true }, endpointPerformance: { hang: true }, errorsByCode: { hang: true } }],
];
try {
  console.log(`five queries, --timeout ${TIMEOUT_SECONDS} (deadline ${2 * TIMEOUT_SECONDS} s per query, ${5 * 2 * TIMEOUT_SECONDS} s for the review)`);
  for (const [name, dataSet] of cases) {
    api.use(dataSet);
    api.received.length = 0;
    const run = await runCliProcess(BUILT_CLI, ['--resource', RESOURCE, '--since', '4h', '--timeout', String(TIMEOUT_SECONDS)], {
      NODE_EXTRA_CA_CERTS: api.certPath,
      NAVMAP_REVIEW_LOGS_ENDPOINT: api.endpoint,
      NAVMAP_REVIEW_ACCESS_TOKEN: api.token,
    }, 300_000);
    console.log(`${name}: exit ${run.code}, ${(run.elapsedMs / 1000).toFixed(1)} s, ${api.received.length} requests`);
  }
} finally {
  await api.close();
}
