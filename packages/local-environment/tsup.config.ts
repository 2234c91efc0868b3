import { defineConfig } from 'tsup';
import { libraryConfig } from '../../tsup.config.base';
import { hostReactGlobalsPlugin } from './src/formHost/hostReactGlobalsPlugin';

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
    entry: { formHostRuntime: 'src/formHost/formHostRuntime.ts' },
    format: ['iife'],
    platform: 'browser',
    target: 'es2020',
    minify: true,
    noExternal: [/.*/],
    clean: false,
    dts: false,
  },
  // The form host's Fluent 9 platform library: one global over the page's React 17 (formHost/fluentPlatformLibrary.ts).
  {
    entry: { fluentPlatformLibrary: 'src/formHost/fluentPlatformLibrary.ts' },
    format: ['iife'],
    globalName: 'FormHostFluent',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    noExternal: [/.*/],
    esbuildPlugins: [hostReactGlobalsPlugin],
    define: { 'process.env.NODE_ENV': '"production"' },
    clean: false,
    dts: false,
  },
]);
