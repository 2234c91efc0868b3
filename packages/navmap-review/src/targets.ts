/**
 * The targets of the deployment plan's 48-hour review (docs/operations/deployment-runbook.md, step 5). Rates are
 * percentages; a figure passes when it is strictly above a `> ` target, strictly below a `< ` target, at least the
 * uptime target, at most the error target.
 */
export interface ReviewTargets {
  /** Cache hit rate must be above this (plan: > 95 %). */
  readonly cacheHitRatePercent: number;
  /** Document creation success rate must be above this (plan: > 99 %). */
  readonly successRatePercent: number;
  /** Endpoint average must be below this (plan: < 100 ms). */
  readonly averageMs: number;
  /** Endpoint P95 must be below this (plan: < 500 ms). */
  readonly p95Ms: number;
  /** Endpoint uptime must be at least this (plan: 100 %). */
  readonly uptimePercent: number;
  /** Error count must be at most this (plan: 0). */
  readonly errorCount: number;
}

export const defaultTargets: ReviewTargets = {
  cacheHitRatePercent: 95,
  successRatePercent: 99,
  averageMs: 100,
  p95Ms: 500,
  uptimePercent: 100,
  errorCount: 0,
};

/** How each target compares, and the CLI option that sets it. */
export const targetRules = {
  cacheHitRatePercent: { comparison: '>', unit: '%', option: 'target-hit-rate' },
  successRatePercent: { comparison: '>', unit: '%', option: 'target-success' },
  averageMs: { comparison: '<', unit: 'ms', option: 'target-average-ms' },
  p95Ms: { comparison: '<', unit: 'ms', option: 'target-p95-ms' },
  uptimePercent: { comparison: '>=', unit: '%', option: 'target-uptime' },
  errorCount: { comparison: '<=', unit: '', option: 'target-errors' },
} as const satisfies Record<keyof ReviewTargets, { comparison: '>' | '<' | '>=' | '<='; unit: string; option: string }>;

export type TargetName = keyof ReviewTargets;

/**
 * Whether `value` meets the target named `name`.
 *
 * @example
 * meetsTarget('cacheHitRatePercent', 95, defaultTargets); // false: the plan asks for more than 95 %
 */
export function meetsTarget(name: TargetName, value: number, targets: ReviewTargets): boolean {
  const target = targets[name];
  switch (targetRules[name].comparison) {
    case '>':
      return value > target;
    case '<':
      return value < target;
    case '>=':
      return value >= target;
    case '<=':
      return value <= target;
  }
}

/** `> 95 %`, `< 100 ms`, `100 %` (an uptime target reads as the plan writes it), `0`. */
export function describeTarget(name: TargetName, targets: ReviewTargets): string {
  const { comparison, unit } = targetRules[name];
  const value = `${targets[name]}${unit === '' ? '' : ` ${unit}`}`;
  if (comparison === '>=' && targets[name] === 100) return value;
  if (comparison === '<=' && targets[name] === 0) return value;
  return `${comparison.replace('>=', '≥').replace('<=', '≤')} ${value}`;
}
