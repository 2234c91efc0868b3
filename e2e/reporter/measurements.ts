/**
 * Measured figures of a test, for the validation report to judge against the plan's targets
 * (`validationMatrix[].targets`). Tests record; they never assert a timing. The reporter gives each figure its verdict.
 */
import { test } from '@playwright/test';

export type MeasurementUnit = 'ms' | '%';

/** One measured figure: `metric` names which of its row's targets it is judged against. */
export interface Measurement {
  readonly metric: string;
  readonly value: number;
  readonly unit: MeasurementUnit;
  /** How it was measured (sample size, what was left out), shown beside the verdict. */
  readonly note?: string;
}

/** A figure the row is not judged on here, with the reason (e.g. a cold call cannot be forced on a deployed server). */
export interface NotMeasured {
  readonly metric: string;
  readonly reason: string;
}

export const MEASUREMENT_ANNOTATION = 'measurement';
export const NOT_MEASURED_ANNOTATION = 'not-measured';

/**
 * Records a figure of the running test for the report.
 *
 * @example
 * recordMeasurement({ metric: 'warm median', value: 2.1, unit: 'ms', note: 'p95 9.2 ms over 20 calls' });
 */
export function recordMeasurement(measurement: Measurement): void {
  test.info().annotations.push({ type: MEASUREMENT_ANNOTATION, description: JSON.stringify(measurement) });
}

/** Records that a target of this row could not be measured on this target, and why. */
export function recordNotMeasured(notMeasured: NotMeasured): void {
  test.info().annotations.push({ type: NOT_MEASURED_ANNOTATION, description: JSON.stringify(notMeasured) });
}

/** Reads a `measurement` annotation back; undefined when it is not one this file wrote. */
export function parseMeasurement(description: string | undefined): Measurement | undefined {
  try {
    const value = JSON.parse(description ?? '') as Partial<Measurement>;
    if (typeof value.metric !== 'string' || typeof value.value !== 'number' || (value.unit !== 'ms' && value.unit !== '%')) return undefined;
    return { metric: value.metric, value: value.value, unit: value.unit, ...(typeof value.note === 'string' ? { note: value.note } : {}) };
  } catch {
    return undefined;
  }
}

export function parseNotMeasured(description: string | undefined): NotMeasured | undefined {
  try {
    const value = JSON.parse(description ?? '') as Partial<NotMeasured>;
    return typeof value.metric === 'string' && typeof value.reason === 'string' ? { metric: value.metric, reason: value.reason } : undefined;
  } catch {
    return undefined;
  }
}
