import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { ensureLocalCertificate, parseTelemetryItems } from '@sdap/local-environment';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { navMapServerTelemetry } from '@sdap/navmap-server';
import { navMapServerDist } from '../support/navMapServerDist.js';
import { waitFor } from '../support/waitFor.js';
import { startLocalStack, type LocalEnvironmentStack } from '../../src/index.js';

/**
 * `navmap-server start` (the built CLI, in its own process: OpenTelemetry registration is process-wide) with an
 * Application Insights connection string whose IngestionEndpoint is a local HTTP server standing in for Azure.
 */
interface Envelope {
  name: string;
  tags?: Record<string, string>;
  data: {
    baseType: string;
    baseData: {
      name?: string;
      responseCode?: string;
      resultCode?: string;
      success?: boolean;
      target?: string;
      properties?: Record<string, string>;
      measurements?: Record<string, number>;
    };
  };
}

const cli = navMapServerDist('cli.js');
const directory = mkdtempSync(join(tmpdir(), 'navmap-telemetry-'));
let stack: LocalEnvironmentStack;
let ingestion: Server;
let ingestionUrl: string;
const envelopes: Envelope[] = [];
const uploads: { path: string; encoding: string | undefined }[] = [];

beforeAll(async () => {
  stack = await startLocalStack({ navMapOnBff: false });
  // The exporter only speaks https: the local environment's certificate (trusted through NODE_EXTRA_CA_CERTS).
  const { certPath, keyPath } = await ensureLocalCertificate();
  ingestion = createServer({ cert: readFileSync(certPath), key: readFileSync(keyPath) }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      uploads.push({ path: request.url ?? '', encoding: request.headers['content-encoding'] });
      if (request.method === 'POST' && request.url?.endsWith('/v2.1/track')) {
        const raw = Buffer.concat(chunks);
        const text = (request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
        const items = parseTelemetryItems(text) as Envelope[];
        envelopes.push(...items);
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ itemsReceived: items.length, itemsAccepted: items.length, errors: [] }));
        return;
      }
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => ingestion.listen(0, '127.0.0.1', resolve));
  ingestionUrl = `https://localhost:${(ingestion.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  await new Promise((resolve) => ingestion.close(resolve));
  await stack.stop();
});

describe('Application Insights telemetry (navmap-server start)', () => {
  it('sends requests, dependencies and the custom events navMapServerTelemetry lists to the ingestion endpoint', async () => {
    await stack.admin.clearFaults();
    const configFile = join(directory, 'navmap.config.json');
    writeFileSync(
      configFile,
      JSON.stringify(stack.serverConfig({ logLevel: 'info', environmentName: 'telemetry-test', cache: { minForcedRefreshIntervalSeconds: 0 } })),
    );
    const connectionString = `InstrumentationKey=00000000-0000-4000-8000-000000000001;IngestionEndpoint=${ingestionUrl}/;LiveEndpoint=${ingestionUrl}/`;
    const child = spawn(process.execPath, [cli, 'start', '--config', configFile], {
      env: {
        ...process.env,
        NAVMAP_PORT: '0',
        NAVMAP_HOST: '127.0.0.1',
        APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString,
        // Keep the test on loopback: no statsbeat to Microsoft, no Azure VM metadata probe (169.254.169.254).
        APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
        APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
        OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process',
        // The distro samples at most 5 traces per second by default; this test counts every request.
        OTEL_TRACES_SAMPLER: 'always_on',
      },
      stdio: 'pipe',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let url = '';
    try {
      await waitFor(() => {
        url = /"url":"(http:\/\/[^"]+)","msg":"NavMap server listening"/.exec(stdout)?.[1] ?? '';
        return url !== '';
      }, 20_000, 'the server to listen');
    } catch (error) {
      child.kill('SIGTERM');
      await exited;
      throw new Error(`${(error as Error).message}; stdout: ${stdout.slice(-2000)}; stderr: ${stderr.slice(-2000)}`);
    }
    await waitFor(async () => (await fetch(`${url}/readyz`)).status === 200, 15_000, '/readyz');
    const authorization = { Authorization: `Bearer ${await stack.callerToken()}` };
    expect((await fetch(`${url}/api/pcf/dataverse-navmap?v=1`, { headers: authorization })).status).toBe(200);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/no/such/path?x=1`)).status).toBe(404);
    // A forced refresh during an outage: NavMapRefreshFailed, and the fresh map is still served.
    await stack.admin.addFault({ target: 'metadata', kind: 'outage' });
    const forced = await fetch(`${url}/api/pcf/dataverse-navmap?v=1`, { headers: { ...authorization, 'Cache-Control': 'no-cache' } });
    expect(forced.status).toBe(200);
    await stack.admin.clearFaults();

    const killedAt = Date.now();
    child.kill('SIGTERM');
    expect(await exited, stderr).toBe(0);
    // Flushed and gone well before the distro's 15 s statsbeat timer would have let the process end.
    expect(Date.now() - killedAt).toBeLessThan(10_000);

    const byType = (baseType: string) => envelopes.filter((envelope) => envelope.data.baseType === baseType);
    const requests = byType('RequestData').map((envelope) => envelope.data.baseData);
    const seen = `${envelopes.length} envelopes (${[...new Set(envelopes.map((envelope) => envelope.data.baseType))].join(', ')}); uploads: ${uploads.map((upload) => upload.path).join(', ')}; stderr: ${stderr.slice(-1500)}`;
    expect(requests.map((request) => `${request.name} ${request.responseCode}`), seen).toEqual(
      expect.arrayContaining(['GET /api/pcf/dataverse-navmap 200', 'GET /healthz 200', 'GET /readyz 200', `GET ${navMapServerTelemetry.unmatchedRoute} 404`]),
    );
    for (const request of requests) {
      expect([...navMapServerTelemetry.requests, `GET ${navMapServerTelemetry.unmatchedRoute}`]).toContain(request.name);
    }

    const dependencies = byType('RemoteDependencyData').map((envelope) => envelope.data.baseData);
    const targetOf = (dependency: (typeof dependencies)[number]) => dependency.properties?.[navMapServerTelemetry.dependencyProperty];
    const dataverse = dependencies.filter((dependency) => targetOf(dependency) === 'dataverse');
    expect(dataverse.map((dependency) => dependency.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^GET \/api\/data\/v9\.2\/EntityDefinitions/)]));
    expect(
      dataverse.some((dependency) => dependency.success === false),
      `the outage shows as a failed call (${dataverse.map((dependency) => `${dependency.resultCode}/${String(dependency.success)}`).join(' ')})`,
    ).toBe(true);
    expect(dependencies.some((dependency) => targetOf(dependency) === 'token' && dependency.name?.startsWith('POST ')), 'the Dataverse token request').toBe(true);
    expect(dependencies.some((dependency) => targetOf(dependency) === 'token-keys'), 'OpenID discovery / JWKS of the caller token issuer').toBe(true);
    for (const dependency of dependencies) {
      expect(navMapServerTelemetry.dependencyTargets as readonly (string | undefined)[]).toContain(targetOf(dependency));
      expect(dependency.target ?? '').not.toContain(new URL(ingestionUrl).host);
    }

    const events = byType('EventData').map((envelope) => envelope.data.baseData);
    const refreshed = events.find((event) => event.name === 'NavMapRefreshed');
    expect(refreshed?.properties).toEqual({
      environment: new URL(stack.environment.dataverseUrl).origin,
      environmentName: 'telemetry-test',
      childEntity: 'sprk_document',
    });
    expect(refreshed?.measurements).toMatchObject({ entityCount: 5, errorCount: 0 });
    const failed = events.find((event) => event.name === 'NavMapRefreshFailed');
    expect(failed?.properties).toMatchObject({ environmentName: 'telemetry-test', errorCode: expect.any(String) as string });
    expect(failed?.measurements?.durationMs).toBeGreaterThanOrEqual(0);
    for (const event of events) {
      const spec = navMapServerTelemetry.events[event.name as keyof typeof navMapServerTelemetry.events];
      expect(spec, `event ${event.name} is described`).toBeDefined();
      expect(Object.keys(event.properties ?? {}).sort()).toEqual([...spec.properties].sort());
      for (const key of Object.keys(event.measurements ?? {})) expect(spec.measurements as readonly string[]).toContain(key);
    }
    expect(uploads.some((upload) => upload.path.endsWith('/v2.1/track'))).toBe(true);
    expect(envelopes.every((envelope) => envelope.tags?.['ai.cloud.role'] === 'navmap-server')).toBe(true);
  });

  it('keeps OpenTelemetry out of the main entry and express out of the CLI bootstrap', () => {
    const dist = (file: string) => readFileSync(navMapServerDist(file), 'utf8');
    for (const file of ['index.js', 'index.cjs']) expect(dist(file)).not.toMatch(/@azure\/monitor-opentelemetry|@opentelemetry\//);
    expect(dist('cli.js')).not.toMatch(/from ["'](express|node:http|http|@azure\/monitor-opentelemetry)["']/);
    expect(dist('telemetry.js')).toMatch(/@azure\/monitor-opentelemetry/);
  });
});
