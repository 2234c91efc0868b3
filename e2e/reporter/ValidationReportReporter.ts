import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';
import { matrixIdOf, validationMatrix } from '../support/validationMatrix.js';

interface Outcome {
  readonly title: string;
  readonly status: TestResult['status'];
  readonly durationMs: number;
  readonly figures: readonly string[];
  readonly error?: string;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Writes the seed's post-deployment validation report (Markdown) beside Playwright's HTML report: the versions
 * deployed (the BFF's from /healthz, the control's from the form), a row per matrix ID with pass / fail / skipped
 * and the figures tests recorded as `figure` annotations, the run's metrics, then the failures.
 */
export default class ValidationReportReporter implements Reporter {
  private readonly outcomes = new Map<string, Outcome[]>();
  private readonly outputFile: string;
  private bffVersion: string | undefined;
  private controlVersion: string | undefined;
  private uploads = { linked: 0, failed: 0 };

  constructor(options: { outputFile?: string } = {}) {
    this.outputFile = options.outputFile ?? join(root, 'playwright-report', 'validation-report.md');
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    if (test.parent.project()?.name === 'remote-setup') return;
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
    list.push({ title: test.title, status: result.status, durationMs: result.duration, figures: values('figure'), ...(error ? { error } : {}) });
    this.outcomes.set(id, list);
  }

  onEnd(result: FullResult): void {
    if (this.outcomes.size === 0) return; // `--list`, or a run stopped before any test: keep the last report
    const lines = [
      '# NavMap post-deployment validation report',
      '',
      `- **Date:** ${new Date().toISOString()}`,
      `- **Environment:** ${process.env.NAVMAP_E2E_ORG_URL ?? 'local environment (@sdap/local-environment)'}`,
      `- **Run:** ${result.status}`,
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
      '| ID | check | target | result | figures / notes |',
      '|---|---|---|---|---|',
    ];
    for (const row of validationMatrix) {
      const outcomes = this.outcomes.get(row.id) ?? [];
      let status: string;
      let notes: string;
      if (outcomes.length > 0) {
        const failed = outcomes.some((outcome) => outcome.status === 'failed' || outcome.status === 'timedOut');
        const passed = outcomes.every((outcome) => outcome.status === 'passed');
        status = failed ? '❌ fail' : passed ? '✅ pass' : '⏭ skipped';
        notes = [...outcomes.flatMap((outcome) => outcome.figures), `${outcomes.length} test(s), ${Math.round(outcomes.reduce((sum, o) => sum + o.durationMs, 0))} ms`].join('; ');
      } else if (row.manual) {
        status = '— manual';
        notes = `a machine cannot check this: ${row.manual}`;
      } else {
        status = '— not run';
        notes = 'no test with this ID ran (filtered out, or the project skips it)';
      }
      lines.push(`| ${row.id} | ${row.check} | ${row.target ?? ''} | ${status} | ${notes.replace(/\|/g, '\\|')} |`);
    }

    const total = this.uploads.linked + this.uploads.failed;
    const figuresOf = (id: string) => (this.outcomes.get(id) ?? []).flatMap((outcome) => outcome.figures);
    lines.push(
      '',
      '## Metrics of this run',
      '',
      `- **Upload success rate:** ${total === 0 ? 'no uploads' : `${this.uploads.linked} of ${total} uploads linked (${((this.uploads.linked / total) * 100).toFixed(1)} %)`} (target > 99 %)`,
      `- **Cache hit rate (4.1):** ${figuresOf('4.1').join('; ') || 'not measured'}`,
      `- **Endpoint timings (4.2, D5):** ${[...figuresOf('4.2'), ...figuresOf('D5')].join('; ') || 'not measured'}`,
      `- **Control init (4.3):** ${figuresOf('4.3').join('; ') || 'not measured'}`,
    );
    const failures = [...this.outcomes.values()].flat().filter((outcome) => outcome.error);
    lines.push('', '## Failures', '');
    if (failures.length === 0) lines.push('None.');
    for (const failure of failures) lines.push(`- **${failure.title}**: ${failure.error}`);
    mkdirSync(dirname(this.outputFile), { recursive: true });
    writeFileSync(this.outputFile, `${lines.join('\n')}\n`);
    console.log(`Validation report: ${this.outputFile}`);
  }
}
