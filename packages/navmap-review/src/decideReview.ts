import type { ReviewFigures } from './readFigures.js';
import { describeTarget, meetsTarget, type ReviewTargets, type TargetName } from './targets.js';

/** One figure of the plan's review against its target. */
export interface ReviewCheck {
  readonly name: TargetName;
  readonly label: string;
  /** Undefined when the figure could not be measured. */
  readonly value: number | undefined;
  readonly unit: '%' | 'ms' | '';
  readonly target: string;
  readonly result: 'pass' | 'fail' | 'not measured';
  /** Why the figure is not measured. */
  readonly reason?: string;
}

/** The deployment runbook and its rollback sections (docs/operations/deployment-runbook.md). */
export const RUNBOOK_PATH = 'docs/operations/deployment-runbook.md';
export const rollbackScenarios = {
  1: { title: 'Scenario 1: the control misbehaves, uploads still work (minor)', anchor: 'scenario-1-the-control-misbehaves-uploads-still-work-minor' },
  2: { title: 'Scenario 2: the server misbehaves (moderate)', anchor: 'scenario-2-the-server-misbehaves-moderate' },
  3: { title: 'Scenario 3: uploads fail (critical)', anchor: 'scenario-3-uploads-fail-critical' },
} as const;
export type RollbackScenario = keyof typeof rollbackScenarios;

export type ReviewDecision =
  | { readonly kind: 'continue' }
  | { readonly kind: 'action-items'; readonly actionItems: readonly string[] }
  | {
      readonly kind: 'rollback';
      readonly scenario: RollbackScenario;
      readonly symptom: string;
      /** `docs/operations/deployment-runbook.md#scenario-...` */
      readonly runbook: string;
      readonly actionItems: readonly string[];
    }
  | { readonly kind: 'cannot-review'; readonly reasons: readonly string[]; readonly actionItems: readonly string[] };

/**
 * What to check when a figure has no data: a 200 without data is also the service's answer when table-level access
 * hides the tables (https://learn.microsoft.com/azure/azure-monitor/logs/api/azure-resource-queries, "Partial access").
 */
export const NO_DATA_HINT =
  'No data can also mean the identity may not read the tables: the service answers an empty 200, not an error, when table-level access hides them. Check that the identity has Reader (or Log Analytics Reader) on the Application Insights resource and its workspace, then that telemetry reached this resource in the window.';

/** The CLI's exit code for each decision. */
export const exitCodes = { continue: 0, 'action-items': 1, rollback: 2, 'cannot-review': 3 } as const satisfies Record<ReviewDecision['kind'], number>;

function check(name: TargetName, label: string, unit: ReviewCheck['unit'], value: number | undefined | string, noData: string, targets: ReviewTargets): ReviewCheck {
  const target = describeTarget(name, targets);
  if (typeof value === 'string') return { name, label, value: undefined, unit, target, result: 'not measured', reason: value };
  if (value === undefined) return { name, label, value: undefined, unit, target, result: 'not measured', reason: noData };
  return { name, label, value, unit, target, result: meetsTarget(name, value, targets) ? 'pass' : 'fail' };
}

/** The six figures of the plan's review (performance, then reliability), each with its target and result. */
export function checkFigures(figures: ReviewFigures, targets: ReviewTargets): ReviewCheck[] {
  const { loads, documents, performance, uptime, errors } = figures;
  const pick = <T extends object, K extends keyof T>(group: T | string, key: K): T[K] | string => (typeof group === 'string' ? group : group[key]);
  return [
    check('cacheHitRatePercent', 'Cache hit rate', '%', pick(loads, 'cacheHitRatePercent'), 'no NavMapLoaded events in the window', targets),
    check('averageMs', 'Average response time', 'ms', pick(performance, 'averageMs'), 'no requests to GET /api/pcf/dataverse-navmap in the window', targets),
    check('p95Ms', 'P95 response time', 'ms', pick(performance, 'p95Ms'), 'no requests to GET /api/pcf/dataverse-navmap in the window', targets),
    check('successRatePercent', 'Document creation success rate', '%', pick(documents, 'successRatePercent'), 'no DocumentCreated or DocumentCreateFailed events in the window', targets),
    check('uptimePercent', 'NavMap endpoint uptime', '%', pick(uptime, 'uptimePercent'), 'no calls to the endpoint in the window', targets),
    check('errorCount', 'Error count', '', typeof errors === 'string' ? errors : errors.reduce((sum, error) => sum + error.count, 0), '', targets),
  ];
}

function failed(checks: readonly ReviewCheck[], name: TargetName): ReviewCheck | undefined {
  const found = checks.find((entry) => entry.name === name);
  return found?.result === 'fail' ? found : undefined;
}

function passed(checks: readonly ReviewCheck[], name: TargetName): boolean {
  return checks.find((entry) => entry.name === name)?.result === 'pass';
}

function show(entry: ReviewCheck): string {
  return `${entry.value}${entry.unit === '' ? '' : ` ${entry.unit}`} (target ${entry.target})`;
}

/** The rollback the figures point to, most severe first; undefined when none does. */
function rollbackFor(figures: ReviewFigures, checks: readonly ReviewCheck[]): { scenario: RollbackScenario; symptom: string } | undefined {
  const documents = typeof figures.documents === 'string' ? undefined : figures.documents;
  const success = failed(checks, 'successRatePercent');
  const failingTables = documents?.byTable.filter((entry) => entry.failed > 0).map((entry) => entry.parentEntity) ?? [];
  if (success !== undefined && failingTables.length >= 2) {
    return {
      scenario: 3,
      symptom: `Document uploads failing on ${failingTables.length} parent tables (${failingTables.join(', ')}): success rate ${show(success)}, ${documents?.failed} of ${(documents?.failed ?? 0) + (documents?.succeeded ?? 0)} creations failed.`,
    };
  }
  const uptimeCheck = failed(checks, 'uptimePercent');
  if (uptimeCheck !== undefined && typeof figures.uptime !== 'string') {
    return {
      scenario: 2,
      symptom: `NavMap endpoint returning errors: uptime ${show(uptimeCheck)}, ${figures.uptime.failures} of ${figures.uptime.calls} calls answered 5xx or never answered.`,
    };
  }
  const loads = typeof figures.loads === 'string' ? undefined : figures.loads;
  if (loads !== undefined && loads.fallback > 0 && passed(checks, 'uptimePercent')) {
    return {
      scenario: 1,
      symptom: `The control is not loading metadata from the server: ${loads.fallback} of ${loads.loads} resolutions used the map bundled in the control, while the endpoint answered every call.`,
    };
  }
  return undefined;
}

/** One action item per missed target that no rollback covers. */
function actionItemsFor(figures: ReviewFigures, checks: readonly ReviewCheck[]): string[] {
  const items: string[] = [];
  const hitRate = failed(checks, 'cacheHitRatePercent');
  if (hitRate !== undefined) {
    items.push(`Cache hit rate ${show(hitRate)}: the browser cache is not answering; read NavMapLayerFailed with layer "cache" (monitoring.md, Layer failures by reason) and check the control's cache settings.`);
  }
  const average = failed(checks, 'averageMs');
  if (average !== undefined) items.push(`Endpoint average ${show(average)}: check the server's cache (navmap_cache_events_total, hit against miss) and its Dataverse reads (dependencies).`);
  const p95 = failed(checks, 'p95Ms');
  if (p95 !== undefined) items.push(`Endpoint P95 ${show(p95)}: slow cache misses; check the Dataverse dependency timings and cache.ttlSeconds.`);
  const success = failed(checks, 'successRatePercent');
  if (success !== undefined && typeof figures.documents !== 'string') {
    const failing = figures.documents.byTable.filter((entry) => entry.failed > 0).map((entry) => `${entry.parentEntity} (${entry.failed} failed)`);
    items.push(`Document creation success ${show(success)}, failures on ${failing.join(', ')}: read its DocumentCreateFailed errorCode values (errors.md) and check that table's relationship in the server's parents.`);
  }
  const errors = failed(checks, 'errorCount');
  if (errors !== undefined && typeof figures.errors !== 'string') {
    const codes = figures.errors.map((error) => `${error.origin} ${error.code || '(no code)'}: ${error.count}`);
    items.push(`${errors.value} errors reported (target ${errors.target}): ${codes.join('; ')}. Each code's cause and fix is in docs/errors.md.`);
  }
  return items;
}

/**
 * The deployment plan's 48-hour review decision (docs/operations/deployment-runbook.md, step 5) from the figures, most
 * severe first:
 *
 * 1. any query refused, partial or malformed: cannot review (exit 3), even if what was read points to a rollback;
 * 2. rollback scenario 3 when the document success rate misses its target with failures on two or more parent tables;
 *    scenario 2 when the endpoint uptime misses its target (5xx answers, or calls browsers saw go unanswered);
 *    scenario 1 when browsers used the control's bundled map although the endpoint answered every call (exit 2);
 * 3. cannot review (exit 3) when a figure has no data in the window, since an unmeasured figure is not a pass, with
 *    the hint that missing table access looks the same;
 * 4. action items (exit 1), one per missed target;
 * 5. continue (exit 0).
 *
 * @example
 * const checks = checkFigures(figures, defaultTargets);
 * decideReview(figures, checks); // { kind: 'rollback', scenario: 2, symptom: 'NavMap endpoint returning errors: ...', ... }
 */
export function decideReview(figures: ReviewFigures, checks: readonly ReviewCheck[]): ReviewDecision {
  const unreadable = Object.values(figures).filter((group): group is string => typeof group === 'string');
  const rollback = rollbackFor(figures, checks);
  const actionItems = actionItemsFor(figures, checks);
  if (unreadable.length > 0) {
    const hint = rollback === undefined ? [] : [`What could be read already points to rollback scenario ${rollback.scenario}: ${rollback.symptom}`];
    return { kind: 'cannot-review', reasons: [...new Set(unreadable)], actionItems: [...hint, ...actionItems] };
  }
  if (rollback !== undefined) {
    return { kind: 'rollback', ...rollback, runbook: `${RUNBOOK_PATH}#${rollbackScenarios[rollback.scenario].anchor}`, actionItems };
  }
  const unmeasured = checks.filter((entry) => entry.result === 'not measured');
  if (unmeasured.length > 0) {
    return { kind: 'cannot-review', reasons: unmeasured.map((entry) => `${entry.label}: ${entry.reason}`), actionItems: [NO_DATA_HINT, ...actionItems] };
  }
  if (actionItems.length > 0) return { kind: 'action-items', actionItems };
  return { kind: 'continue' };
}
