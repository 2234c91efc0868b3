export { resolveNavMap, entityDefinitionsUrl, manyToOneRelationshipsUrl } from './resolveNavMap.js';
export { resolveNavMapOptions, DEFAULT_CHILD_ENTITY, DEFAULT_DATAVERSE_TIMEOUT_MS } from './resolveNavMapOptions.js';
export { findParentIssue, resolveParents, MAX_PARENTS } from './ParentSpec.js';
export type { ResolveNavMapOptions, ResolvedResolveNavMapOptions } from './resolveNavMapOptions.js';
export type { ParentConfig, ParentIssue, ParentSpec } from './ParentSpec.js';
