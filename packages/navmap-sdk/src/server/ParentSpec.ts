/** A parent table to resolve, optionally naming which relationship to use when the child has several lookups to it. */
export interface ParentSpec {
  /** The parent's logical name, for example `account`. */
  readonly entity: string;
  /** SchemaName of the relationship to use, for example `sprk_Project_Document_1n`. */
  readonly relationship?: string;
  /** Logical name of the child's lookup column to use, for example `sprk_account`. */
  readonly lookupAttribute?: string;
}

/** A parent as configuration writes it: a bare logical name, or a `ParentSpec`. */
export type ParentConfig = string | ParentSpec;
