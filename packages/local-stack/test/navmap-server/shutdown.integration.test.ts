import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { navMapServerDist } from '../support/navMapServerDist.js';
import { waitFor } from '../support/waitFor.js';
import { stack, useLocalStackPerFile } from '../support/localStackPerFile.js';
import { RawConnection } from '../support/rawHttp.js';

/** SIGTERM to the built CLI with keep-alive clients connected: idle connections must not keep the process alive. */
const cli = navMapServerDist('cli.js');
useLocalStackPerFile();

describe('navmap-server start, on SIGTERM', () => {
  it('answers the next request on every idle keep-alive connection with Connection: close, then exits 0', async () => {
    const configFile = join(mkdtempSync(join(tmpdir(), 'navmap-shutdown-')), 'navmap.config.json');
    writeFileSync(configFile, JSON.stringify(stack.serverConfig({ logLevel: 'info' })));
    const child = spawn(process.execPath, [cli, 'start', '--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const listening = () =>
        stdout
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as { msg?: string; url?: string })
          .find((line) => line.msg === 'NavMap server listening')?.url;
      await waitFor(() => /NavMap loaded from Dataverse/.test(stdout) && listening() !== undefined, 20_000, 'the server to listen with a map');
      const url = listening() as string;
      const port = Number(new URL(url).port);
      const request = `GET /api/pcf/dataverse-navmap?v=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${await stack.callerToken()}\r\n\r\n`;
      const clients = await Promise.all(Array.from({ length: 5 }, () => RawConnection.open(port)));
      for (const client of clients) expect((await client.exchange(request)).kind).toBe('answered');

      child.kill('SIGTERM');
      await waitFor(() => /Shutting down/.test(stdout), 5_000, 'the shutdown to begin');
      for (const client of clients) {
        const next = await client.exchange(request);
        expect(next.kind, `${JSON.stringify(next)}\n${stdout.slice(-1500)}`).toBe('answered');
        if (next.kind === 'answered') {
          expect(next.response.status).toBe(200);
          expect(next.response.headers.connection).toBe('close');
        }
      }
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  }, 40_000);
});
