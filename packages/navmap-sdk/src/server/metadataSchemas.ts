import * as v from 'valibot';
import { NavMapError } from '../contract/NavMapError.js';

const nullableString = v.nullish(v.string());

/** The subset of `EntityMetadata` NavMap reads. */
export const entityDefinitionsSchema = v.object({
  value: v.array(
    v.object({
      LogicalName: v.string(),
      EntitySetName: nullableString,
    }),
  ),
});

/** The subset of `OneToManyRelationshipMetadata` (as seen from the child's ManyToOneRelationships) NavMap reads. */
export const manyToOneRelationshipsSchema = v.object({
  value: v.array(
    v.object({
      SchemaName: v.string(),
      ReferencingAttribute: v.string(),
      ReferencedEntity: v.string(),
      ReferencingEntityNavigationPropertyName: nullableString,
      ReferencedEntityNavigationPropertyName: nullableString,
    }),
  ),
});

export type ManyToOneRelationship = v.InferOutput<typeof manyToOneRelationshipsSchema>['value'][number];

/**
 * A Dataverse metadata answer checked against its schema, stopping at the first issue: collecting every issue of a
 * huge malformed answer ran the server out of memory, and only the first is reported.
 *
 * @throws {NavMapError} `invalid_response` naming the field.
 */
export function parseMetadata<const TSchema extends v.GenericSchema>(schema: TSchema, body: unknown, what: string): v.InferOutput<TSchema> {
  const result = v.safeParse(schema, body, { abortEarly: true });
  if (result.success) return result.output;
  const issue = result.issues[0];
  throw new NavMapError('invalid_response', `Dataverse ${what} response is malformed at \`${v.getDotPath(issue) ?? '(root)'}\`: ${issue.message}.`);
}
