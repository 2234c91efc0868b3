import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testDataDir } from '../test/testDataDir.js';

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));

describe('navmap-local start', () => {
  it('prints the URLs, serves until SIGTERM and then stops cleanly', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'start', '--data-dir', testDataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await expect.poll(() => output, { timeout: 15_000 }).toContain('Press Ctrl-C to stop.');
    const dataverse = /Dataverse Web API\s+(\S+)/.exec(output)?.[1];
    expect(dataverse).toMatch(/^https:\/\/localhost:\d+\/api\/data\/v9\.2$/);
    expect((await fetch(`${dataverse}/WhoAmI`)).status).toBe(401);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('Stopped.');
    await expect(fetch(`${dataverse}/WhoAmI`)).rejects.toThrow();
  });

  it('refuses an unknown command and a bad port with exit code 2', async () => {
    for (const args of [['bogus'], ['start', '--port', 'abc']]) {
      const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let errors = '';
      child.stderr.on('data', (chunk: Buffer) => {
        errors += chunk.toString();
      });
      expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(2);
      expect(errors).toMatch(/Unknown command|--port must be/);
    }
  });
});
