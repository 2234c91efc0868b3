import { describe, expect, it } from 'vitest';
import { checkKqlQuery, type TelemetryCatalog } from './checkKqlQuery.js';
import { extractKqlReferences } from './extractKqlReferences.js';

// A small catalog of the same shape as the packages' constants, so these tests do not move when telemetry grows.
const catalog: TelemetryCatalog = {
  events: {
    NavMapLoaded: { properties: ['layer', 'environment'], measurements: ['durationMs', 'entityCount'] },
    DocumentCreated: { properties: ['parentEntity'], measurements: ['durationMs'] },
    DocumentCreateFailed: { properties: ['parentEntity', 'errorCode'], measurements: [] },
    NavMapRefreshFailed: { properties: ['code'], measurements: ['durationMs'] },
  },
  requests: ['GET /api/pcf/dataverse-navmap'],
  dependencyProperty: 'navmap.dependency',
  dependencyTargets: ['dataverse', 'token'],
};

describe('extractKqlReferences', () => {
  it('finds names compared with ==, =~, in and countif, with the table in scope', () => {
    const references = extractKqlReferences(`
      customEvents
      | where name in ("DocumentCreated", 'DocumentCreateFailed') or name =~ "NavMapLoaded"
      | summarize failed = countif(name == "DocumentCreateFailed")
      | extend total = toscalar(requests | where name == "GET /api/pcf/dataverse-navmap" | count)`);
    expect(references.names.map((reference) => [reference.name, reference.table])).toEqual([
      ['DocumentCreated', 'customEvents'],
      ['DocumentCreateFailed', 'customEvents'],
      ['NavMapLoaded', 'customEvents'],
      ['DocumentCreateFailed', 'customEvents'],
      ['GET /api/pcf/dataverse-navmap', 'requests'],
    ]);
    expect(references.tables).toEqual(['customEvents', 'requests']);
  });

  it('finds bag keys in dot and bracket form, inside conversions', () => {
    const references = extractKqlReferences(
      'customEvents | where name == "NavMapLoaded" | extend a = tostring(customDimensions.layer), b = todouble(customMeasurements["durationMs"]), c = customDimensions[\'environment\']',
    );
    expect(references.bagKeys.map((reference) => `${reference.bag}.${reference.key}`)).toEqual([
      'customDimensions.layer',
      'customMeasurements.durationMs',
      'customDimensions.environment',
    ]);
  });

  it('does not read an assignment or a property called name as a name filter', () => {
    const references = extractKqlReferences('customEvents | where name == "NavMapLoaded" | extend name = "x" | project customDimensions.name');
    expect(references.names.map((reference) => reference.name)).toEqual(['NavMapLoaded']);
  });

  it('ends a table scope at its closing parenthesis', () => {
    const references = extractKqlReferences(
      'customEvents | where name == "NavMapLoaded" | extend n = toscalar(requests | count) | where name == "DocumentCreated"',
    );
    expect(references.names.map((reference) => reference.table)).toEqual(['customEvents', 'customEvents']);
  });
});

describe('checkKqlQuery', () => {
  it('accepts a query that names only emitted events, dimensions and measurements', () => {
    expect(
      checkKqlQuery(
        'customEvents | where name == "NavMapLoaded" | summarize count(), avg(todouble(customMeasurements.durationMs)) by tostring(customDimensions.layer)',
        catalog,
      ),
    ).toEqual([]);
  });

  it('reports a made-up event', () => {
    expect(checkKqlQuery('customEvents | where name == "NavMapLoadedd" | count', catalog)).toEqual([
      expect.stringContaining('unknown event "NavMapLoadedd"'),
    ]);
  });

  it('reports a made-up event inside an in-list next to a real one', () => {
    const problems = checkKqlQuery('customEvents | where name in ("DocumentCreated", "DocumentUploaded")', catalog);
    expect(problems).toEqual([expect.stringContaining('unknown event "DocumentUploaded"')]);
  });

  it('reports a dimension the selected events do not have, even when another event has it', () => {
    const problems = checkKqlQuery('customEvents | where name == "DocumentCreated" | summarize count() by tostring(customDimensions.layer)', catalog);
    expect(problems).toEqual([expect.stringMatching(/customDimensions\.layer is not emitted by DocumentCreated/)]);
  });

  it('checks each union branch against the events that branch selects', () => {
    const query = `union
      (customEvents | where name == "DocumentCreateFailed" | project code = tostring(customDimensions.errorCode)),
      (customEvents | where name == "NavMapRefreshFailed" | project code = tostring(customDimensions.parentEntity))`;
    expect(checkKqlQuery(query, catalog)).toEqual([expect.stringMatching(/customDimensions\.parentEntity is not emitted by NavMapRefreshFailed;/)]);
  });

  it('falls back to every event the query names when a let binding hides the selection', () => {
    const query = 'let loads = customEvents | where name == "NavMapLoaded";\nloads | summarize count() by tostring(customDimensions.layer), tostring(customDimensions.errorCode)';
    expect(checkKqlQuery(query, catalog)).toEqual([expect.stringContaining('customDimensions.errorCode is not emitted by NavMapLoaded')]);
  });

  it('reports a measurement read from customDimensions and says where it is', () => {
    const problems = checkKqlQuery('customEvents | where name == "NavMapLoaded" | summarize avg(todouble(customDimensions.durationMs))', catalog);
    expect(problems).toEqual([expect.stringContaining('read it from customMeasurements')]);
  });

  it('reports an unknown request name and custom dimensions read on requests', () => {
    const problems = checkKqlQuery('requests | where name == "GET /api/navmap" | summarize count() by tostring(customDimensions.layer)', catalog);
    expect(problems).toEqual([
      expect.stringContaining('unknown request name "GET /api/navmap"'),
      expect.stringContaining('read on requests'),
    ]);
  });

  it('checks the dependency dimension and the values it is compared with', () => {
    expect(checkKqlQuery('dependencies | where tostring(customDimensions["navmap.dependency"]) in ("dataverse", "token")', catalog)).toEqual([]);
    expect(checkKqlQuery('dependencies | where customDimensions["navmap.dependency"] == "graph"', catalog)).toEqual([
      expect.stringContaining('navmap.dependency is never graph'),
    ]);
    expect(checkKqlQuery('dependencies | where name == "GET /api/data/v9.2/EntityDefinitions"', catalog)).toEqual([
      expect.stringContaining('compared on dependencies'),
    ]);
    expect(checkKqlQuery('dependencies | summarize count() by tostring(customDimensions.target)', catalog)).toEqual([
      expect.stringContaining('customDimensions.target is read on dependencies'),
    ]);
  });

  it('reports name filters it cannot verify', () => {
    expect(checkKqlQuery('customEvents | where name startswith "NavMap"', catalog)).toEqual([
      expect.stringContaining('name startswith'),
      expect.stringContaining('without selecting events by name'),
    ]);
  });

  it('reports what Kusto\'s parser rejects, with the line and column, instead of passing it', () => {
    expect(checkKqlQuery('customEvents\n| where name == "NavMapLoaded', catalog)).toEqual(['Kusto KS001 at line 2, column 30: Missing: "']);
  });

  it('reports an unknown table, column or function from Kusto\'s binder, with its position', () => {
    expect(checkKqlQuery('customEvent | where name == "NavMapLoaded"', catalog)).toEqual([
      "Kusto KS204 at line 1, column 1: The name 'customEvent' does not refer to any known table, tabular variable or function.",
    ]);
    expect(checkKqlQuery('requests | where name == "GET /api/pcf/dataverse-navmap" | summarize avg(durationMs)', catalog)).toEqual([
      "Kusto KS142 at line 1, column 74: The name 'durationMs' does not refer to any known column, table, variable or function.",
    ]);
    expect(checkKqlQuery('customEvents | where name == "NavMapLoaded" | summarize percentil(1, 95)', catalog)).toEqual([
      "Kusto KS211 at line 1, column 57: The name 'percentil' does not refer to any known function.",
    ]);
  });
});
