import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NO_DATA_HINT, type ReviewDecision } from '../src/decideReview.js';
import type { ReviewCheck } from '../src/decideReview.js';
import type { ReviewFigures } from '../src/readFigures.js';
import { reviewQueries } from '../src/reviewQueries.js';
import { runCli } from '../src/runCli.js';
import * as dataSets from './support/dataSets.js';
import { BUILT_CLI, runCliProcess } from './support/runBuiltCli.js';
import { startLogsQueryApi, type DataSet, type LogsQueryApi } from './support/startLogsQueryApi.js';

// The CLI as DevOps runs it: real https to a local Log Analytics query API, the real @azure/monitor-query-logs client
// and its pipeline, a static bearer token through the documented NAVMAP_REVIEW_ACCESS_TOKEN seam. Most cases run the
// CLI's entry in this process (fast); one test runs the built bin per exit code.
const RESOURCE = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/navmap-prod/providers/microsoft.insights/components/navmap-ai';

let api: LogsQueryApi;
beforeAll(async () => {
  api = await startLogsQueryApi();
});
afterAll(async () => {
  await api?.close();
});
beforeEach(() => {
  api.received.length = 0;
});

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function testEnvironment(env: Record<string, string>): Record<string, string> {
  return { NAVMAP_REVIEW_LOGS_ENDPOINT: api.endpoint, NAVMAP_REVIEW_ACCESS_TOKEN: api.token, ...env };
}

/** The built CLI in its own process (NODE_EXTRA_CA_CERTS comes from the global setup). */
async function runBuiltCli(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  const { code, stdout, stderr } = await runCliProcess(BUILT_CLI, args, { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? '', ...testEnvironment(env) }, 25_000);
  return { code, stdout, stderr };
}

/** The same CLI in this process: what the bin runs, with the arguments, environment and output handed over. */
async function runInProcess(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, testEnvironment(env), { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) }, '0.0.0-test');
  return { code, stdout, stderr };
}

interface JsonReport {
  readonly source: string;
  readonly from: string;
  readonly to: string;
  readonly figures: ReviewFigures;
  readonly checks: ReviewCheck[];
  readonly decision: ReviewDecision;
}

const WINDOW = ['--from', '2026-12-01T08:00:00Z', '--to', '2026-12-02T08:00:00Z'];

async function review(dataSet: DataSet, args: readonly string[] = []): Promise<{ markdown: Run; json: JsonReport; jsonRun: Run }> {
  api.use(dataSet);
  const markdown = await runInProcess(['--resource', RESOURCE, ...WINDOW, ...args]);
  const jsonRun = await runInProcess(['--resource', RESOURCE, ...WINDOW, ...args, '--json']);
  expect(jsonRun.code).toBe(markdown.code);
  return { markdown, jsonRun, json: JSON.parse(jsonRun.stdout) as JsonReport };
}

const results = (report: JsonReport) => Object.fromEntries(report.checks.map((check) => [check.name, [check.value, check.result]]));

describe('navmap-review against a local Log Analytics query API', () => {
  it('healthy: every figure meets its target, continue, exit 0', async () => {
    const { markdown, json, jsonRun } = await review(dataSets.healthy);
    expect(markdown.code).toBe(0);
    expect(jsonRun.code).toBe(0);
    expect(results(json)).toEqual({
      cacheHitRatePercent: [97, 'pass'],
      averageMs: [38.4, 'pass'],
      p95Ms: [212.7, 'pass'],
      successRatePercent: [100, 'pass'],
      uptimePercent: [100, 'pass'],
      errorCount: [0, 'pass'],
    });
    expect(json.decision).toEqual({ kind: 'continue' });
    expect(json.source).toBe(RESOURCE);
    expect(markdown.stdout).toContain('## Decision: Deployment successful, continue monitoring');
    expect(markdown.stdout).toContain('| Cache hit rate | 97 % | > 95 % | pass |');
    expect(markdown.stdout).toContain('| Average response time | 38.4 ms | < 100 ms | pass |');
    expect(markdown.stdout).toContain('| P95 response time | 212.7 ms | < 500 ms | pass |');
    expect(markdown.stdout).toContain('| Document creation success rate | 100 % | > 99 % | pass |');
    expect(markdown.stdout).toContain('| NavMap endpoint uptime | 100 % | 100 % | pass |');
    expect(markdown.stdout).toContain('| Error count | 0 | 0 | pass |');
    expect(markdown.stdout).toContain('- Total uploads: 500 (DocumentCreated; 0 failed)');
    expect(markdown.stdout).toContain('- Tables used: sprk_matter (412 created, 0 failed), account (57 created, 0 failed), sprk_project (31 created, 0 failed)');
    expect(markdown.stdout).toContain('Window: 2026-12-01T08:00:00.000Z to 2026-12-02T08:00:00.000Z (24 h)');
    expect(markdown.stderr).toBe('');
  });

  it('sends the review queries, as written, for the window, to the resource\'s query path', async () => {
    await review(dataSets.healthy);
    const fromOneRun = api.received.slice(0, Object.keys(reviewQueries).length);
    expect(fromOneRun.map((query) => query.name).sort()).toEqual(Object.keys(reviewQueries).sort());
    expect(new Set(fromOneRun.map((query) => query.path))).toEqual(new Set([`/v1${RESOURCE}/query`]));
    expect(new Set(fromOneRun.map((query) => query.timespan))).toEqual(new Set(['2026-12-01T08:00:00.000Z/2026-12-02T08:00:00.000Z']));
  });

  it('low hit rate: action items naming the cache, exit 1', async () => {
    const { markdown, json } = await review(dataSets.lowHitRate);
    expect(markdown.code).toBe(1);
    expect(results(json).cacheHitRatePercent).toEqual([80, 'fail']);
    expect(json.decision).toEqual({ kind: 'action-items', actionItems: [expect.stringContaining('Cache hit rate 80 % (target > 95 %)')] });
    expect(markdown.stdout).toContain('## Decision: Issues found, create action items');
    expect(markdown.stdout).toContain('| Cache hit rate | 80 % | > 95 % | fail |');
    expect(markdown.stdout).toMatch(/- \[ \] Cache hit rate 80 %/);
  });

  it('a stricter target from the command line turns a pass into an action item', async () => {
    const { markdown, json } = await review(dataSets.healthy, ['--target-hit-rate', '98', '--target-p95-ms', '200']);
    expect(markdown.code).toBe(1);
    expect(results(json).cacheHitRatePercent).toEqual([97, 'fail']);
    expect(results(json).p95Ms).toEqual([212.7, 'fail']);
    expect(markdown.stdout).toContain('| Cache hit rate | 97 % | > 98 % | fail |');
  });

  it('failing documents on two tables: rollback scenario 3 with the symptom and the runbook, exit 2', async () => {
    const { markdown, json } = await review(dataSets.failingDocuments);
    expect(markdown.code).toBe(2);
    expect(results(json).successRatePercent).toEqual([95.73, 'fail']);
    expect(results(json).errorCount).toEqual([17, 'fail']);
    expect(json.decision).toMatchObject({
      kind: 'rollback',
      scenario: 3,
      symptom: 'Document uploads failing on 2 parent tables (sprk_matter, account): success rate 95.73 % (target > 99 %), 17 of 398 creations failed.',
      runbook: 'docs/operations/deployment-runbook.md#scenario-3-uploads-fail-critical',
    });
    expect(markdown.stdout).toContain('## Decision: Critical issues, execute rollback');
    expect(markdown.stdout).toContain('Runbook: [Scenario 3: uploads fail (critical)](docs/operations/deployment-runbook.md#scenario-3-uploads-fail-critical)');
    expect(markdown.stdout).toContain('| document create | 0x80048d19 | 17 |');
  });

  it('failures on one table: an action item for that table, exit 1', async () => {
    const { markdown, json } = await review(dataSets.failingOneTable);
    expect(markdown.code).toBe(1);
    expect(results(json).successRatePercent).toEqual([98.6, 'fail']);
    expect(json.decision.kind).toBe('action-items');
    expect(markdown.stdout).toContain('failures on account (7 failed)');
  });

  it('server outage: rollback scenario 2 from the endpoint uptime, exit 2', async () => {
    const { markdown, json } = await review(dataSets.serverOutage);
    expect(markdown.code).toBe(2);
    expect(results(json)).toMatchObject({ uptimePercent: [78.84, 'fail'], p95Ms: [940.5, 'fail'], errorCount: [135, 'fail'], successRatePercent: [100, 'pass'] });
    expect(json.decision).toMatchObject({
      kind: 'rollback',
      scenario: 2,
      symptom: 'NavMap endpoint returning errors: uptime 78.84 % (target 100 %), 73 of 345 calls answered 5xx or never answered.',
      runbook: 'docs/operations/deployment-runbook.md#scenario-2-the-server-misbehaves-moderate',
    });
    expect(markdown.stdout).toContain('Runbook: [Scenario 2: the server misbehaves (moderate)]');
    expect(markdown.stdout).toMatch(/- \[ \] Endpoint P95 940.5 ms/);
  });

  it('browsers on the bundled map while the endpoint is up: rollback scenario 1, exit 2', async () => {
    const { markdown, json } = await review(dataSets.controlFallsBack);
    expect(markdown.code).toBe(2);
    expect(json.decision).toMatchObject({
      kind: 'rollback',
      scenario: 1,
      symptom: 'The control is not loading metadata from the server: 80 of 1000 resolutions used the map bundled in the control, while the endpoint answered every call.',
      runbook: 'docs/operations/deployment-runbook.md#scenario-1-the-control-misbehaves-uploads-still-work-minor',
    });
  });

  it('no data in the window: cannot review, naming each empty figure, exit 3', async () => {
    const { markdown, json } = await review(dataSets.noData);
    expect(markdown.code).toBe(3);
    expect(json.decision).toEqual({
      kind: 'cannot-review',
      reasons: [
        'Cache hit rate: no NavMapLoaded events in the window',
        'Average response time: no requests to GET /api/pcf/dataverse-navmap in the window',
        'P95 response time: no requests to GET /api/pcf/dataverse-navmap in the window',
        'Document creation success rate: no DocumentCreated or DocumentCreateFailed events in the window',
        'NavMap endpoint uptime: no calls to the endpoint in the window',
      ],
      actionItems: [NO_DATA_HINT],
    });
    expect(results(json).cacheHitRatePercent).toEqual([undefined, 'not measured']);
    expect(markdown.stdout).toContain('## Decision: Could not review: the data could not be read');
    expect(markdown.stdout).toContain('| Cache hit rate | not measured (no NavMapLoaded events in the window) | > 95 % | not measured |');
    expect(markdown.stderr).toContain('could not review: Cache hit rate: no NavMapLoaded events in the window');
  });

  it('403 InsufficientAccessError: cannot review, one line naming the Reader role, no further queries, exit 3', async () => {
    const { markdown, json } = await review(dataSets.accessDenied);
    expect(markdown.code).toBe(3);
    expect(json.decision.kind).toBe('cannot-review');
    const reasons = json.decision.kind === 'cannot-review' ? json.decision.reasons : [];
    expect(reasons).toEqual([
      "access denied (HTTP 403 InsufficientAccessError: The provided credentials have insufficient access to perform the requested operation; AuthorizationFailedError: User '92eba38a-70da-42b0-ab83-ffe82cce658f' does not have access to read logs for this resource): the signed-in identity needs the Reader role (or Log Analytics Reader) on the Application Insights resource and its workspace; a new role assignment can take up to 60 minutes to apply",
    ]);
    expect(json.checks.every((check) => check.result === 'not measured')).toBe(true);
    // One refused query per run (Markdown and JSON): the other four were never sent.
    expect(api.received).toHaveLength(2);
  });

  it('a partial error: the incomplete figures are not read, cannot review, exit 3', async () => {
    const { markdown, json } = await review(dataSets.partialError);
    expect(markdown.code).toBe(3);
    expect(json.decision).toMatchObject({ kind: 'cannot-review', reasons: ['query documentsByTable returned partial results: PartialError: There were some errors when processing your request.; QueryExecutionError: Query execution has exceeded the allowed limits (80DA0003): partial query results.'] });
    expect(results(json).successRatePercent).toEqual([undefined, 'not measured']);
    expect(json.figures.documents).toEqual(expect.stringContaining('partial results'));
    expect(results(json).cacheHitRatePercent).toEqual([97, 'pass']);
    expect(markdown.stdout).toContain('Not read: query documentsByTable returned partial results');
  });

  it('a query the service never answers: given up after the deadline, cannot review, exit 3', async () => {
    const { markdown, json } = await review(dataSets.hanging, ['--timeout', '1']);
    expect(markdown.code).toBe(3);
    expect(json.decision).toMatchObject({ kind: 'cannot-review', reasons: ['query endpointUptime did not answer within 2 s (--timeout 1)'] });
    expect(results(json).uptimePercent).toEqual([undefined, 'not measured']);
  });

});

describe('navmap-review arguments', () => {
  it('--help documents every option, target, decision, exit code and the environment', async () => {
    const run = await runInProcess(['--help']);
    expect(run.code).toBe(0);
    for (const text of [
      '--resource', '--since', '--from', '--to', '--json', '--target-hit-rate', '--target-success', '--target-average-ms', '--target-p95-ms', '--target-uptime',
      '--target-errors', '--timeout', 'scenario 3', 'scenario 2', 'scenario 1', 'NAVMAP_REVIEW_ACCESS_TOKEN', 'NAVMAP_REVIEW_LOGS_ENDPOINT', 'DefaultAzureCredential',
    ]) {
      expect(run.stdout).toContain(text);
    }
    expect(run.stdout).toMatch(/^ {2}0 {2}continue/m);
    expect(run.stdout).toMatch(/^ {2}4 {2}nothing was queried: bad arguments or environment, or no Azure sign-in/m);
  });

  it('bad input names the option and what to pass, exit 4, nothing queried', async () => {
    const cases: [string[], string][] = [
      [[], '--resource is required'],
      [['--resource', 'navmap-ai'], 'is not an Application Insights resource id'],
      [['--resource', '/subscriptions/1/resourceGroups/g/providers/Microsoft.OperationalInsights/workspaces/w'], 'is a Log Analytics workspace'],
      [['--resource', RESOURCE, '--since', '2w'], '--since "2w" is not a window'],
      [['--resource', RESOURCE, '--since', '4h', '--from', '2026-12-01T00:00:00Z'], '--since and --from/--to both set'],
      [['--resource', RESOURCE, '--from', 'yesterday'], '--from "yesterday" is not a date'],
      [['--resource', RESOURCE, '--from', '2026-12-02T00:00:00Z', '--to', '2026-12-01T00:00:00Z'], 'is not before --to'],
      [['--resource', RESOURCE, '--target-success', 'high'], '--target-success "high" is not a number'],
      [['--resource', RESOURCE, '--timeout', '900'], '--timeout "900" is not a number of seconds from 1 to 600'],
      [['--resource', RESOURCE, '--colour'], "Unknown option '--colour'"],
    ];
    for (const [args, message] of cases) {
      const run = await runInProcess(args);
      expect({ args, code: run.code, stderr: run.stderr }).toEqual({ args, code: 4, stderr: expect.stringContaining(message) });
    }
    const http = await runInProcess(['--resource', RESOURCE], { NAVMAP_REVIEW_LOGS_ENDPOINT: 'http://127.0.0.1:1/v1' });
    expect(http).toMatchObject({ code: 4, stderr: expect.stringContaining('is not https') });
    const json = await runInProcess(['--json']);
    expect(JSON.parse(json.stdout)).toEqual({ error: { code: 'invalid_arguments', message: expect.stringContaining('--resource is required') } });
    expect(api.received).toEqual([]);
  });
});

describe('the built navmap-review bin', () => {
  it('exits with the decision\'s code: 0 continue, 1 action items, 2 rollback, 3 could not review, 4 bad arguments', async () => {
    // One resource per case, each answered from its own data set, so the processes run side by side.
    const resource = (name: string) => RESOURCE.replace('/navmap-ai', `/navmap-${name}`);
    const cases: [string, DataSet | undefined, number][] = [
      ['healthy', dataSets.healthy, 0],
      ['low-hit-rate', dataSets.lowHitRate, 1],
      ['outage', dataSets.serverOutage, 2],
      ['denied', dataSets.accessDenied, 3],
      ['no-window', undefined, 4],
    ];
    const runs = await Promise.all(
      cases.map(([name, dataSet]) => {
        if (dataSet !== undefined) api.use(dataSet, resource(name));
        return runBuiltCli(['--resource', resource(name), ...(dataSet === undefined ? ['--since', 'forever'] : WINDOW)]);
      }),
    );
    expect(runs.map((run, index) => [cases[index]?.[0], run.code])).toEqual(cases.map(([name, , code]) => [name, code]));
    expect(runs[0]?.stdout).toContain('## Decision: Deployment successful, continue monitoring');
    expect(runs[4]?.stderr).toContain('--since "forever" is not a window');
  });

  it('prints the version from its package.json', async () => {
    const run = await runBuiltCli(['--version']);
    expect(run).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });
  });
});
