import { describe, expect, it } from 'vitest';
import { readStatusCodeTable } from './readStatusCodeTable.js';

describe('readStatusCodeTable', () => {
  it('reads each row as code and status, up to the end of the table', () => {
    const markdown = ['Intro.', '', '| Status | Code | When |', '|---|---|---|', '| 400 | `unsupported_version` | bad `v` |', '| 503 | `server_unavailable` | down |', '', '| 1 | `x` | y |'].join('\n');
    expect(readStatusCodeTable(markdown)).toEqual({ unsupported_version: 400, server_unavailable: 503 });
  });

  it('refuses a row without a status or a code, and a file without the table', () => {
    expect(() => readStatusCodeTable('| Status | Code | When |\n|---|---|---|\n| 4xx | `forbidden` | |')).toThrow('Not a status and a code');
    expect(() => readStatusCodeTable('| Status | Code | When |\n|---|---|---|\n| 403 | forbidden | |')).toThrow('Not a status and a code');
    expect(() => readStatusCodeTable('no table')).toThrow('No table');
  });
});
