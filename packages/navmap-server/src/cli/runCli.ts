import { isNavMapError } from '@sdap/navmap-sdk';
import { loadConfig } from '../config/loadConfig.js';
import { maskConfig } from '../config/resolveServerConfig.js';
import { createServer, SERVER_VERSION } from '../http/createServer.js';
import type { NavMapTelemetrySink } from '../telemetry/navMapServerTelemetry.js';
import { parseCliArguments } from './parseCliArguments.js';
import { writeSnapshot } from './writeSnapshot.js';

export const CLI_USAGE = `navmap-server ${SERVER_VERSION}

Usage:
  navmap-server start        [--config <file>]   serve GET /api/pcf/dataverse-navmap
  navmap-server check-config [--config <file>]   validate and print the resolved configuration (secrets masked)
  navmap-server snapshot --out <file> [--config <file>]
                                                 write the current map as the browser client's bundled fallback

The configuration file is JSON; NAVMAP_* environment variables override it (NAVMAP_CONFIG names the file).
Every key: docs/configuration.md.`;

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

function describe(error: unknown): string {
  if (isNavMapError(error)) return `${error.message} [${error.code}]`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs one CLI command and resolves with the exit code. `start` resolves once the server stopped after SIGTERM or
 * SIGINT (graceful shutdown). `telemetry` is what `startNavMapTelemetry()` returned, started before this module was
 * loaded (the `navmap-server` binary does that when a connection string is configured).
 *
 * @example
 * process.exitCode = await runCli(['check-config', '--config', 'navmap.config.json'], { stdout, stderr, env: process.env });
 */
export async function runCli(argv: readonly string[], io: CliIo, { telemetry }: { telemetry?: NavMapTelemetrySink } = {}): Promise<number> {
  let parsed;
  try {
    parsed = parseCliArguments(argv);
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${CLI_USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (values.version) {
    io.stdout(`${SERVER_VERSION}\n`);
    return 0;
  }
  if (values.help || command === undefined || command === 'help') {
    io.stdout(`${CLI_USAGE}\n`);
    return values.help || command === 'help' ? 0 : 2;
  }
  if (!['start', 'check-config', 'snapshot'].includes(command) || positionals.length > 1) {
    io.stderr(`Unknown command "${positionals.join(' ')}".\n\n${CLI_USAGE}\n`);
    return 2;
  }

  let config;
  try {
    config = loadConfig({ file: values.config, env: io.env });
  } catch (error) {
    io.stderr(`${describe(error)}\n`);
    return 1;
  }

  if (command === 'check-config') {
    io.stdout(`${JSON.stringify(maskConfig(config), null, 2)}\n`);
    return 0;
  }

  if (command === 'snapshot') {
    if (values.out === undefined) {
      io.stderr('snapshot needs --out <file>: where to write the map.\n');
      return 2;
    }
    try {
      const map = await writeSnapshot(config, values.out);
      const errors = Object.entries(map.errors ?? {});
      io.stdout(`Wrote ${values.out}: ${Object.keys(map.parents).length} parent(s) from ${map.environment} at ${map.generatedAt}.\n`);
      for (const [entity, error] of errors) io.stderr(`warning: ${entity} not resolved (${error.code}): ${error.message}\n`);
      return 0;
    } catch (error) {
      io.stderr(`Snapshot failed: ${describe(error)}\n`);
      return 1;
    }
  }

  const server = createServer(config, telemetry === undefined ? {} : { telemetry });
  try {
    await server.listen();
  } catch (error) {
    io.stderr(`Cannot listen on ${config.host}:${config.port}: ${describe(error)}\n`);
    await server.close();
    return 1;
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      server.logger.info({ signal }, 'Shutting down');
      void server.close().then(resolve);
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  return 0;
}
