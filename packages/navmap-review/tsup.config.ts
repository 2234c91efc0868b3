import { defineConfig } from 'tsup';
import { libraryConfig } from '../../tsup.config.base';

// ESM only: the package is private and run as a CLI (or imported by the docs' drift tests), never required.
export default defineConfig(libraryConfig({ index: 'src/index.ts', cli: 'src/cli.ts' }, { format: ['esm'] }));
