/**
 * The App Service zip (scripts/packageAppService.mjs) started as App Service starts it: unzipped into an empty folder,
 * `npm start` with PORT and the application settings as environment variables and nothing else of this repository,
 * against the local environment's Dataverse emulator and identity provider.
 *
 * The zip: NAVMAP_APPSERVICE_ZIP, else out/navmap-server-appservice.zip (`npm run package -w @sdap/navmap-server`).
 * Run: npx vitest run --config scripts/vitest.config.ts (in packages/navmap-server).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sdapSeed, startLocalEnvironment, type LocalEnvironment } from '@sdap/local-environment';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const zipFile = process.env.NAVMAP_APPSERVICE_ZIP ?? join(packageDir, 'out', 'navmap-server-appservice.zip');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** What App Service gives the process: a PATH, its PORT, the app settings; none of this machine's NAVMAP_* settings. */
function appServiceEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, NO_UPDATE_NOTIFIER: '1', ...settings };
}

interface Started {
  readonly output: () => string;
  readonly exited: Promise<number | null>;
  stop(): void;
}

/** `npm start` in `dir`, as its own process group (npm starts node under it). */
function npmStart(dir: string, env: NodeJS.ProcessEnv): Started {
  const child = spawn('npm', ['start'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    output: () => output,
    exited,
    stop: () => {
      if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
    },
  };
}

async function waitForHealth(url: string, started: Started): Promise<Response> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return response;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within 60 s. The app's output:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('the App Service zip', () => {
  let dir: string;
  let environment: LocalEnvironment;

  beforeAll(async () => {
    if (!existsSync(zipFile)) throw new Error(`${zipFile} does not exist: run npm run package -w @sdap/navmap-server first.`);
    dir = mkdtempSync(join(tmpdir(), 'navmap-appservice-test-'));
    for (const [path, bytes] of Object.entries(unzipSync(readFileSync(zipFile)))) {
      if (path.endsWith('/')) continue;
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), bytes);
    }
    environment = await startLocalEnvironment({ port: 0 });
  });

  afterAll(async () => {
    await environment?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('holds the server and production dependencies only, and names Node 22 or later', () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { engines: { node: string }; scripts: { start: string }; dependencies: Record<string, string> };
    expect(manifest.engines.node).toMatch(/^>=2[24]/);
    expect(Object.keys(manifest.dependencies)).toEqual(['@sdap/navmap-server']);
    expect(existsSync(join(dir, 'node_modules', '@sdap', 'navmap-server', 'dist', 'cli.js'))).toBe(true);
    expect(existsSync(join(dir, 'node_modules', '@sdap', 'navmap-sdk', 'package.json'))).toBe(true);
    // Development dependencies of the server are not there.
    for (const devOnly of ['autocannon', 'vitest', '@sdap/local-environment', 'typescript']) expect(existsSync(join(dir, 'node_modules', devOnly)), devOnly).toBe(false);
  });

  it('starts with npm start on PORT and the app settings, and serves /healthz and an authorized map', async () => {
    const port = await freePort();
    const started = npmStart(
      dir,
      appServiceEnv({
        PORT: String(port),
        // App Service trusts public certificate authorities; here the local environment's certificate stands in.
        NODE_EXTRA_CA_CERTS: environment.caCertificatePath,
        NAVMAP_DATAVERSE_URL: environment.dataverseUrl,
        NAVMAP_DATAVERSE_AUTH_KIND: 'clientSecret',
        NAVMAP_DATAVERSE_TENANT_ID: environment.tenantId,
        NAVMAP_DATAVERSE_CLIENT_ID: 'navmap-server',
        NAVMAP_DATAVERSE_CLIENT_SECRET: environment.clients.find((client) => client.clientId === 'navmap-server')?.clientSecret ?? '',
        NAVMAP_DATAVERSE_AUTHORITY_HOST: environment.authorityHost,
        NAVMAP_AUTH_ISSUER: environment.issuer,
        NAVMAP_AUTH_AUDIENCE: environment.bffAudience,
        NAVMAP_AUTH_REQUIRED_ROLES: 'NavMap.Read',
        // The deployment's schema: the runbook's app setting, as JSON.
        NAVMAP_PARENTS: JSON.stringify(sdapSeed.navMapParents),
      }),
    );
    try {
      const health = await waitForHealth(`http://127.0.0.1:${port}/healthz`, started);
      expect(await health.json()).toMatchObject({ status: 'ok' });
      const caller = environment.clients.find((client) => client.clientId === 'navmap-e2e');
      const token = await environment.getClientCredentialsToken('navmap-e2e', caller?.clientSecret ?? '', environment.bffAudience);
      const map = await fetch(`http://127.0.0.1:${port}/api/pcf/dataverse-navmap`, { headers: { authorization: `Bearer ${token}` } });
      expect(map.status, started.output()).toBe(200);
      const body = (await map.json()) as { parents: Record<string, { navProperty: string }> };
      expect(body.parents.sprk_matter?.navProperty).toBe('sprk_Matter');
      const anonymous = await fetch(`http://127.0.0.1:${port}/api/pcf/dataverse-navmap`);
      expect(anonymous.status).toBe(401);
    } finally {
      started.stop();
      await started.exited;
    }
  });

  it('started without its settings prints check-config\'s lines, one per key, and exits 1', async () => {
    const checkConfig = spawn(process.execPath, [join(dir, 'node_modules', '@sdap', 'navmap-server', 'dist', 'cli.js'), 'check-config'], { cwd: dir, env: appServiceEnv({}) });
    let expected = '';
    checkConfig.stderr.setEncoding('utf8').on('data', (chunk: string) => (expected += chunk));
    const checkConfigCode = await new Promise<number | null>((resolve) => checkConfig.once('exit', resolve));
    expect(checkConfigCode).toBe(1);
    const problemLines = expected.split('\n').filter((line) => line.startsWith('  `'));
    expect(problemLines.length).toBeGreaterThan(0);

    const started = npmStart(dir, appServiceEnv({ PORT: String(await freePort()) }));
    expect(await started.exited).toBe(1);
    for (const line of expected.trim().split('\n')) expect(started.output()).toContain(line);
  });
});
