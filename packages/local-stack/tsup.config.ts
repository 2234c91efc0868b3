import { defineConfig } from 'tsup';
import { libraryConfig } from '../../tsup.config.base';

export default defineConfig(
  libraryConfig(
    {
      index: 'src/index.ts',
      runLocalStack: 'src/runLocalStack.ts',
    },
    { format: ['esm'] },
  ),
);
