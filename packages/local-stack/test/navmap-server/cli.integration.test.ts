import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseNavMapResponse } from '@sdap/navmap-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { navMapServerDist } from '../support/navMapServerDist.js';
import { waitFor } from '../support/waitFor.js';
import { startLocalStack, type LocalEnvironmentStack } from '../../src/index.js';

/** The built CLI (`dist/cli.js`) as a real child process against the local environment. */
const cli = navMapServerDist('cli.js');
const directory = mkdtempSync(join(tmpdir(), 'navmap-cli-'));
let stack: LocalEnvironmentStack;
let configFile: string;

beforeAll(async () => {
  stack = await startLocalStack({ navMapOnBff: false });
  configFile = join(directory, 'navmap.config.json');
  writeFileSync(configFile, JSON.stringify(stack.serverConfig({ logLevel: 'info' }), null, 2));
}, 60_000);
afterAll(() => stack.stop());

function run(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

describe('navmap-server CLI', () => {
  it('check-config prints the resolved config with the secret masked', async () => {
    const { exited, output } = run(['check-config', '--config', configFile], { NAVMAP_CACHE_TTL_SECONDS: '120' });
    expect(await exited).toBe(0);
    const printed = JSON.parse(output().stdout) as { cache: { ttlSeconds: number }; dataverse: { auth: { clientSecret: string } } };
    expect(printed.cache.ttlSeconds).toBe(120);
    expect(printed.dataverse.auth.clientSecret).toBe('********');
    expect(output().stdout).not.toContain(stack.serverClient.clientSecret);
  });

  it('check-config stops with the key and the expected form for a bad config', async () => {
    const bad = join(directory, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...stack.serverConfig(), parents: ['Sprk_Matter'], cache: { ttl: 5 } }));
    const { exited, output } = run(['check-config', '--config', bad]);
    expect(await exited).toBe(1);
    expect(output().stderr).toContain('`parents[0].entity`: expected a lower-case logical name');
    expect(output().stderr).toContain('`cache.ttl`: unknown key');
    expect(output().stderr).not.toContain(stack.serverClient.clientSecret);
  });

  it('snapshot --out writes the map in the format the browser client takes as its fallback', async () => {
    const out = join(directory, 'fallback', 'navmap.json');
    const { exited, output } = run(['snapshot', '--config', configFile, '--out', out]);
    expect(await exited, output().stderr).toBe(0);
    const map = parseNavMapResponse(JSON.parse(readFileSync(out, 'utf8')));
    expect(map.parents.sprk_matter?.navProperty).toBe('sprk_Matter');
    expect(Object.keys(map.parents)).toHaveLength(5);
    expect(output().stdout).toContain('5 parent(s)');
  });

  it('start serves, then on SIGTERM stops accepting, finishes the request in flight and exits 0', async () => {
    await stack.admin.clearFaults();
    // Slow metadata so a request is still waiting on the first map when SIGTERM arrives.
    await stack.admin.addFault({ target: 'metadata', kind: 'latency', latencyMs: 1_500 });
    const server = run(['start', '--config', configFile], { NAVMAP_PORT: '0', NAVMAP_HOST: '127.0.0.1' });
    let url = '';
    await waitFor(() => {
      const match = /"url":"(http:\/\/[^"]+)","msg":"NavMap server listening"/.exec(server.output().stdout);
      url = match?.[1] ?? '';
      return url !== '';
    }, 10_000, 'the server to listen');
    const inFlight = fetch(`${url}/api/pcf/dataverse-navmap?v=1`, { headers: { Authorization: `Bearer ${await stack.callerToken()}` } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    (server.child as ChildProcessWithoutNullStreams).kill('SIGTERM');
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(parseNavMapResponse(await response.json()).parents.sprk_matter).toBeDefined();
    expect(await server.exited).toBe(0);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    expect(server.output().stdout).toContain('Shutting down');
    expect(server.output().stdout).not.toContain(stack.serverClient.clientSecret);
    await stack.admin.clearFaults();
  });
});
