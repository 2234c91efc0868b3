/**
 * `npm run bench -w @sdap/navmap-server`: the NavMap server's hot path under load, against the local environment.
 *
 * 1. Authenticated cache hits (a real token from the local identity provider), autocannon, 50 connections, 10 s:
 *    the standalone server and the same handlers embedded in a plain Express 5 app, vs a one-route Express 5 app and a
 *    bare node:http server answering the same bytes: requests/s, p50, p99, CPU per request and the ratios.
 * 2. A 12 s run against a server with a 4 s TTL and 300 ms Dataverse latency: p99 of requests answered while a
 *    refresh was in flight vs the rest, and Dataverse requests per TTL window.
 *
 * 3. A soak: a server with a 5 s TTL under autocannon for `NAVMAP_BENCH_SOAK_SECONDS` (default 20): requests, errors,
 *    the server's RSS at start, end and its maximum, and Dataverse requests per TTL window.
 *
 * All traffic is on 127.0.0.1; each server runs in its own process. `NAVMAP_BENCH_HOT_ONLY=1` runs part 1 only.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTrustingLocalCertificate, startLocalEnvironment, sdapSeed } from '@sdap/local-environment';
import autocannon from 'autocannon';

const CONNECTIONS = 50;
const DURATION_SECONDS = 10;
const child = fileURLToPath(new URL('./serveInChild.ts', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'navmap-bench-'));

function start(mode: 'navmap' | 'embedded' | 'bare' | 'express', argument?: string): Promise<{ process: ChildProcess; url: string }> {
  const profile = process.env.NAVMAP_BENCH_PROFILE && mode === 'navmap' ? ['--cpu-prof', `--cpu-prof-dir=${process.env.NAVMAP_BENCH_PROFILE}`] : [];
  const server = fork(child, [mode, ...(argument === undefined ? [] : [argument])], {
    execArgv: ['--import', 'tsx', ...profile],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    server.once('message', (message) => resolve({ process: server, url: (message as { url: string }).url }));
    server.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
}

async function stop(server: { process: ChildProcess }): Promise<void> {
  const exited = new Promise((resolve) => server.process.once('exit', resolve));
  server.process.kill('SIGTERM');
  await exited;
}

interface Sample {
  at: number;
  ms: number;
}

async function load(url: string, headers: Record<string, string>, duration = DURATION_SECONDS) {
  const samples: Sample[] = [];
  // With a callback autocannon returns its instance, whose `response` events give each request's latency.
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections: CONNECTIONS, duration, headers }, (error, finished) => (error ? reject(error as Error) : resolve(finished)));
    instance.on('response', (_client, _status, _bytes, responseTime) => samples.push({ at: Date.now(), ms: responseTime }));
  });
  return { result, samples };
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

const format = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

async function main(): Promise<void> {
  const env = await startLocalEnvironment({ port: 0 });
  const server = env.clients.find((client) => client.clientId === 'navmap-server');
  const e2e = env.clients.find((client) => client.clientId === 'navmap-e2e');
  if (server?.clientSecret === undefined || e2e?.clientSecret === undefined) throw new Error('local environment clients missing');
  const metadataRequests = async () => (await env.admin.requestCounts()).metadata;

  const config = (cache: Record<string, number>) => {
    const file = join(directory, `config-${Object.values(cache).join('-')}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        host: '127.0.0.1',
        port: 0,
        logLevel: 'warn',
        dataverse: {
          url: env.dataverseUrl,
          auth: { kind: 'clientSecret', tenantId: env.tenantId, clientId: server.clientId, clientSecret: server.clientSecret, authorityHost: env.authorityHost },
        },
        parents: sdapSeed.navMapParents,
      auth: { issuer: env.issuer, audience: env.bffAudience, requiredRoles: ['NavMap.Read'] },
        // The limiter stays in the path, with a limit one bench caller cannot reach.
        rateLimit: { enabled: true, windowSeconds: 60, max: 1_000_000 },
        cache,
      }),
    );
    return file;
  };

  const token = await env.getClientCredentialsToken(e2e.clientId, e2e.clientSecret, env.bffAudience);
  const headers = { Authorization: `Bearer ${token}` };
  console.log(`NavMap server bench: ${cpus().length} CPU(s), Node ${process.version}, autocannon ${CONNECTIONS} connections x ${DURATION_SECONDS} s, loopback only\n`);

  // 1. Steady state: authenticated cache hits vs a bare node:http server with the same bytes.
  const navmap = await start('navmap', config({ ttlSeconds: 300 }));
  const endpoint = `${navmap.url}/api/pcf/dataverse-navmap?v=1`;
  const sample = await fetch(endpoint, { headers });
  if (sample.status !== 200) throw new Error(`NavMap answered ${sample.status}: ${await sample.text()}`);
  const body = await sample.text();
  const sameHeaders: Record<string, string> = {};
  for (const name of ['content-type', 'etag', 'cache-control', 'x-navmap-source', 'vary']) {
    const value = sample.headers.get(name);
    if (value !== null) sameHeaders[name] = value;
  }
  await load(endpoint, headers, 2); // warm-up: JIT, connection setup
  const hot = await measured(navmap.process, endpoint, headers);
  await stop(navmap);

  const embedded = await start('embedded', config({ ttlSeconds: 300 }));
  const embeddedEndpoint = `${embedded.url}/api/pcf/dataverse-navmap?v=1`;
  await load(embeddedEndpoint, headers, 2);
  const embeddedHot = await measured(embedded.process, embeddedEndpoint, headers);
  await stop(embedded);

  const answerFile = join(directory, 'answer.json');
  writeFileSync(answerFile, JSON.stringify({ body, headers: sameHeaders }));
  const bare = await start('bare', answerFile);
  await load(bare.url, {}, 2);
  const baseline = await measured(bare.process, bare.url, {});
  await stop(bare);

  const plainExpress = await start('express', answerFile);
  await load(plainExpress.url, {}, 2);
  const expressFloor = await measured(plainExpress.process, plainExpress.url, {});
  await stop(plainExpress);

  const row = (name: string, result: Awaited<ReturnType<typeof load>>['result']) =>
    `${name.padEnd(34)} ${format(result.requests.average, 0).padStart(8)} req/s   p50 ${format(result.latency.p50).padStart(6)} ms   p99 ${format(result.latency.p99).padStart(6)} ms   non-2xx ${result.non2xx}   errors ${result.errors}`;
  console.log('1. Cache-hit path');
  console.log(row('NavMap server (token + cache hit)', hot.result));
  console.log(row('embedded in Express (same handlers)', embeddedHot.result));
  console.log(row('one-route Express 5, same bytes', expressFloor.result));
  console.log(row('bare node:http, same bytes', baseline.result));
  const throughput = (run: typeof hot) => run.result.requests.average;
  const cpu = (run: typeof hot) => `${format(run.cpuMicrosecondsPerRequest, 0)} us`;
  // Against the one-route Express app, by CPU per request: above 1 the endpoint costs less than Express's floor.
  const againstExpress = (run: typeof hot) => format(expressFloor.cpuMicrosecondsPerRequest / run.cpuMicrosecondsPerRequest);
  console.log(
    `server CPU per request: NavMap server ${cpu(hot)}, embedded ${cpu(embeddedHot)}, one-route Express 5 ${cpu(expressFloor)}, bare ${cpu(baseline)}   body ${Buffer.byteLength(body)} bytes`,
  );
  console.log(`NavMap server / one-route Express 5: ${againstExpress(hot)} by CPU per request, ${format(throughput(hot) / throughput(expressFloor))} by throughput (goal >= 0.9)`);
  console.log(`embedded in Express / one-route Express 5: ${againstExpress(embeddedHot)} by CPU per request, ${format(throughput(embeddedHot) / throughput(expressFloor))} by throughput`);
  console.log(`NavMap server / bare node:http: ${format(throughput(hot) / throughput(baseline))} by throughput (goal >= 0.25)\n`);

  // 2. Refresh under load: TTL 4 s, refresh 1 s ahead, every Dataverse metadata call 300 ms slower.
  await env.admin.addFault({ target: 'metadata', kind: 'latency', latencyMs: 300 });
  // A profile, or NAVMAP_BENCH_HOT_ONLY=1, is about the cache-hit path: part 1 only.
  if (process.env.NAVMAP_BENCH_PROFILE || process.env.NAVMAP_BENCH_HOT_ONLY) return env.stop();
  const ttlSeconds = 4;
  const refreshing = await start('navmap', config({ ttlSeconds, refreshAheadSeconds: 1 }));
  const refreshEndpoint = `${refreshing.url}/api/pcf/dataverse-navmap?v=1`;
  await load(refreshEndpoint, headers, 1);
  const refreshStarts: number[] = [];
  let lastCount = await metadataRequests();
  const firstCount = lastCount;
  let polling = true;
  const poller = (async () => {
    while (polling) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const count = await metadataRequests();
      if (count > lastCount) refreshStarts.push(Date.now() - 20);
      lastCount = count;
    }
  })();
  const runSeconds = 12;
  const started = Date.now();
  const underRefresh = await load(refreshEndpoint, headers, runSeconds);
  const elapsedSeconds = (Date.now() - started) / 1000;
  polling = false;
  await poller;
  await stop(refreshing);
  await env.admin.clearFaults();

  // A refresh is "in flight" from its first Dataverse request until its 300 ms answers are in, plus margin.
  const during = (at: number) => refreshStarts.some((start) => at >= start && at <= start + 450);
  const inRefresh = underRefresh.samples.filter((sample) => during(sample.at)).map((sample) => sample.ms);
  const steady = underRefresh.samples.filter((sample) => !during(sample.at)).map((sample) => sample.ms);
  const p99During = percentile(inRefresh, 99);
  const p99Steady = percentile(steady, 99);
  const dataverseRequests = lastCount - firstCount;
  const windows = elapsedSeconds / ttlSeconds;
  console.log(`2. Refresh under load (TTL ${ttlSeconds} s, refresh 1 s ahead, Dataverse metadata latency 300 ms, ${runSeconds} s run)`);
  console.log(`requests: ${underRefresh.samples.length} total, ${inRefresh.length} answered while a refresh was in flight (${refreshStarts.length} refresh(es) seen)`);
  console.log(`p99 during refresh ${format(p99During)} ms   p99 steady ${format(p99Steady)} ms   ratio ${format(p99During / p99Steady)} (goal <= 2)`);
  console.log(
    `Dataverse metadata requests: ${dataverseRequests} over ${format(elapsedSeconds, 1)} s = ${format(dataverseRequests / windows)} per TTL window ` +
      `(${format(dataverseRequests / 2 / windows)} refresh(es) per window at 2 requests each; goal 1)   non-2xx ${underRefresh.result.non2xx}`,
  );

  await soak(config, metadataRequests, headers);
  await env.stop();
}

/** Asks a server started by `start()` for a figure of its process (`rss`: bytes, `cpu`: CPU time in microseconds). */
function ask(server: ChildProcess, what: 'rss' | 'cpu'): Promise<number> {
  const field = what === 'rss' ? 'rss' : 'cpuMicroseconds';
  return new Promise((resolve) => {
    const listener = (message: unknown) => {
      if (typeof message === 'object' && message !== null && field in message) {
        server.off('message', listener);
        resolve((message as Record<string, number>)[field] as number);
      }
    };
    server.on('message', listener);
    server.send(what);
  });
}

const residentSetSize = (server: ChildProcess) => ask(server, 'rss');

/**
 * `load()` plus the server's CPU time per answered request. On a shared machine the throughput of each run follows
 * the other work on it; the CPU one request costs the server does not, so the ratio of those is the steadier figure.
 */
async function measured(server: ChildProcess, url: string, headers: Record<string, string>) {
  const cpuBefore = await ask(server, 'cpu');
  const run = await load(url, headers);
  const cpuMicroseconds = (await ask(server, 'cpu')) - cpuBefore;
  return { ...run, cpuMicrosecondsPerRequest: cpuMicroseconds / Math.max(1, run.result.requests.total) };
}

/** 3. The soak: steady load on one server; memory and Dataverse traffic over time. */
async function soak(
  config: (cache: Record<string, number>) => string,
  metadataRequests: () => Promise<number>,
  headers: Record<string, string>,
): Promise<void> {
  const soakSeconds = Number(process.env.NAVMAP_BENCH_SOAK_SECONDS ?? 20);
  const ttlSeconds = 5;
  const server = await start('navmap', config({ ttlSeconds, refreshAheadSeconds: 1, retrySeconds: 2 }));
  const endpoint = `${server.url}/api/pcf/dataverse-navmap?v=1`;
  const rssStart = await residentSetSize(server.process);
  let rssMax = rssStart;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      if (sampling) rssMax = Math.max(rssMax, await residentSetSize(server.process));
    }
  })();
  const before = await metadataRequests();
  const started = Date.now();
  const result = await autocannon({ url: endpoint, connections: CONNECTIONS, duration: soakSeconds, headers });
  const elapsedSeconds = (Date.now() - started) / 1000;
  sampling = false;
  await sampler;
  const dataverseRequests = (await metadataRequests()) - before;
  const rssEnd = await residentSetSize(server.process);
  rssMax = Math.max(rssMax, rssEnd);
  await stop(server);
  const megabytes = (bytes: number) => `${format(bytes / 1024 / 1024, 0)} MB`;
  console.log(`\n3. Soak (${soakSeconds} s, ${CONNECTIONS} connections, TTL ${ttlSeconds} s, loopback)`);
  console.log(
    `requests: ${result.requests.total} (${format(result.requests.average, 0)}/s)   errors: ${result.errors} socket, ${result.non2xx} non-2xx, ${result.timeouts} timeouts`,
  );
  console.log(`server RSS: start ${megabytes(rssStart)}, end ${megabytes(rssEnd)}, max ${megabytes(rssMax)}`);
  console.log(
    `Dataverse metadata requests: ${dataverseRequests} over ${format(elapsedSeconds, 1)} s = ${format(dataverseRequests / (elapsedSeconds / ttlSeconds))} per TTL window`,
  );
}

runTrustingLocalCertificate(main).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
