import { defineConfig } from 'tsup';
import { libraryConfig } from '../../tsup.config.base';

export default defineConfig(
  libraryConfig({
    index: 'src/index.ts',
    telemetry: 'src/telemetry.ts',
    cli: 'src/cli.ts',
  }),
);
