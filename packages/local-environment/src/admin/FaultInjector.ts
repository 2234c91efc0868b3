import { randomUUID } from 'node:crypto';

export const FAULT_TARGETS = ['metadata', 'records', 'upload', 'all'] as const;
export const FAULT_KINDS = ['outage', 'status', 'latency', 'throttle', 'malformed'] as const;
export type FaultTarget = (typeof FAULT_TARGETS)[number];
export type FaultKind = (typeof FAULT_KINDS)[number];
/** What a request is counted under. */
export type RequestTarget = Exclude<FaultTarget, 'all'>;

/** A fault as `POST /faults` takes it. */
export interface FaultSpec {
  readonly target: FaultTarget;
  readonly kind: FaultKind;
  /** HTTP status for `status` faults. @default 503 */
  readonly status?: number;
  /** Delay for `latency` faults, in milliseconds. @default 1000 */
  readonly latencyMs?: number;
  /** Retry-After for `throttle` faults, in seconds. @default 2 */
  readonly retryAfterSeconds?: number;
  /** How many matching requests the fault applies to; omitted = until `DELETE /faults`. */
  readonly count?: number;
  /** For `malformed`: a body that is not JSON, or JSON of the wrong shape. @default 'not-json' */
  readonly body?: 'not-json' | 'wrong-shape';
}

export interface ActiveFault extends FaultSpec {
  readonly id: string;
  /** Matching requests still to fault; null = unlimited. */
  remaining: number | null;
}

export interface RequestCounts {
  metadata: number;
  records: number;
  upload: number;
  total: number;
}

/** Thrown for a bad `POST /faults` body; the message names the field. */
export class FaultSpecError extends Error {
  override readonly name = 'FaultSpecError' as const;
}

function optionalInteger(body: Record<string, unknown>, field: string, min: number, max: number): number | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new FaultSpecError(`\`${field}\` must be a whole number from ${min} to ${max}; received ${JSON.stringify(value)}.`);
  }
  return value;
}

/** Validates a `POST /faults` body. */
export function parseFaultSpec(body: unknown): FaultSpec {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new FaultSpecError('The body must be a JSON object such as { "target": "metadata", "kind": "status", "status": 503 }.');
  }
  const record = body as Record<string, unknown>;
  const known = new Set(['target', 'kind', 'status', 'latencyMs', 'retryAfterSeconds', 'count', 'body']);
  for (const key of Object.keys(record)) if (!known.has(key)) throw new FaultSpecError(`Unknown field \`${key}\`; known fields: ${[...known].join(', ')}.`);
  const { target, kind } = record;
  if (!FAULT_TARGETS.includes(target as FaultTarget)) {
    throw new FaultSpecError(`\`target\` must be one of ${FAULT_TARGETS.join(', ')}; received ${JSON.stringify(target)}.`);
  }
  if (!FAULT_KINDS.includes(kind as FaultKind)) {
    throw new FaultSpecError(`\`kind\` must be one of ${FAULT_KINDS.join(', ')}; received ${JSON.stringify(kind)}.`);
  }
  const malformedBody = record.body;
  if (malformedBody !== undefined && malformedBody !== 'not-json' && malformedBody !== 'wrong-shape') {
    throw new FaultSpecError(`\`body\` must be "not-json" or "wrong-shape"; received ${JSON.stringify(malformedBody)}.`);
  }
  const status = optionalInteger(record, 'status', 400, 599);
  const latencyMs = optionalInteger(record, 'latencyMs', 0, 600_000);
  const retryAfterSeconds = optionalInteger(record, 'retryAfterSeconds', 0, 3600);
  const count = optionalInteger(record, 'count', 1, 1_000_000);
  return {
    target: target as FaultTarget,
    kind: kind as FaultKind,
    ...(status === undefined ? {} : { status }),
    ...(latencyMs === undefined ? {} : { latencyMs }),
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    ...(count === undefined ? {} : { count }),
    ...(malformedBody === undefined ? {} : { body: malformedBody as 'not-json' | 'wrong-shape' }),
  };
}

/** Faults to apply to the next matching requests, and counters of the requests that reached the emulator. */
export class FaultInjector {
  private faults: ActiveFault[] = [];
  private counts: RequestCounts = { metadata: 0, records: 0, upload: 0, total: 0 };

  add(spec: FaultSpec): ActiveFault {
    const fault: ActiveFault = { ...spec, id: randomUUID(), remaining: spec.count ?? null };
    this.faults.push(fault);
    return fault;
  }

  list(): ActiveFault[] {
    return this.faults.map((fault) => ({ ...fault }));
  }

  remove(id: string): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((fault) => fault.id !== id);
    return this.faults.length < before;
  }

  clear(): void {
    this.faults = [];
  }

  /** Counts a request and returns the fault it must suffer, if any (oldest matching fault first). */
  take(target: RequestTarget): ActiveFault | undefined {
    this.counts[target]++;
    this.counts.total++;
    const fault = this.faults.find((candidate) => candidate.target === target || candidate.target === 'all');
    if (fault === undefined) return undefined;
    if (fault.remaining !== null) {
      fault.remaining--;
      if (fault.remaining <= 0) this.faults = this.faults.filter((candidate) => candidate !== fault);
    }
    return { ...fault };
  }

  requestCounts(): RequestCounts {
    return { ...this.counts };
  }

  resetCounts(): void {
    this.counts = { metadata: 0, records: 0, upload: 0, total: 0 };
  }
}
