import { Writable } from 'node:stream';
import { createServer, type CreateServerOptions, type NavMapServer } from '@sdap/navmap-server';

/** A navmap-server listening on its own port, with the JSON log lines it wrote. */
export interface RunningNavMapServer {
  readonly server: NavMapServer;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Its JSON log lines, oldest first. */
  readonly logs: string[];
}

/** Starts `createServer(config)` on the config's host and port, collecting its log lines unless `logDestination` is given. */
export async function startNavMapServer(config: Parameters<typeof createServer>[0], options: CreateServerOptions = {}): Promise<RunningNavMapServer> {
  const logs: string[] = [];
  const logDestination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(...chunk.toString().split('\n').filter((line) => line !== ''));
      callback();
    },
  });
  const server = createServer(config, { logDestination, ...options });
  const { url } = await server.listen();
  return { server, url, logs };
}
