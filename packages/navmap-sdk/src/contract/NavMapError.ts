import { isNavMapErrorCode, type NavMapErrorCode } from './errorCodes.js';

/** Facts about an error that a caller may act on; all optional. */
export interface NavMapErrorDetails {
  /** HTTP status of the response that caused the error. */
  readonly status?: number;
  /** Dataverse's hex error code, for example `0x80048d19`. */
  readonly dataverseCode?: string;
  /** The entity the error is about. */
  readonly entity?: string;
  /** Relationship SchemaNames that matched when a choice was ambiguous. */
  readonly candidates?: readonly string[];
  /** Entities that the map does serve, for `unsupported_parent`. */
  readonly available?: readonly string[];
  /** Seconds the server asked the caller to wait. */
  readonly retryAfterSeconds?: number;
}

export interface NavMapErrorOptions extends NavMapErrorDetails {
  readonly cause?: unknown;
}

/**
 * The one error type of NavMap. `code` says what went wrong; `message` says what to do.
 *
 * @example
 * try {
 *   client.requireNavEntry('lead');
 * } catch (error) {
 *   if (isNavMapError(error) && error.code === 'unsupported_parent') showMessage(error.message);
 * }
 */
export class NavMapError extends Error {
  override readonly name = 'NavMapError' as const;
  // `declare`: set in the constructor, so no field initializers are emitted for them.
  declare readonly code: NavMapErrorCode;
  declare readonly details: NavMapErrorDetails;

  constructor(code: NavMapErrorCode, message: string, options: NavMapErrorOptions = {}) {
    const { cause, ...details } = options;
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.details = details;
  }

  /**
   * The `invalid_config` error for a bad option, in the one form every factory uses: the option's name, the expected
   * form and (when given) what was received, shortened to 120 characters.
   *
   * @example
   * throw NavMapError.invalidOption('timeoutMs', 'a whole number > 0', options.timeoutMs);
   * // Option `timeoutMs` must be a whole number > 0; received -1.
   */
  static invalidOption(option: string, expected: string, ...received: [] | [value: unknown, cause?: unknown]): NavMapError {
    const [value, cause] = received;
    return new NavMapError('invalid_config', `Option \`${option}\` must be ${expected}${received.length ? `; received ${showValue(value)}` : ''}.`, { cause });
  }

  /** The error as the wire contract carries it: `{ code, message }`. */
  toJSON(): { code: NavMapErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** A received value as a message shows it: JSON where it can be, cut to `maxLength` characters. */
export function showValue(value: unknown, maxLength = 120): string {
  let shown: string;
  try {
    shown = typeof value === 'function' ? 'a function' : (JSON.stringify(value) ?? String(value));
  } catch {
    shown = String(value);
  }
  return shown.length > maxLength ? `${shown.slice(0, maxLength - 3)}...` : shown;
}

/**
 * True for any `NavMapError`, including one thrown by another copy of the SDK bundled into a PCF control,
 * which is why it also accepts an error whose `name` and `code` match.
 */
export function isNavMapError(value: unknown): value is NavMapError {
  return value instanceof NavMapError || (value instanceof Error && value.name === 'NavMapError' && isNavMapErrorCode((value as { code?: unknown }).code));
}
