import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NAVMAP_ENDPOINT_PATH, NAVMAP_HTTP_STATUS } from '@sdap/navmap-sdk';
import { loadConfig } from '@sdap/navmap-server';
import { alertRules, reviewQueries, rollbackScenarios, RUNBOOK_PATH } from '@sdap/navmap-review';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkKqlQuery, type TelemetryCatalog } from './checkKqlQuery.js';
import { extractKqlReferences } from './extractKqlReferences.js';
import { extractKustoBlocks } from './extractKustoBlocks.js';
import { MONITORING_TEMPLATE_PATH, renderMonitoringTemplate, GENERATE_COMMAND } from './buildMonitoringTemplate.js';
import { findBrokenLinks, headingSlug } from './findBrokenLinks.js';
import { loadTelemetryCatalog } from './loadTelemetryCatalog.js';
import { readEventFieldTable } from './readEventFieldTable.js';
import { readStatusCodeTable } from './readStatusCodeTable.js';
import { validateWorkbook } from './validateWorkbook.js';

const docs = join(dirname(fileURLToPath(import.meta.url)), '..');
const monitoringFile = join(docs, 'operations', 'monitoring.md');
const workbookFile = join(docs, 'operations', 'navmap-workbook.json');
const contractFile = join(docs, 'contract.md');
const templateFile = join(docs, MONITORING_TEMPLATE_PATH);

/** Every problem of the Kusto blocks of a monitoring page: Kusto's diagnostics, then telemetry names. */
function checkMonitoringMarkdown(markdown: string, catalog: TelemetryCatalog): string[] {
  return extractKustoBlocks(markdown).flatMap((block) => checkKqlQuery(block.query, catalog).map((problem) => `monitoring.md line ${block.line}: ${problem}`));
}

function markdownFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) return [];
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

let catalog: TelemetryCatalog;
beforeAll(async () => {
  catalog = await loadTelemetryCatalog();
});

describe('docs/operations/monitoring.md', () => {
  const blocks = extractKustoBlocks(readFileSync(monitoringFile, 'utf8'));

  it('has the queries of the monitoring plan', () => {
    // Cache hit rate, document success rate, endpoint timings, layer failures, fallback use, errors by code, and the
    // three alert rules at least.
    expect(blocks.length).toBeGreaterThanOrEqual(9);
  });

  it('has queries that each name telemetry (so the check below is not vacuous)', () => {
    const silent = blocks.filter(({ query }) => {
      const references = extractKqlReferences(query);
      return references.names.length === 0 && references.bagKeys.length === 0;
    });
    expect(silent.map((block) => `line ${block.line}`)).toEqual([]);
    expect(Object.keys(catalog.events)).toEqual(expect.arrayContaining(['NavMapLoaded', 'DocumentCreated', 'DocumentCreateFailed']));
    expect(catalog.requests).toContain('GET /api/pcf/dataverse-navmap');
  });

  it('has queries Kusto parses and binds against the Application Insights tables, naming only emitted events, dimensions, measurements and request names', () => {
    expect(checkMonitoringMarkdown(readFileSync(monitoringFile, 'utf8'), catalog)).toEqual([]);
  });

  it('shows the review\'s queries and the alert rules\' queries exactly as navmap-review and the template run them', () => {
    const shown = new Set(blocks.map((block) => block.query));
    const sources = [
      ...Object.entries(reviewQueries).map(([name, query]) => ({ source: `reviewQueries.${name}`, query })),
      ...alertRules.map((rule) => ({ source: `alertRules ${rule.id}`, query: rule.query })),
    ];
    expect(sources.filter(({ query }) => !shown.has(query)).map(({ source }) => source)).toEqual([]);
  });

  it('fails on a deliberately broken copy, naming the block, the position and the cause', () => {
    const markdown = readFileSync(monitoringFile, 'utf8');
    const broken = markdown
      .replace('| extend layer = tostring(customDimensions.layer)\n| summarize loads', '| extend layer = tostring(customDimension.layer)\n| summarize loads')
      .replace('| summarize requests = count(), avgMs = round(avg(duration), 1)', '| summarize requests = count(), avgMs = round(avg(duration), 1')
      .replace('| where name == "DocumentCreateFailed"\n| summarize failures = count()', '| where name == "DocumentCreateFailed"\n| summarize failures = count(), rate = percentil(1, 2)');
    expect(broken).not.toBe(markdown);
    const problems = checkMonitoringMarkdown(broken, catalog);
    expect(problems).toEqual([
      expect.stringMatching(/^monitoring\.md line \d+: Kusto KS142 at line 3, column 27: The name 'customDimension' does not refer to any known column, table, variable or function\.$/),
      expect.stringMatching(/^monitoring\.md line \d+: Kusto KS119 at line 3, column 41: The function 'round' expects 2 arguments\.$/),
      expect.stringMatching(/^monitoring\.md line \d+: Kusto KS005 at line 3, column 107: Expected: \)$/),
      expect.stringMatching(/^monitoring\.md line \d+: Kusto KS211 at line 3, column 40: The name 'percentil' does not refer to any known function\.$/),
    ]);
  });
});

describe('the queries navmap-review runs and the alert rules', () => {
  it('are parsed and bound by Kusto and name only emitted telemetry', () => {
    const problems = [
      ...Object.entries(reviewQueries).flatMap(([name, query]) => checkKqlQuery(query, catalog).map((problem) => `reviewQueries.${name}: ${problem}`)),
      ...alertRules.flatMap((rule) => checkKqlQuery(rule.query, catalog).map((problem) => `alert ${rule.id}: ${problem}`)),
    ];
    expect(problems).toEqual([]);
  });

  it('point rollbacks at headings of the deployment runbook', () => {
    const runbook = readFileSync(join(docs, '..', RUNBOOK_PATH), 'utf8');
    for (const scenario of Object.values(rollbackScenarios)) {
      expect(runbook).toContain(`\n### ${scenario.title}\n`);
      expect(headingSlug(scenario.title)).toBe(scenario.anchor);
    }
  });
});

describe(`docs/${MONITORING_TEMPLATE_PATH} (ARM template)`, () => {
  const committed = readFileSync(templateFile, 'utf8');
  const template = JSON.parse(committed) as { resources: { type: string; name: string; properties: Record<string, unknown> }[] };

  it(`is what \`${GENERATE_COMMAND}\` writes from the alert rules and the workbook (run it after changing either)`, () => {
    const workbook: unknown = JSON.parse(readFileSync(workbookFile, 'utf8'));
    expect(committed).toBe(renderMonitoringTemplate({ alertRules, workbook }));
  });

  it('holds an action group, the alert rules and the workbook', () => {
    expect(template.resources.map((resource) => resource.type)).toEqual([
      'Microsoft.Insights/actionGroups',
      ...alertRules.map(() => 'Microsoft.Insights/scheduledQueryRules'),
      'Microsoft.Insights/workbooks',
    ]);
  });

  it('has alert and workbook queries Kusto parses and binds, naming only emitted telemetry', () => {
    const problems = template.resources.flatMap((resource) => {
      if (resource.type === 'Microsoft.Insights/scheduledQueryRules') {
        const { allOf } = resource.properties.criteria as { allOf: { query: string }[] };
        return allOf.flatMap(({ query }) => checkKqlQuery(query, catalog).map((problem) => `${resource.name}: ${problem}`));
      }
      if (resource.type === 'Microsoft.Insights/workbooks') {
        const { problems: shape, queries } = validateWorkbook(JSON.parse(resource.properties.serializedData as string));
        return [...shape, ...queries.flatMap(({ item, query }) => checkKqlQuery(query, catalog).map((problem) => `workbook item ${item}: ${problem}`))];
      }
      return [];
    });
    expect(problems).toEqual([]);
  });
});

describe('docs/contract.md', () => {
  const contract = readFileSync(contractFile, 'utf8');

  it('has the status and code table the server and the client use (NAVMAP_HTTP_STATUS)', () => {
    expect(readStatusCodeTable(contract)).toEqual({ ...NAVMAP_HTTP_STATUS });
  });

  it('names the endpoint path of the code', () => {
    expect(contract).toContain(`\`GET ${NAVMAP_ENDPOINT_PATH}?v=1\``);
  });
});

describe('the event table of docs/operations/monitoring.md', () => {
  // Named once in the sentence above the table rather than in every row.
  const common = new Set(['environment', 'childEntity', 'environmentName']);
  const table = readEventFieldTable(readFileSync(monitoringFile, 'utf8'));

  it('lists every emitted event', () => {
    expect([...table.keys()].sort()).toEqual(Object.keys(catalog.events).sort());
  });

  it('lists exactly the fields each event has, as dimension or measurement', () => {
    for (const [event, documented] of table) {
      const emitted = catalog.events[event];
      const own = (fields: readonly string[] = []) => fields.filter((field) => !common.has(field)).sort();
      expect({ event, properties: [...documented.properties].sort(), measurements: [...documented.measurements].sort() }).toEqual({
        event,
        properties: own(emitted?.properties),
        measurements: own(emitted?.measurements),
      });
    }
  });
});

describe('docs/operations/navmap-workbook.json', () => {
  const workbook: unknown = JSON.parse(readFileSync(workbookFile, 'utf8'));
  const { problems, queries } = validateWorkbook(workbook);

  it('is an Azure Monitor workbook with text and Application Insights query items', () => {
    expect(problems).toEqual([]);
    expect(queries.length).toBeGreaterThanOrEqual(5);
  });

  it('names only emitted events, dimensions, measurements and request names', () => {
    const found = queries.flatMap(({ item, query }) => checkKqlQuery(query, catalog).map((problem) => `workbook item ${item}: ${problem}`));
    expect(found).toEqual([]);
  });
});

describe('the drift check against the real telemetry catalog', () => {
  it('reports a made-up event and a made-up dimension as a doc would write them', () => {
    const problems = checkKqlQuery(
      `customEvents
       | where name in ("NavMapLoaded", "NavMapCacheHit")
       | summarize count() by tostring(customDimensions.cacheLayer), tostring(customDimensions["layer"])`,
      catalog,
    );
    expect(problems).toEqual([
      expect.stringContaining('unknown event "NavMapCacheHit"'),
      expect.stringContaining('customDimensions.cacheLayer is not emitted by NavMapLoaded'),
    ]);
  });

  it('reports a request name the server does not emit', () => {
    expect(checkKqlQuery('requests | where name == "GET /api/navmap" | count', catalog)).toEqual([
      expect.stringContaining('unknown request name "GET /api/navmap"'),
    ]);
  });
});

describe('NAVMAP_PARENTS and parents examples in the admin guide and the runbook', () => {
  const required = {
    NAVMAP_DATAVERSE_URL: 'https://org.crm.dynamics.com',
    NAVMAP_AUTH_ISSUER: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0',
    NAVMAP_AUTH_AUDIENCE: 'api://navmap-bff',
  };
  const files = [join(docs, 'admin', 'add-parent-entity.md'), join(docs, 'operations', 'deployment-runbook.md')];
  const examples = files.flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    const values = [
      ...text.matchAll(/NAVMAP_PARENTS='([^']+)'/g),
      ...text.matchAll(/'NAVMAP_PARENTS=([^']+)'/g),
      ...text.matchAll(/`NAVMAP_PARENTS` \| `([^`]+)`/g),
    ].map((match) => match[1] as string);
    const jsonBlocks = [...text.matchAll(/```json\n([\s\S]*?)```/g)]
      .map((match) => match[1] as string)
      .filter((block) => block.includes('"parents"'))
      .map((block) => JSON.stringify((JSON.parse(block) as { parents: unknown }).parents));
    return [...values, ...jsonBlocks].map((value) => ({ file: relative(docs, file), value }));
  });

  it('finds the examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(4);
  });

  it('are accepted by navmap-server as written, with account and contact naming their relationships', () => {
    for (const { file, value } of examples) {
      const config = loadConfig({ env: { ...required, NAVMAP_PARENTS: value } });
      const account = config.parents.find((parent) => parent.entity === 'account');
      const contact = config.parents.find((parent) => parent.entity === 'contact');
      expect({ file, value, account, contact }).toEqual({
        file,
        value,
        account: { entity: 'account', relationship: 'sprk_account_sprk_document' },
        contact: { entity: 'contact', relationship: 'sprk_contact_sprk_document_PrimaryContact' },
      });
    }
  });

  it('quote check-config\'s message for a bad entry as the server words it', () => {
    const guide = readFileSync(join(docs, 'admin', 'add-parent-entity.md'), 'utf8');
    const bad = 'sprk_matter,sprk_project,sprk_invoice,account,contact,Sprk_Contract';
    expect(() => loadConfig({ env: { ...required, NAVMAP_PARENTS: bad } })).toThrow('`parents[5].entity` (from NAVMAP_PARENTS): expected a lower-case logical name');
    expect(guide).toContain('`parents[5].entity` (from NAVMAP_PARENTS): expected a lower-case logical name');
  });
});

describe('relative links in docs/**/*.md', () => {
  const files = markdownFiles(docs);

  it('finds the docs', () => {
    expect(files.map((file) => relative(docs, file))).toEqual(
      expect.arrayContaining(['architecture.md', join('admin', 'add-parent-entity.md'), join('operations', 'monitoring.md')]),
    );
  });

  it('point at files (and headings) that exist', () => {
    const broken = files.flatMap((file) => findBrokenLinks(file).map((link) => `${relative(docs, file)}:${link.line} ${link.target}: ${link.reason}`));
    expect(broken).toEqual([]);
  });
});
