/**
 * `npm run bench -w @sdap/local-stack`: several navmap-server instances behind a load balancer, as App Service scale-out
 * or Kubernetes replicas run them. Three navmap-server processes (createServer in forked processes), each with its
 * own cache, behind a round-robin http-proxy-3 proxy on loopback that retries a connect error on the next instance.
 *
 * Prints, from one run:
 * a. the 304 rate of revalidations sent after every instance refreshed (nothing changed in Dataverse);
 * b. Dataverse requests per TTL window, per instance and for the fleet;
 * c. p50/p99 of one instance without the proxy (reference), through the proxy with all instances up, and with one
 *    instance stopped mid-run (retried and lost requests); `NAVMAP_BENCH_LOAD_SECONDS` sets each load's length (default 8).
 */
import { cpus } from 'node:os';
import { runTrustingLocalCertificate } from '@sdap/local-environment';
import autocannon from 'autocannon';
import { startLocalStack } from '../src/index.js';
import { startNavMapFleet } from '../test/support/navMapFleet.js';
import { sleep } from '../test/support/waitFor.js';

const INSTANCES = 3;
const TTL_SECONDS = 2;
const REFRESH_AHEAD_SECONDS = 1;
const REVALIDATIONS = 300;
const COUNT_WINDOWS = 5;
const LOAD_SECONDS = Number(process.env.NAVMAP_BENCH_LOAD_SECONDS ?? 8);
const CONNECTIONS = 20;

const format = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

async function main(): Promise<void> {
  const stack = await startLocalStack({ navMapOnBff: false });
  const headers = { Authorization: `Bearer ${await stack.callerToken()}` };
  // The rate limiter on (with a limit the load never reaches), as a deployment runs it.
  const fleet = await startNavMapFleet(
    stack.serverConfig({
      logLevel: 'warn',
      rateLimit: { enabled: true, windowSeconds: 60, max: 1_000_000 },
      cache: { ttlSeconds: TTL_SECONDS, refreshAheadSeconds: REFRESH_AHEAD_SECONDS },
    }),
    INSTANCES,
  );
  const { instances, proxy } = fleet;
  const endpoint = `${proxy.url}/api/pcf/dataverse-navmap?v=1`;
  console.log(
    `NavMap server bench, several instances: ${INSTANCES} navmap-server processes behind a round-robin http-proxy-3 proxy, ` +
      `TTL ${TTL_SECONDS} s, refresh ${REFRESH_AHEAD_SECONDS} s ahead; ${cpus().length} CPU(s), Node ${process.version}, loopback only\n`,
  );

  try {
    // a. Revalidations after every instance refreshed its map at least once.
    const first = await fetch(endpoint, { headers });
    const etag = first.headers.get('etag') ?? '';
    await first.arrayBuffer();
    await sleep((TTL_SECONDS + REFRESH_AHEAD_SECONDS) * 1000);
    let notModified = 0;
    for (let sent = 0; sent < REVALIDATIONS; sent += 10) {
      const batch = await Promise.all(Array.from({ length: 10 }, () => fetch(endpoint, { headers: { ...headers, 'If-None-Match': etag } })));
      for (const response of batch) {
        if (response.status === 304) notModified++;
        await response.arrayBuffer();
      }
    }
    console.log('a. Revalidation after a refresh (nothing changed in Dataverse)');
    console.log(
      `304 rate: ${notModified} / ${REVALIDATIONS} = ${format((100 * notModified) / REVALIDATIONS, 1)} % (goal 100 %), ` +
        `answered by instances ${proxy.answeredBy.join(' / ')}, ETag ${etag}\n`,
    );

    // b. Dataverse requests per TTL window, per instance (each instance's own Prometheus counter).
    const before = await Promise.all(instances.map((instance) => instance.dataverseRequests()));
    const started = Date.now();
    await sleep(COUNT_WINDOWS * TTL_SECONDS * 1000);
    const after = await Promise.all(instances.map((instance) => instance.dataverseRequests()));
    const windows = (Date.now() - started) / (TTL_SECONDS * 1000);
    const perInstance = after.map((count, index) => (count - (before[index] ?? 0)) / windows);
    console.log(`b. Dataverse requests per TTL window (${format(windows, 1)} windows of ${TTL_SECONDS} s, idle)`);
    console.log(
      `per instance: ${perInstance.map((value) => format(value)).join(' / ')} (goal 2)   fleet: ${format(perInstance.reduce((sum, value) => sum + value, 0))} ` +
        `(= ${INSTANCES} x 2 = ${INSTANCES * 2} expected)\n`,
    );

    // c. Latency through the proxy, all up, then with one instance stopped mid-run.
    const run = async (stopOne: boolean, url = endpoint) => {
      const retriesBefore = proxy.retries;
      const failuresBefore = proxy.failures;
      const instance = autocannon({ url, connections: CONNECTIONS, duration: LOAD_SECONDS, headers });
      if (stopOne) setTimeout(() => void instances[1]?.stop(), (LOAD_SECONDS * 1000) / 2);
      const result = await instance;
      return { result, retries: proxy.retries - retriesBefore, failures: proxy.failures - failuresBefore };
    };
    const direct = await run(false, `${instances[0]?.url ?? ''}/api/pcf/dataverse-navmap?v=1`);
    const steady = await run(false);
    const stopped = await run(true);
    const row = (name: string, { result, retries, failures }: Awaited<ReturnType<typeof run>>) =>
      `${name.padEnd(38)} ${format(result.requests.average, 0).padStart(6)} req/s   p50 ${format(result.latency.p50).padStart(6)} ms   ` +
      `p99 ${format(result.latency.p99).padStart(6)} ms   requests ${result.requests.total}   non-2xx ${result.non2xx}   errors ${result.errors}   ` +
      `retried ${retries}   failed at the proxy ${failures}   lost ${result.errors + result.non2xx}`;
    console.log(`c. Through the proxy, autocannon ${CONNECTIONS} connections x ${LOAD_SECONDS} s`);
    console.log(row('one instance, no proxy (reference)', direct));
    console.log(row(`${INSTANCES} instances up`, steady));
    console.log(row(`instance 2 stopped at ${LOAD_SECONDS / 2} s`, stopped));
  } finally {
    await fleet.stop();
    await stack.stop();
  }
}

runTrustingLocalCertificate(main).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
