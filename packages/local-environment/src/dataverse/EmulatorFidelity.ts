/**
 * Switches for behaviour of the real service that a client must survive, settable at start and on the admin endpoint
 * (`GET`/`PATCH /fidelity`). Defaults keep the emulator immediate and permissive for unit tests.
 */
export interface EmulatorFidelity {
  /**
   * Refuse query features not verified on real Dataverse: `or` inside a `$filter` on a relationship collection
   * (`EntityDefinitions(...)/ManyToOneRelationships?$filter=a or b`, also inside `$expand`). @default false
   */
  refuseUnverifiedQueries: boolean;
  /**
   * Dataverse caches metadata for about 30 s after a change: a metadata read without `Consistency: Strong` sees the
   * schema as it was this many milliseconds ago. @default 0
   */
  metadataLagMs: number;
}

export const DEFAULT_FIDELITY: Readonly<EmulatorFidelity> = Object.freeze({ refuseUnverifiedQueries: false, metadataLagMs: 0 });

/** Longest lag the switch takes: ten minutes, far beyond Dataverse's ~30 s. */
export const MAX_METADATA_LAG_MS = 600_000;

/** Checks a partial fidelity object (start options or a `PATCH /fidelity` body); returns the message for a bad field. */
export function fidelityProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'The fidelity switches must be an object such as { "refuseUnverifiedQueries": true, "metadataLagMs": 30000 }.';
  }
  for (const [key, field] of Object.entries(value)) {
    if (key === 'refuseUnverifiedQueries') {
      if (typeof field !== 'boolean') return `\`refuseUnverifiedQueries\` must be true or false; received ${JSON.stringify(field)}.`;
    } else if (key === 'metadataLagMs') {
      if (typeof field !== 'number' || !Number.isInteger(field) || field < 0 || field > MAX_METADATA_LAG_MS) {
        return `\`metadataLagMs\` must be a whole number from 0 to ${MAX_METADATA_LAG_MS}; received ${JSON.stringify(field)}.`;
      }
    } else {
      return `Unknown fidelity switch \`${key}\`; known switches: refuseUnverifiedQueries, metadataLagMs.`;
    }
  }
  return undefined;
}
