// Shared test support: the child process navMapFleet.ts starts for each replica.
/**
 * One navmap-server instance in its own process, as App Service or Kubernetes runs each replica: createServer from a
 * config file (argv[2]), warmed, listening on 127.0.0.1:0. Sends `{ url }` to the parent over IPC; SIGTERM closes it
 * gracefully. Started by `startNavMapInstance` (navMapFleet.ts) with tsx; it runs the built `@sdap/navmap-server`, as
 * a deployment does.
 */
import { createServer, loadConfig } from '@sdap/navmap-server';

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
