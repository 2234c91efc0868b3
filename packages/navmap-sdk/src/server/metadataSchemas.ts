import * as v from 'valibot';

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
