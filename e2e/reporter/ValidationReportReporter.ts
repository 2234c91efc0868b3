import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
const versionOf = (packageDir: string) =>
  (JSON.parse(readFileSync(join(root, 'packages', packageDir, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * Writes the seed's post-deployment validation report (Markdown) beside Playwright's HTML report: a row per matrix
 * ID with pass / fail / skipped and the figures tests recorded as `figure` annotations, then the failures.
 */
export default class ValidationReportReporter implements Reporter {
  private readonly outcomes = new Map<string, Outcome[]>();
  private readonly outputFile: string;

  constructor(options: { outputFile?: string } = {}) {
    this.outputFile = options.outputFile ?? join(root, 'playwright-report', 'validation-report.md');
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status !== 'passed' && result.retry < test.retries) return;
    const id = matrixIdOf(test.title) ?? 'other';
    const figures = test.annotations.filter((annotation) => annotation.type === 'figure').map((annotation) => annotation.description ?? '');
    // eslint-disable-next-line no-control-regex
    const error = result.error?.message?.split('\n')[0]?.replace(/\u001b\[[0-9;]*m/g, ''); // terminal colours
    const list = this.outcomes.get(id) ?? [];
    list.push({ title: test.title, status: result.status, durationMs: result.duration, figures, ...(error ? { error } : {}) });
    this.outcomes.set(id, list);
  }

  onEnd(result: FullResult): void {
    const target = process.env.NAVMAP_E2E_ORG_URL ?? 'local environment (@sdap/local-environment)';
    const lines = [
      '# NavMap post-deployment validation report',
      '',
      `- **Date:** ${new Date().toISOString()}`,
      `- **Environment:** ${target}`,
      `- **BFF:** @sdap/navmap-server ${versionOf('navmap-server')}`,
      `- **PCF control:** UniversalQuickCreate ${versionOf('pcf-control')}`,
      `- **Run:** ${result.status}`,
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
        status = '— not in this suite';
        notes = row.elsewhere ? `proven by ${row.elsewhere}` : 'no automated check yet';
      }
      lines.push(`| ${row.id} | ${row.check} | ${row.target ?? ''} | ${status} | ${notes.replace(/\|/g, '\\|')} |`);
    }
    const failures = [...this.outcomes.values()].flat().filter((outcome) => outcome.error);
    lines.push('', '## Failures', '');
    if (failures.length === 0) lines.push('None.');
    for (const failure of failures) lines.push(`- **${failure.title}**: ${failure.error}`);
    mkdirSync(dirname(this.outputFile), { recursive: true });
    writeFileSync(this.outputFile, `${lines.join('\n')}\n`);
    console.log(`Validation report: ${this.outputFile}`);
  }
}
