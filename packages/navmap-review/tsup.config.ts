import { defineConfig } from 'tsup';
import { libraryConfig } from '../../tsup.config.base';

export default defineConfig([
  // The library entry the docs' drift tests import (queries, alert rules, decision rules): ESM + CJS like every
  // published package.
  libraryConfig({ index: 'src/index.ts' }),
  // The bin (npx @sdap/navmap-review): ESM only, it awaits at the top level. `clean: false` keeps the entry above.
  libraryConfig({ cli: 'src/cli.ts' }, { format: ['esm'], dts: false, clean: false }),
]);
