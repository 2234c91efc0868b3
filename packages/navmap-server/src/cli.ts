#!/usr/bin/env node
// The bootstrap of `navmap-server`. OpenTelemetry hooks `http` when it is loaded, so when Application Insights is
// configured, telemetry starts here, before the server (express, http) is imported. Both are loaded at run time (the
// telemetry by package name, the CLI from its own file beside this one) so that the bundler keeps them out of it.
import type * as RunCliModule from './cli/runCli.js';
import type * as TelemetryModule from './telemetry.js';
import { parseCliArguments } from './cli/parseCliArguments.js';
import { loadConfig } from './config/loadConfig.js';

const PACKAGE_NAME = '@sdap/navmap-server';

function connectionStringFor(argv: readonly string[], env: NodeJS.ProcessEnv): string | undefined {
  try {
    const { values, positionals } = parseCliArguments(argv);
    if (positionals[0] !== 'start' || values.help || values.version) return undefined;
    return loadConfig({ file: values.config, env }).telemetry.applicationInsightsConnectionString;
  } catch {
    return undefined; // runCli reports bad arguments and bad configuration
  }
}

function describeFailure(error: unknown): string {
  if (Array.isArray(error)) return error.map(describeFailure).join('; ');
  return error instanceof Error ? error.message : JSON.stringify(error);
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const connectionString = connectionStringFor(argv, process.env);
  let telemetry: TelemetryModule.NavMapTelemetry | undefined;
  if (connectionString !== undefined) {
    const { startNavMapTelemetry } = (await import(`${PACKAGE_NAME}/telemetry`)) as typeof TelemetryModule;
    telemetry = startNavMapTelemetry({ connectionString });
  }
  // A computed specifier: esbuild leaves it alone, so express is imported only now. dist/runCli.js is a build entry.
  const { runCli } = (await import(new URL('./runCli.js', import.meta.url).href)) as typeof RunCliModule;
  const code = await runCli(
    argv,
    { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text), env: process.env },
    telemetry === undefined ? {} : { telemetry },
  );
  if (telemetry !== undefined) {
    try {
      await telemetry.shutdown();
    } catch (error) {
      // Telemetry that could not be sent does not make the server's run a failure.
      process.stderr.write(`Sending the last telemetry failed: ${describeFailure(error)}\n`);
    }
    // The distro leaves a timer behind (statsbeat's first report, 15 s after start) that would hold the exit.
    setTimeout(() => process.exit(code), 1_000).unref();
  }
  return code;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`navmap-server failed: ${describeFailure(error)}\n`);
    process.exitCode = 1;
  },
);
