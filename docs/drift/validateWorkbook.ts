/** A query of an Azure Monitor workbook, with the item that holds it. */
export interface WorkbookQuery {
  readonly item: string;
  readonly query: string;
}

const VISUALIZATIONS = new Set(['table', 'timechart', 'barchart', 'piechart', 'areachart', 'linechart', 'scatterchart', 'tiles', 'stat', 'categoricalbar', 'card']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks that a parsed JSON value has the shape of an Azure Monitor workbook (`Notebook/1.0`) whose items are
 * Markdown text (type 1), parameters (type 9) or Application Insights log queries (type 3, `KqlItem/1.0`,
 * `queryType: 0`, `resourceType: "microsoft.insights/components"`, a known visualization). Returns the problems and
 * the queries, so the queries can be checked against the emitted telemetry.
 *
 * @example
 * const { problems, queries } = validateWorkbook(JSON.parse(readFileSync('navmap-workbook.json', 'utf8')));
 */
export function validateWorkbook(workbook: unknown): { problems: string[]; queries: WorkbookQuery[] } {
  const problems: string[] = [];
  const queries: WorkbookQuery[] = [];
  if (!isObject(workbook)) return { problems: ['the workbook is not a JSON object'], queries };
  if (workbook.version !== 'Notebook/1.0') problems.push(`version must be "Notebook/1.0"; it is ${JSON.stringify(workbook.version)}`);
  if (!Array.isArray(workbook.items) || workbook.items.length === 0) {
    problems.push('items must be a non-empty array');
    return { problems, queries };
  }
  const names = new Set<string>();
  for (const [index, item] of workbook.items.entries()) {
    const where = `items[${index}]`;
    if (!isObject(item) || !isObject(item.content)) {
      problems.push(`${where} must be an object with a content object`);
      continue;
    }
    const name = item.name;
    if (typeof name !== 'string' || name === '') problems.push(`${where}.name must be a non-empty string`);
    else if (names.has(name)) problems.push(`${where}.name "${name}" is used twice`);
    else names.add(name);
    const content = item.content;
    switch (item.type) {
      case 1:
        if (typeof content.json !== 'string' || content.json.trim() === '') problems.push(`${where} (text) needs content.json Markdown`);
        break;
      case 9:
        if (content.version !== 'KqlParameterItem/1.0' || !Array.isArray(content.parameters)) {
          problems.push(`${where} (parameters) needs version "KqlParameterItem/1.0" and a parameters array`);
        }
        break;
      case 3: {
        if (content.version !== 'KqlItem/1.0') problems.push(`${where}.content.version must be "KqlItem/1.0"`);
        if (content.queryType !== 0) problems.push(`${where}.content.queryType must be 0 (logs)`);
        if (content.resourceType !== 'microsoft.insights/components') {
          problems.push(`${where}.content.resourceType must be "microsoft.insights/components"`);
        }
        if (typeof content.visualization !== 'string' || !VISUALIZATIONS.has(content.visualization)) {
          problems.push(`${where}.content.visualization must be one of ${[...VISUALIZATIONS].join(', ')}; it is ${JSON.stringify(content.visualization)}`);
        }
        if (typeof content.title !== 'string' || content.title === '') problems.push(`${where}.content.title must be a non-empty string`);
        if (typeof content.query !== 'string' || content.query.trim() === '') problems.push(`${where}.content.query must be a non-empty string`);
        else queries.push({ item: typeof name === 'string' ? name : where, query: content.query });
        break;
      }
      default:
        problems.push(`${where}.type must be 1 (text), 3 (query) or 9 (parameters); it is ${JSON.stringify(item.type)}`);
    }
  }
  return { problems, queries };
}
