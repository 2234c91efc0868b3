/** Dataverse's code for a bind with a navigation property the child table does not have. */
export const UNDECLARED_PROPERTY_CODE = '0x80048d19';
/** The same code as an unsigned and as a signed 32-bit number, as `context.webAPI` and the SDK report it. */
const UNDECLARED_PROPERTY_NUMBERS = [0x80048d19, 0x80048d19 - 2 ** 32];

function matchesCode(value: unknown): boolean {
  if (typeof value === 'number') return UNDECLARED_PROPERTY_NUMBERS.includes(value);
  if (typeof value !== 'string') return false;
  const text = value.trim().toLowerCase();
  return text === UNDECLARED_PROPERTY_CODE || UNDECLARED_PROPERTY_NUMBERS.map(String).includes(text);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * True when an error from a create is Dataverse's HTTP 400 `0x80048d19` ("An undeclared property ... only has
 * property annotations in the payload"): the bind used a navigation property that does not exist (any more).
 * Recognizes a PCF `context.webAPI` rejection (`errorCode` 2147781913, `message`), a Web API body
 * (`{ error: { code: '0x80048d19' } }`) and errors with `code: '0x80048d19'`, also nested in `cause` or `raw`.
 * A status other than 400, when present, rules it out.
 *
 * @example
 * isUndeclaredPropertyError({ errorCode: 2147781913, message: "An undeclared property 'sprk_matter' ..." }); // true
 */
export function isUndeclaredPropertyError(error: unknown, depth = 0): boolean {
  if (!isRecord(error) || depth > 3) return false;
  const status = error.status ?? error.statusCode ?? error.httpStatusCode;
  if (typeof status === 'number' && status !== 400) return false;
  if (matchesCode(error.errorCode) || matchesCode(error.code) || matchesCode(error.hresult)) return true;
  if (typeof error.message === 'string' && /undeclared property/i.test(error.message)) return true;
  return [error.error, error.cause, error.raw, error.innerError].some((inner) => isUndeclaredPropertyError(inner, depth + 1));
}
