import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';
import { readMissedTargetsPolicy } from '../support/remoteSettings.js';
import { matrixIdOf, UPLOAD_SUCCESS_TARGET, validationMatrix } from '../support/validationMatrix.js';
import { describeTarget, describeVerdict, judgeFigures, meets, type FigureVerdict } from './figureTargets.js';
import { MEASUREMENT_ANNOTATION, NOT_MEASURED_ANNOTATION, parseMeasurement, parseNotMeasured, type Measurement } from './measurements.js';

interface Outcome {
  readonly title: string;
  readonly status: TestResult['status'];
  readonly durationMs: number;
  readonly figures: readonly string[];
  readonly measurements: readonly Measurement[];
  readonly notMeasured: ReadonlyMap<string, string>;
  readonly error?: string;
}

const VERDICT_MARK = { met: '✅', missed: '⚠️', 'not measured': '—' } as const;

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Writes the deployment plan's post-deployment validation report (Markdown) beside Playwright's HTML report: the versions
 * deployed (the BFF's from /healthz, the control's from the form), a row per matrix ID with pass / fail / skipped,
 * a verdict on each measured figure against the plan's target (met / missed, with both numbers), the run's metrics,
 * the missed targets, then the failures.
 *
 * On the `remote` target a missed target fails the run, unless NAVMAP_E2E_MISSED_TARGETS=report; on `local` (shared
 * CI machines) figures are reported and never fail it. Tests themselves never assert a timing.
 */
export default class ValidationReportReporter implements Reporter {
  private readonly outcomes = new Map<string, Outcome[]>();
  private readonly outputFile: string;
  private bffVersion: string | undefined;
  private controlVersion: string | undefined;
  private uploads = { linked: 0, failed: 0 };
  private remote = false;

  constructor(options: { outputFile?: string } = {}) {
    this.outputFile = options.outputFile ?? join(root, 'playwright-report', 'validation-report.md');
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const project = test.parent.project()?.name;
    if (project === 'remote-setup') return;
    if (project === 'remote') this.remote = true;
    if (result.status !== 'passed' && result.retry < test.retries) return;
    // Annotations added while the test runs are in `result.annotations` and, in this Playwright, in `test.annotations` too.
    const annotations = result.annotations.length > 0 ? result.annotations : test.annotations;
    const values = (type: string) => annotations.filter((annotation) => annotation.type === type).map((annotation) => annotation.description ?? '');
    this.bffVersion ??= values('bff-version')[0];
    this.controlVersion ??= values('control-version')[0];
    for (const upload of values('upload')) {
      if (upload === 'linked') this.uploads.linked++;
      else this.uploads.failed++;
    }
    const id = matrixIdOf(test.title) ?? 'other';
    // eslint-disable-next-line no-control-regex
    const error = result.error?.message?.split('\n')[0]?.replace(/\u001b\[[0-9;]*m/g, ''); // terminal colours
    const list = this.outcomes.get(id) ?? [];
    const measurements = values(MEASUREMENT_ANNOTATION).flatMap((description) => parseMeasurement(description) ?? []);
    const notMeasured = new Map(values(NOT_MEASURED_ANNOTATION).flatMap((description) => {
      const parsed = parseNotMeasured(description);
      return parsed ? [[parsed.metric, parsed.reason] as const] : [];
    }));
    list.push({ title: test.title, status: result.status, durationMs: result.duration, figures: values('figure'), measurements, notMeasured, ...(error ? { error } : {}) });
    this.outcomes.set(id, list);
  }

  async onEnd(result: FullResult): Promise<{ status: FullResult['status'] } | undefined> {
    if (this.outcomes.size === 0) return undefined; // `--list`, or a run stopped before any test: keep the last report
    const policy = this.remote ? readMissedTargetsPolicy(process.env) : 'report';
    const missed: { id: string; verdict: FigureVerdict }[] = [];
    const unmeasured: { id: string; verdict: FigureVerdict }[] = [];
    const rows: string[] = [];
    for (const row of validationMatrix) {
      const outcomes = this.outcomes.get(row.id) ?? [];
      let status: string;
      let notes: string;
      let verdictText = row.targets ? '' : row.target ? 'asserted by the test' : '';
      if (outcomes.length > 0) {
        const failed = outcomes.some((outcome) => outcome.status === 'failed' || outcome.status === 'timedOut');
        const passed = outcomes.every((outcome) => outcome.status === 'passed');
        status = failed ? '❌ fail' : passed ? '✅ pass' : '⏭ skipped';
        notes = [...outcomes.flatMap((outcome) => outcome.figures), `${outcomes.length} test(s), ${Math.round(outcomes.reduce((sum, o) => sum + o.durationMs, 0))} ms`].join('; ');
        if (row.targets) {
          const verdicts = judgeFigures(
            row.targets,
            outcomes.flatMap((outcome) => outcome.measurements),
            new Map(outcomes.flatMap((outcome) => [...outcome.notMeasured])),
            passed ? 'the test recorded no figure' : 'its test did not pass',
          );
          for (const verdict of verdicts) {
            if (verdict.kind === 'missed') missed.push({ id: row.id, verdict });
            if (verdict.kind === 'not measured') unmeasured.push({ id: row.id, verdict });
          }
          verdictText = verdicts.map((verdict) => `${VERDICT_MARK[verdict.kind]} ${describeVerdict(verdict)}`).join('<br>');
        }
      } else if (row.manual) {
        status = '— manual';
        notes = `a machine cannot check this: ${row.manual}`;
      } else {
        status = '— not run';
        notes = 'no test with this ID ran (filtered out, or the project skips it)';
      }
      const target = row.targets ? row.targets.map(describeTarget).join(', ') : (row.target ?? '');
      rows.push(`| ${row.id} | ${row.check} | ${target} | ${status} | ${verdictText.replace(/\|/g, '\\|')} | ${notes.replace(/\|/g, '\\|')} |`);
    }

    const total = this.uploads.linked + this.uploads.failed;
    let uploadLine = 'no uploads';
    if (total > 0) {
      const rate = (this.uploads.linked / total) * 100;
      const uploadVerdict: FigureVerdict = {
        kind: meets(UPLOAD_SUCCESS_TARGET, rate) ? 'met' : 'missed',
        target: UPLOAD_SUCCESS_TARGET,
        measurement: { metric: UPLOAD_SUCCESS_TARGET.metric, value: rate, unit: '%', note: `${this.uploads.linked} of ${total} uploads linked` },
      };
      if (uploadVerdict.kind === 'missed') missed.push({ id: 'run', verdict: uploadVerdict });
      uploadLine = `${VERDICT_MARK[uploadVerdict.kind]} ${describeVerdict(uploadVerdict)}`;
    }
    const failsRun = this.remote && policy === 'fail' && missed.length > 0;
    const policyLine = !this.remote
      ? 'reported, never failing the run (local target: shared CI machines)'
      : policy === 'fail'
        ? 'a missed target fails the run (remote target; NAVMAP_E2E_MISSED_TARGETS=report reports them without failing)'
        : 'reported without failing the run (NAVMAP_E2E_MISSED_TARGETS=report)';

    const figuresOf = (id: string) => (this.outcomes.get(id) ?? []).flatMap((outcome) => outcome.figures);
    const lines = [
      '# NavMap post-deployment validation report',
      '',
      `- **Date:** ${new Date().toISOString()}`,
      `- **Environment:** ${process.env.NAVMAP_E2E_ORG_URL ?? 'local environment (@sdap/local-environment)'}`,
      `- **Target:** ${this.remote ? 'remote (a deployed environment from NAVMAP_E2E_* variables)' : 'local'}`,
      `- **Run:** ${failsRun ? 'failed (missed targets)' : result.status}`,
      `- **Figures against the plan's targets:** ${policyLine}`,
      '',
      '## Deployment summary',
      '',
      '| component | version | how it was read |',
      '|---|---|---|',
      `| BFF (@sdap/navmap-server) | ${this.bffVersion ?? 'unknown'} | ${this.bffVersion ? '`/healthz` (row D1)' : 'row D1 did not pass'} |`,
      `| PCF control (UniversalQuickCreate) | ${this.controlVersion ?? 'unknown'} | ${this.controlVersion ? 'the control on the form' : 'no form was opened'} |`,
      '',
      '## Validation results',
      '',
      'Result is the test\'s (behaviour asserted); the verdict judges each measured figure against the plan\'s target.',
      '',
      '| ID | check | target | result | verdict on figures | figures / notes |',
      '|---|---|---|---|---|---|',
      ...rows,
      '',
      '## Metrics of this run',
      '',
      `- **Upload success rate:** ${uploadLine}`,
      `- **Cache hit rate (4.1):** ${this.verdictsOf('4.1') || 'not measured'}`,
      `- **Endpoint timings (4.2, D5):** ${[this.verdictsOf('4.2'), this.verdictsOf('D5')].filter(Boolean).join('; ') || 'not measured'}`,
      `- **Control init (4.3):** ${this.verdictsOf('4.3') || 'not measured'}`,
      `- **Layer 1 load (1.1):** ${figuresOf('1.1').join('; ') || 'not measured'}`,
      '',
      '## Targets',
      '',
    ];
    if (missed.length === 0) lines.push('No measured figure missed its target.');
    else {
      lines.push(`Missed targets${failsRun ? ' (these fail the run)' : ''}:`, '');
      for (const { id, verdict } of missed) lines.push(`- **${id}** ${describeVerdict(verdict)}`);
    }
    if (unmeasured.length > 0) {
      lines.push('', 'Not measured:', '');
      for (const { id, verdict } of unmeasured) lines.push(`- **${id}** ${describeVerdict(verdict)}`);
    }
    const failures = [...this.outcomes.values()].flat().filter((outcome) => outcome.error);
    lines.push('', '## Failures', '');
    if (failures.length === 0) lines.push('None.');
    for (const failure of failures) lines.push(`- **${failure.title}**: ${failure.error}`);
    mkdirSync(dirname(this.outputFile), { recursive: true });
    writeFileSync(this.outputFile, `${lines.join('\n')}\n`);
    console.log(`Validation report: ${this.outputFile}`);
    if (missed.length > 0) console.log(`Missed targets (${policyLine}):\n${missed.map(({ id, verdict }) => `  - ${id} ${describeVerdict(verdict)}`).join('\n')}`);
    return failsRun ? { status: 'failed' } : undefined;
  }

  /** The verdicts of a row's figures, for the metrics section. */
  private verdictsOf(id: string): string {
    const row = validationMatrix.find((candidate) => candidate.id === id);
    const outcomes = this.outcomes.get(id) ?? [];
    if (!row?.targets || outcomes.length === 0) return '';
    return judgeFigures(row.targets, outcomes.flatMap((outcome) => outcome.measurements), new Map(outcomes.flatMap((outcome) => [...outcome.notMeasured])), 'not recorded')
      .map(describeVerdict)
      .join('; ');
  }
}
