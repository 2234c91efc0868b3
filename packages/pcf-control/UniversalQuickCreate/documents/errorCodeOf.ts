import { isNavMapError } from '@sdap/navmap-sdk';

/** NavMap's code, else Dataverse's hex code (PCF rejects with its unsigned decimal form), for telemetry. */
export function errorCodeOf(error: unknown): string {
  if (isNavMapError(error)) return error.code;
  const { errorCode, code } = (error ?? {}) as { errorCode?: unknown; code?: unknown };
  if (typeof code === 'string' && code) return code;
  if (typeof errorCode === 'number') return `0x${(errorCode >>> 0).toString(16)}`;
  return 'unknown';
}
