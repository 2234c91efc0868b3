#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startLocalEnvironment, type LocalEnvironmentOptions } from './startLocalEnvironment.js';

const USAGE = `Usage: navmap-local start [--port <n>] [--host <address>] [--data-dir <folder>]

Starts the local Power Platform stand-in: Dataverse Web API emulator, BFF (upload API and Application Insights
ingestion), identity provider and admin endpoint. --port N uses N (Dataverse), N+1 (BFF), N+2 (identity provider), N+3 (admin);
without it, free ports are chosen. Stops on Ctrl-C or SIGTERM.`;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1 || positionals[0] !== 'start') {
    process.stderr.write(`Unknown command ${positionals.join(' ') || '(none)'}.\n\n${USAGE}\n`);
    return 2;
  }
  const options: { -readonly [Key in keyof LocalEnvironmentOptions]: LocalEnvironmentOptions[Key] } = {};
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65_532) {
      process.stderr.write(`--port must be a whole number from 0 to 65532; received '${values.port}'.\n`);
      return 2;
    }
    options.port = port;
  }
  if (values.host !== undefined) options.host = values.host;
  if (values['data-dir'] !== undefined) options.dataDir = values['data-dir'];

  const environment = await startLocalEnvironment(options);
  const lines = [
    'NavMap local environment is running.',
    `  Dataverse Web API   ${environment.dataverseUrl}/api/data/v9.2`,
    `  BFF                 ${environment.bffUrl}  (upload API /api/obo, ingestion /v2/track)`,
    `  Identity provider   ${environment.issuer}`,
    `  Token endpoint      ${environment.tokenEndpoint}`,
    `  Admin endpoint      ${environment.adminUrl}`,
    `  CA certificate      ${environment.caCertificatePath}  (NODE_EXTRA_CA_CERTS)`,
    `  Test user           ${environment.testUser.username} / ${environment.testUser.password}`,
    '  Clients:',
    ...environment.clients.map(
      (client) =>
        `    ${client.clientId.padEnd(14)} ${client.grantTypes.join(', ')}  audience ${client.audience}${client.clientSecret ? `  secret ${client.clientSecret}` : ''}`,
    ),
    'Press Ctrl-C to stop.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.stdout.write(`Received ${signal}; stopping.\n`);
      resolve();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  await environment.stop();
  process.stdout.write('Stopped.\n');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`navmap-local: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
