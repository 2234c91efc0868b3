import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { navMapErrorCodes } from './errorCodes.js';

describe('navMapErrorCodes', () => {
  it('has a heading in docs/errors.md for every code, and no heading without a code', () => {
    const docs = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8');
    const headings = [...docs.matchAll(/^## (\S+)$/gm)].map((match) => match[1]);
    expect(headings.sort()).toEqual([...navMapErrorCodes].sort());
  });
});
