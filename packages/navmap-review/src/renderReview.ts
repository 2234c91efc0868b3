import { rollbackScenarios, type ReviewCheck, type ReviewDecision } from './decideReview.js';
import { oneLine } from './oneLine.js';
import type { ReviewFigures } from './readFigures.js';

/** Everything one review found: what it read, from where, for which window, and what the plan's rules decide. */
export interface ReviewReport {
  /** The Application Insights resource id or Log Analytics workspace id the queries ran against. */
  readonly source: string;
  readonly from: Date;
  readonly to: Date;
  readonly generatedAt: Date;
  readonly figures: ReviewFigures;
  readonly checks: readonly ReviewCheck[];
  readonly decision: ReviewDecision;
}

const DECISION_HEADINGS = {
  continue: 'Deployment successful, continue monitoring',
  'action-items': 'Issues found, create action items',
  rollback: 'Critical issues, execute rollback',
  'cannot-review': 'Could not review: the data could not be read',
} as const;

function formatValue(check: ReviewCheck): string {
  if (check.value === undefined) return `not measured (${check.reason})`;
  return `${check.value}${check.unit === '' ? '' : ` ${check.unit}`}`;
}

function hours(from: Date, to: Date): string {
  const value = (to.getTime() - from.getTime()) / 3_600_000;
  return `${Number.isInteger(value) ? value : value.toFixed(1)} h`;
}

/** A Markdown table cell: a line break or a bare `|` would end the row or the cell. */
function cell(text: string): string {
  return oneLine(text).replace(/\|/g, '\\|');
}

function checkTable(checks: readonly ReviewCheck[]): string[] {
  return ['| figure | value | target | result |', '|---|---|---|---|', ...checks.map((check) => `| ${cell(check.label)} | ${cell(formatValue(check))} | ${cell(check.target)} | ${check.result} |`)];
}

function group<T>(value: T | string, render: (value: T) => string[]): string[] {
  return typeof value === 'string' ? [`Not read: ${value}`] : render(value);
}

/**
 * The deployment plan's 48-hour review (docs/operations/deployment-runbook.md, step 5), filled in, as Markdown: the
 * decision (with the rollback's symptom and runbook link, or the reasons the data could not be read), action items,
 * the performance and reliability figures against their targets, usage, errors by code, and blanks for the feedback
 * telemetry does not hold.
 *
 * @example
 * writeFileSync('review-48h.md', renderMarkdown(await runReview(options)));
 */
export function renderMarkdown(report: ReviewReport): string {
  const { figures, checks, decision } = report;
  const byName = (names: readonly string[]) => checks.filter((check) => names.includes(check.name));
  const lines = [
    '# NavMap post-deployment review',
    '',
    `Window: ${report.from.toISOString()} to ${report.to.toISOString()} (${hours(report.from, report.to)}). Source: \`${report.source}\`. Generated ${report.generatedAt.toISOString()} by navmap-review.`,
    '',
    `## Decision: ${DECISION_HEADINGS[decision.kind]}`,
    '',
  ];
  if (decision.kind === 'rollback') {
    const scenario = rollbackScenarios[decision.scenario];
    lines.push(`Rollback scenario ${decision.scenario}. Symptom: ${decision.symptom}`, '', `Runbook: [${scenario.title}](${decision.runbook})`, '');
  }
  if (decision.kind === 'cannot-review') lines.push(...decision.reasons.map((reason) => `- ${reason}`), '');
  if (decision.kind !== 'continue' && decision.actionItems.length > 0) {
    lines.push('### Action items', '', ...decision.actionItems.map((item) => `- [ ] ${item}`), '');
  }
  lines.push('## Performance', '', ...checkTable(byName(['cacheHitRatePercent', 'averageMs', 'p95Ms'])), '');
  lines.push('## Reliability', '', ...checkTable(byName(['successRatePercent', 'uptimePercent', 'errorCount'])), '');
  lines.push(
    '## Usage',
    '',
    ...group(figures.documents, (documents) => [
      `- Total uploads: ${documents.succeeded} (DocumentCreated; ${documents.failed} failed)`,
      `- Tables used: ${documents.byTable.length === 0 ? 'none' : documents.byTable.map((entry) => `${entry.parentEntity} (${entry.succeeded} created, ${entry.failed} failed)`).join(', ')}`,
    ]),
    '- Unique users: not in NavMap\'s telemetry (the control sends no user ids); count the distinct `createdby` of the `sprk_document` records created in the window in Dataverse.',
    ...group(figures.loads, (loads) => [`- NavMap resolutions: ${loads.loads} (cache ${loads.cache}, server ${loads.server}, fallback ${loads.fallback})`]),
    ...group(figures.performance, (performance) => [`- Endpoint requests: ${performance.requests}`]),
    '',
    '## Errors by code',
    '',
    ...group(figures.errors, (errors) =>
      errors.length === 0 ? ['None.'] : ['| origin | code | count |', '|---|---|---|', ...errors.map((error) => `| ${cell(error.origin)} | ${cell(error.code || '(none)')} | ${error.count} |`)],
    ),
    '',
    '## User feedback (not in telemetry: fill in)',
    '',
    '- Support tickets: ___ (expect 0 related to this change)',
    '- User complaints: ___ (expect 0)',
    '',
  );
  return lines.join('\n');
}

/** The same review as JSON: dates as ISO strings, figures, checks and the decision as the types above. */
export function renderJson(report: ReviewReport): string {
  return `${JSON.stringify({ ...report, from: report.from.toISOString(), to: report.to.toISOString(), generatedAt: report.generatedAt.toISOString() }, null, 2)}\n`;
}
