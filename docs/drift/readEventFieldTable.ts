import type { TelemetryEventShape } from './checkKqlQuery.js';

const HEADER = /^\|\s*event\s*\|\s*`customDimensions`\s*\|\s*`customMeasurements`\s*\|\s*$/;

function names(cell: string): string[] {
  // Parenthesized text lists values (`server`, `cache`), not fields.
  let depth = 0;
  let outside = '';
  for (const char of cell) {
    if (char === '(') depth += 1;
    else if (char === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0) outside += char;
  }
  return [...outside.matchAll(/`([^`]+)`/g)].map((match) => match[1] as string);
}

/**
 * Reads the Markdown table whose header is `| event | `customDimensions` | `customMeasurements` |`: for each row, the
 * event (the first code span of the first cell) and the field names in code spans of the other two cells, ignoring
 * text in parentheses (values such as `server`, `cache`).
 *
 * @throws {Error} when the file has no such table.
 * @example
 * readEventFieldTable(markdown).get('NavMapLoaded'); // { properties: ['layer'], measurements: ['durationMs', 'entityCount', 'ageMs'] }
 */
export function readEventFieldTable(markdown: string): Map<string, TelemetryEventShape> {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => HEADER.test(line));
  if (start === -1) throw new Error('No table with the header | event | `customDimensions` | `customMeasurements` |.');
  const table = new Map<string, TelemetryEventShape>();
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split('|').slice(1, -1);
    const event = names(cells[0] ?? '')[0];
    if (event === undefined) throw new Error(`A row of the event table names no event: ${line}`);
    table.set(event, { properties: names(cells[1] ?? ''), measurements: names(cells[2] ?? '') });
  }
  return table;
}
