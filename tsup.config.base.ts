import type { Options } from 'tsup';

/**
 * The one tsup configuration every published package builds with: ESM + CJS + declarations,
 * one output file per entry, Node 20 as the floor.
 */
export function libraryConfig(entry: Record<string, string>, overrides: Options = {}): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    treeshake: true,
    splitting: false,
    target: 'es2022',
    ...overrides,
  };
}
