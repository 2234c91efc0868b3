import { defineConfig } from 'tsup';
import { libraryConfig } from '../../tsup.config.base';

export default defineConfig([
  libraryConfig(
    {
      index: 'src/index.ts',
      cli: 'src/cli.ts',
      registerLocalhostNames: 'src/identity/registerLocalhostNames.ts',
    },
    { format: ['esm'], clean: false },
  ),
  // The form host's browser scripts: self-contained IIFEs served by /main.aspx.
  {
    entry: {
      formHostRuntime: 'src/formHost/formHostRuntime.ts',
      msalRedirectBridge: 'src/formHost/msalRedirectBridge.ts',
    },
    format: ['iife'],
    platform: 'browser',
    target: 'es2020',
    minify: true,
    noExternal: [/.*/],
    clean: false,
    dts: false,
  },
]);
