import { describe, expect, it } from 'vitest';
import { readEventFieldTable } from './readEventFieldTable.js';

describe('readEventFieldTable', () => {
  it('reads events and their fields, skipping values in parentheses', () => {
    const markdown = [
      'Intro.',
      '',
      '| event | `customDimensions` | `customMeasurements` |',
      '|---|---|---|',
      '| `NavMapLoaded` | `layer` (`server`, `cache`) | `durationMs`, `ageMs` |',
      '| `NavMapRefreshed` (server) | | `entityCount` |',
      '',
      '| other | table |',
    ].join('\n');
    expect(Object.fromEntries(readEventFieldTable(markdown))).toEqual({
      NavMapLoaded: { properties: ['layer'], measurements: ['durationMs', 'ageMs'] },
      NavMapRefreshed: { properties: [], measurements: ['entityCount'] },
    });
  });

  it('fails when the table is missing', () => {
    expect(() => readEventFieldTable('| event | dimensions |\n|---|---|\n')).toThrow(/No table with the header/);
  });
});
