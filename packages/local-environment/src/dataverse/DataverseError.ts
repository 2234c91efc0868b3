/**
 * An error the emulator answers with, in Dataverse's envelope `{ "error": { "code", "message" } }`.
 * `code` is Dataverse's hex code (it can be `"0x0"` or `""`), unrelated to the HTTP status.
 */
export class DataverseError extends Error {
  override readonly name = 'DataverseError' as const;
  readonly status: number;
  readonly code: string;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, code: string, message: string, headers: Readonly<Record<string, string>> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }

  toJSON(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

/** Dataverse's codes the emulator uses, named after what they mean. */
export const DataverseCode = {
  /** Query option or syntax not supported / OData syntax error. */
  queryNotSupported: '0x80060888',
  /** Resource (segment) not found; also "function isn't supported for Metadata Entities". */
  resourceNotFound: '0x8006088a',
  /** ObjectDoesNotExist: unknown entity in metadata, or a record that does not exist. */
  objectDoesNotExist: '0x80040217',
  /** Error identified in the payload (undeclared property, bad JSON). */
  payloadError: '0x80048d19',
  /** Request limit of the service protection API. */
  throttled: '0x80072322',
  /** An unexpected error occurred. */
  unexpected: '0x80040216',
  /** Generic code used by OData validation errors (`Invalid property ...`, `Could not find a property ...`). */
  none: '0x0',
  /** ASP.NET routing's "No HTTP resource was found": answered before Dataverse, without a code. */
  noRoute: '',
  /** DuplicateRecord: a create with an id that exists ("Cannot insert duplicate key."). */
  duplicateKey: '0x80040237',
  /** ConcurrencyVersionMismatch: `If-Match` names another version of the record. */
  versionMismatch: '0x80060882',
  /** A string longer than the column's maximum length. */
  maxLengthExceeded: '0x80044331',
} as const;

export const notFoundSegment = (segment: string): DataverseError =>
  new DataverseError(404, DataverseCode.resourceNotFound, `Resource not found for the segment '${segment}'.`);

/** A record that does not exist (retrieve, update with If-Match, delete, a bind to a missing record). */
export const notFound = (logicalName: string, id: string): DataverseError =>
  new DataverseError(404, DataverseCode.objectDoesNotExist, `${logicalName} With Id = ${id} Does Not Exist`);

export const propertyNotFound = (property: string, typeName: string, code: string = DataverseCode.queryNotSupported): DataverseError =>
  new DataverseError(400, code, `Could not find a property named '${property}' on type 'Microsoft.Dynamics.CRM.${typeName}'.`);

export const syntaxError = (position: number, text: string): DataverseError =>
  new DataverseError(400, DataverseCode.queryNotSupported, `Syntax error at position ${position} in '${text}'.`);
