/** Dataverse's code for a bind with a navigation property the child table does not have. */
export const UNDECLARED_PROPERTY_CODE = '0x80048d19';
/** The code as text, and as the unsigned and signed 32-bit numbers `context.webAPI` and the SDK report, written out. */
const UNDECLARED_PROPERTY_CODES = [UNDECLARED_PROPERTY_CODE, String(0x80048d19), String(0x80048d19 - 2 ** 32)];

function matchesCode(value: unknown): boolean {
  return (typeof value === 'number' || typeof value === 'string') && UNDECLARED_PROPERTY_CODES.includes(String(value).trim().toLowerCase());
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
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const record = error as Record<string, unknown>;
  const status = record.status ?? record.statusCode ?? record.httpStatusCode;
  if (typeof status === 'number' && status !== 400) return false;
  return (
    [record.errorCode, record.code, record.hresult].some(matchesCode) ||
    (typeof record.message === 'string' && /undeclared property/i.test(record.message)) ||
    [record.error, record.cause, record.raw, record.innerError].some((inner) => isUndeclaredPropertyError(inner, depth + 1))
  );
}
