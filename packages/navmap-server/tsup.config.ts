import { defineConfig } from 'tsup';
import { libraryConfig } from '../../tsup.config.base';

export default defineConfig(
  libraryConfig({
    index: 'src/index.ts',
    telemetry: 'src/telemetry.ts',
    testing: 'src/testing.ts',
    cli: 'src/cli.ts',
    // Loaded by cli.js at run time (after telemetry starts); not an export of the package.
    runCli: 'src/cli/runCli.ts',
  }),
);
