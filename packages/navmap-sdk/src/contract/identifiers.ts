/** A Dataverse table or column logical name: lower case, as Dataverse stores them. */
export const LOGICAL_NAME_PATTERN = /^[a-z][a-z0-9_]{0,127}$/;

/**
 * An OData simple identifier as Dataverse uses them for entity sets, navigation properties and SchemaNames:
 * ASCII letters, digits and underscores, case preserved.
 */
export const ODATA_IDENTIFIER_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

export function isLogicalName(value: unknown): value is string {
  return typeof value === 'string' && LOGICAL_NAME_PATTERN.test(value);
}

export function isODataIdentifier(value: unknown): value is string {
  return typeof value === 'string' && ODATA_IDENTIFIER_PATTERN.test(value);
}
