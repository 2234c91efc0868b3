/**
 * One navmap-server instance in its own process, as App Service or Kubernetes runs each replica: createServer from a
 * config file (argv[2]), warmed, listening on 127.0.0.1:0. Sends `{ url }` to the parent over IPC; SIGTERM closes it
 * gracefully. Started by `startNavMapInstance` with tsx, so it runs the source under test.
 */
import { createServer, loadConfig } from '../../src/index.js';

async function main(): Promise<void> {
  const file = process.argv[2];
  if (file === undefined) throw new Error('usage: navMapInstanceProcess <config.json>');
  const server = createServer(loadConfig({ file }));
  await server.warmed;
  const { url } = await server.listen();
  process.send?.({ url });
  process.once('SIGTERM', () => void server.close({ timeoutMs: 1_000 }).then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
