import { defineConfig } from 'tsup';
import { libraryConfig } from '../../tsup.config.base';

// ESM only: a CLI (npx @sdap/navmap-review) whose library entry the docs' drift tests import; nothing requires it.
export default defineConfig(libraryConfig({ index: 'src/index.ts', cli: 'src/cli.ts' }, { format: ['esm'] }));
