import type { Measurement, MeasurementUnit } from './measurements.js';

/** A target of the plan for one measured figure of a matrix row (`4.1`: warm hit rate > 95 %). */
export interface FigureTarget {
  /** Which recorded measurement it judges (`recordMeasurement({ metric })`). */
  readonly metric: string;
  readonly comparison: '<' | '<=' | '>';
  readonly limit: number;
  readonly unit: MeasurementUnit;
}

/** The verdict on one figure. */
export type FigureVerdict =
  | { readonly kind: 'met' | 'missed'; readonly target: FigureTarget; readonly measurement: Measurement }
  | { readonly kind: 'not measured'; readonly target: FigureTarget; readonly reason: string };

const SYMBOL = { '<': '<', '<=': '≤', '>': '>' } as const;

function amount(value: number, unit: MeasurementUnit): string {
  const digits = Number.isInteger(value) || Math.abs(value) >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${unit}`;
}

/** `warm median < 50 ms` */
export function describeTarget(target: FigureTarget): string {
  return `${target.metric} ${SYMBOL[target.comparison]} ${amount(target.limit, target.unit)}`;
}

export function meets(target: FigureTarget, value: number): boolean {
  if (target.comparison === '<') return value < target.limit;
  if (target.comparison === '<=') return value <= target.limit;
  return value > target.limit;
}

/** Judges a row's targets on what its tests measured; a target without a measurement says why. */
export function judgeFigures(
  targets: readonly FigureTarget[],
  measurements: readonly Measurement[],
  notMeasured: ReadonlyMap<string, string>,
  whyNoFigure: string,
): FigureVerdict[] {
  return targets.map((target) => {
    const measurement = measurements.find((candidate) => candidate.metric === target.metric);
    if (!measurement) return { kind: 'not measured', target, reason: notMeasured.get(target.metric) ?? whyNoFigure };
    return { kind: meets(target, measurement.value) ? 'met' : 'missed', target, measurement };
  });
}

/** `warm median 2.1 ms: met (target < 50 ms; p95 9.2 ms over 20 calls)` */
export function describeVerdict(verdict: FigureVerdict): string {
  const target = `target ${SYMBOL[verdict.target.comparison]} ${amount(verdict.target.limit, verdict.target.unit)}`;
  if (verdict.kind === 'not measured') return `${verdict.target.metric}: not measured (${target}): ${verdict.reason}`;
  const note = verdict.measurement.note ? `; ${verdict.measurement.note}` : '';
  return `${verdict.target.metric} ${amount(verdict.measurement.value, verdict.measurement.unit)}: ${verdict.kind} (${target}${note})`;
}
