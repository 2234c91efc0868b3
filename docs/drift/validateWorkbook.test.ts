import { describe, expect, it } from 'vitest';
import { extractKustoBlocks } from './extractKustoBlocks.js';
import { validateWorkbook } from './validateWorkbook.js';

const query = (name: string, content: Record<string, unknown>) => ({
  type: 3,
  name,
  content: {
    version: 'KqlItem/1.0',
    query: 'customEvents | where name == "NavMapLoaded" | count',
    title: 'Loads',
    queryType: 0,
    resourceType: 'microsoft.insights/components',
    visualization: 'tiles',
    ...content,
  },
});

describe('validateWorkbook', () => {
  it('accepts text and query items and returns the queries', () => {
    const { problems, queries } = validateWorkbook({
      version: 'Notebook/1.0',
      items: [{ type: 1, name: 'title', content: { json: '# NavMap' } }, query('loads', {})],
    });
    expect(problems).toEqual([]);
    expect(queries).toEqual([{ item: 'loads', query: 'customEvents | where name == "NavMapLoaded" | count' }]);
  });

  it('reports every wrong field of a query item, and duplicate names', () => {
    const { problems } = validateWorkbook({
      version: 'Notebook/1.0',
      items: [query('a', { queryType: 1, resourceType: 'microsoft.operationalinsights/workspaces', visualization: 'donut' }), query('a', {})],
    });
    expect(problems).toEqual([
      'items[0].content.queryType must be 0 (logs)',
      'items[0].content.resourceType must be "microsoft.insights/components"',
      expect.stringContaining('items[0].content.visualization must be one of'),
      'items[1].name "a" is used twice',
    ]);
  });

  it('refuses another version, no items and unknown item types', () => {
    expect(validateWorkbook({ version: 'Notebook/2.0', items: [] }).problems).toEqual([
      'version must be "Notebook/1.0"; it is "Notebook/2.0"',
      'items must be a non-empty array',
    ]);
    expect(validateWorkbook({ version: 'Notebook/1.0', items: [{ type: 12, name: 'g', content: {} }] }).problems).toEqual([
      'items[0].type must be 1 (text), 3 (query) or 9 (parameters); it is 12',
    ]);
  });
});

describe('extractKustoBlocks', () => {
  it('returns kusto and kql blocks with their opening line, and only those', () => {
    const markdown = ['# Title', '```kusto', 'customEvents', '| count', '```', '```text', 'not kql', '```', '```kql', 'requests', '```'].join('\n');
    expect(extractKustoBlocks(markdown)).toEqual([
      { query: 'customEvents\n| count\n', line: 2 },
      { query: 'requests\n', line: 9 },
    ]);
  });

  it('fails on a block that is never closed', () => {
    expect(() => extractKustoBlocks('```kusto\ncustomEvents\n')).toThrow(/opened at line 1 is never closed/);
  });
});
