import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as dataSets from './support/dataSets.js';
import { BUILT_CLI, runCliProcess, type CliRun } from './support/runBuiltCli.js';
import { startLogsQueryApi, type DataSet, type LogsQueryApi } from './support/startLogsQueryApi.js';

// The built bin in its own process against a local Log Analytics query API that fails as the documented service does
// (https://learn.microsoft.com/azure/azure-monitor/logs/api/errors, .../timeouts, .../azure-resource-queries).
const RESOURCE = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/navmap-prod/providers/microsoft.insights/components/navmap-ai';
const WINDOW = ['--from', '2026-12-01T08:00:00Z', '--to', '2026-12-02T08:00:00Z'];

let api: LogsQueryApi;
let home: string;
beforeAll(async () => {
  api = await startLogsQueryApi();
  home = await mkdtemp(join(tmpdir(), 'navmap-review-home-'));
});
afterAll(async () => {
  await api?.close();
  if (home !== undefined) await rm(home, { recursive: true, force: true });
});
beforeEach(() => {
  api.received.length = 0;
});

/** The bin with the documented test seams set, against the data set; `env` replaces or adds variables. */
function review(dataSet: DataSet, args: readonly string[] = [], env: Record<string, string> = {}): Promise<CliRun> {
  api.use(dataSet);
  return runCliProcess(BUILT_CLI, ['--resource', RESOURCE, ...WINDOW, ...args], {
    HOME: home,
    NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? '',
    NAVMAP_REVIEW_LOGS_ENDPOINT: api.endpoint,
    NAVMAP_REVIEW_ACCESS_TOKEN: api.token,
    ...env,
  });
}

/** The lines of the Markdown review between the decision heading and the next heading. */
function decisionLines(markdown: string): string[] {
  const section = markdown.split('## Decision: ')[1] ?? '';
  return section.split('\n## ')[0]?.split('\n').filter((line) => line.startsWith('- ')) ?? [];
}

describe('navmap-review (built bin) when the Log Analytics query API fails', () => {
  it('without any Azure sign-in: one line saying how to sign in, exit 4, nothing queried', async () => {
    // No AZURE_* variables, no az/azd/pwsh on PATH, an empty HOME: every credential of DefaultAzureCredential is unavailable.
    api.use(dataSets.healthy);
    const run = await runCliProcess(BUILT_CLI, ['--resource', RESOURCE, ...WINDOW], {
      HOME: home,
      PATH: '/nonexistent',
      NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? '',
      NAVMAP_REVIEW_LOGS_ENDPOINT: api.endpoint,
    });
    expect(run.code).toBe(4);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^navmap-review: not signed in to Azure: sign in with `az login`.*managed identity.*NAVMAP_REVIEW_ACCESS_TOKEN.*Nothing was queried\.$/)]);
    expect(run.stderr).not.toContain('ChainedTokenCredential');
    expect(api.received).toEqual([]);
  });

  it('--json without a sign-in: the error object, exit 4', async () => {
    const run = await runCliProcess(BUILT_CLI, ['--resource', RESOURCE, '--json'], { HOME: home, PATH: '/nonexistent', NAVMAP_REVIEW_LOGS_ENDPOINT: api.endpoint });
    expect(run.code).toBe(4);
    expect(JSON.parse(run.stdout)).toEqual({ error: { code: 'not_signed_in', message: expect.stringContaining('az login') } });
  });

  it('403 InvalidAuthenticationToken (an expired token): "token expired or invalid: sign in again", no role hint, one query sent, exit 3', async () => {
    const run = await review(dataSets.healthy, [], { NAVMAP_REVIEW_ACCESS_TOKEN: 'an-expired-token' });
    expect(run.code).toBe(3);
    expect(decisionLines(run.stdout)).toEqual([
      '- token expired or invalid (HTTP 403 InvalidAuthenticationToken: The access token is invalid): sign in again (az login) or set a new NAVMAP_REVIEW_ACCESS_TOKEN (az account get-access-token --resource https://api.loganalytics.io)',
    ]);
    expect(run.stdout).not.toContain('Reader');
    expect(api.received).toHaveLength(0); // refused before the query is read: the fake records only authorized queries
  });

  it('504 past the wait: not retried, one line per query naming --timeout, exit 3', async () => {
    const run = await review(dataSets.runsPastWait, ['--timeout', '1']);
    expect(run.code).toBe(3);
    expect(api.received.map((query) => [query.name, query.prefer])).toEqual([
      ['cacheHitRate', 'wait=1'],
      ['documentsByTable', 'wait=1'],
      ['endpointPerformance', 'wait=1'],
      ['endpointUptime', 'wait=1'],
      ['errorsByCode', 'wait=1'],
    ]);
    expect(decisionLines(run.stdout)[0]).toBe("- query cacheHitRate ran past the service's wait of 1 s (HTTP 504): pass a longer --timeout (up to 600) or a shorter window");
    expect(decisionLines(run.stdout)).toHaveLength(5);
  });

  it('500s the client retries: the retries stop at the query deadline of --help (twice --timeout), exit 3', async () => {
    // The client's retry policy (@azure/core-util calculateRetryDelay) waits 0.5-1 s, then 1-2 s, then 2-4 s between its
    // 4 attempts: without the deadline one query takes 3.5 s or more; with --timeout 1 the deadline is 2 s, so the
    // fourth attempt (3.5 s at the earliest) never happens, and a third only when both waits are short.
    const run = await review({ ...dataSets.healthy, cacheHitRate: dataSets.failingService.cacheHitRate }, ['--timeout', '1']);
    expect(run.code).toBe(3);
    const attempts = api.received.filter((query) => query.name === 'cacheHitRate').length;
    expect(attempts).toBeGreaterThanOrEqual(1);
    expect(attempts).toBeLessThanOrEqual(3);
    expect(decisionLines(run.stdout)).toEqual(['- query cacheHitRate did not answer within 2 s (--timeout 1)']);
  });

  it('400 with innererror: the SemanticError and the table it names, exit 3', async () => {
    const run = await review(dataSets.unknownTable);
    expect(run.code).toBe(3);
    expect(decisionLines(run.stdout)).toEqual([
      "- query endpointPerformance was refused: HTTP 400 BadArgumentError: The request had some invalid properties; SemanticError: A semantic error occurred; SEM0100: 'where' operator: Failed to resolve table or column expression named 'requests'",
    ]);
  });

  it('204 with no body: reported once as no data, no crash, exit 3', async () => {
    const run = await review(dataSets.noContent);
    expect(run.code).toBe(3);
    expect(run.stderr).not.toMatch(/TypeError|Cannot read properties/);
    expect(decisionLines(run.stdout)).toEqual([expect.stringMatching(/^- no data: the service answered 204 No Content, so the workspace behind the resource holds no data at all/)]);
    expect(api.received).toHaveLength(1);
  });

  it('200 with no rows (table access filtered out): the table-permission hint, exit 3', async () => {
    const run = await review(dataSets.tablesFilteredOut);
    expect(run.code).toBe(3);
    expect(decisionLines(run.stdout)).toEqual([
      expect.stringMatching(/^- the service answered no rows, not even the summary row every review query returns: the identity may read the resource but not its tables/),
    ]);
    expect(run.stdout).toMatch(/\| Cache hit rate \| not measured \(the service answered no rows.*\| not measured \|\n/);
  });

  it('200 with zero events: "no NavMapLoaded events" and the hint that missing table access looks the same, exit 3', async () => {
    const run = await review(dataSets.noData);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('- Cache hit rate: no NavMapLoaded events in the window');
    expect(run.stdout).toContain('- [ ] No data can also mean the identity may not read the tables');
  });

  it('429 with a short Retry-After: the client waits and retries within the deadline, and the review passes', async () => {
    const run = await review(dataSets.throttledBriefly);
    expect(run.code).toBe(0);
    expect(api.received.filter((query) => query.name === 'cacheHitRate')).toHaveLength(2);
  });

  it('429 with a Retry-After past the deadline: one line with the wait, no waiting, exit 3', async () => {
    const run = await review(dataSets.throttledLong, ['--timeout', '1']);
    expect(run.code).toBe(3);
    expect(decisionLines(run.stdout)).toEqual([
      "- the service is throttling this identity (HTTP 429) and asks to wait 120 s, past the query's deadline: run the review again after that",
    ]);
    expect(api.received).toHaveLength(1);
  });

  it('never writes a line break inside a Markdown table row', async () => {
    for (const dataSet of [dataSets.unknownTable, dataSets.accessDenied, dataSets.tablesFilteredOut]) {
      const run = await review(dataSet);
      const rows = run.stdout.split('\n').filter((line) => line.startsWith('| '));
      for (const row of rows) expect(row).toMatch(/\|$/);
    }
  });
});
