import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

// The npm aliases react16 and react-dom16 are the control package's development dependencies.
const controlRequire = createRequire(createRequire(import.meta.url).resolve('@sdap/pcf-control/package.json'));

/**
 * A UMD file of React 16.14.0 (`react16`) or ReactDOM 16.14.0 (`react-dom16`): the React that canvas apps and the
 * pcf-start harness give virtual controls.
 */
export function react16Umd(alias: 'react16' | 'react-dom16', file: string): Promise<Buffer> {
  return readFile(join(dirname(controlRequire.resolve(`${alias}/package.json`)), 'umd', file));
}
