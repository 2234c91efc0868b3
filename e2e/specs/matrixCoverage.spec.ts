/**
 * The suite covers the validation matrix: every row has a test whose title starts with its ID, or a `manual` note
 * in e2e/support/validationMatrix.ts saying why a machine cannot check it (which the report prints).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { matrixIdOf, validationMatrix } from '../support/validationMatrix.js';

const specs = dirname(fileURLToPath(import.meta.url));

test('every validation matrix row has a test with its ID or says why a machine cannot check it', () => {
  const titles = readdirSync(specs)
    .filter((name) => name.endsWith('.spec.ts'))
    .flatMap((name) => [...readFileSync(join(specs, name), 'utf8').matchAll(/test\(\s*[`'"]([^`'"]+)[`'"]/g)].map((match) => match[1] as string));
  const tested = new Set(titles.map(matrixIdOf).filter((id): id is string => id !== undefined));
  // Rows generated in a loop (`${rowId} upload on ...`) are listed by their IDs in the loop's table.
  for (const name of readdirSync(specs).filter((file) => file.endsWith('.spec.ts'))) {
    for (const match of readFileSync(join(specs, name), 'utf8').matchAll(/\[\s*'(\d+\.\d+)',\s*'[a-z_]+'\s*\]/g)) tested.add(match[1] as string);
  }
  const uncovered = validationMatrix.filter((row) => !tested.has(row.id) && !row.manual).map((row) => row.id);
  expect(uncovered, 'rows with neither a test nor a manual note').toEqual([]);
  const unknown = [...tested].filter((id) => !validationMatrix.some((row) => row.id === id));
  expect(unknown, 'test IDs that are not in the matrix').toEqual([]);
});
