import { sdapSeed } from '@sdap/local-environment';

/** The parents the benches' servers resolve: the local environment's sdap schema, as its deployment configures them. */
export const SDAP_PARENTS = sdapSeed.parents.map((entity) => {
  const relationship = sdapSeed.configuredRelationships[entity];
  return relationship === undefined ? entity : { entity, relationship };
});
