export { resolveNavMap, entityDefinitionsUrl, manyToOneRelationshipsUrl } from './resolveNavMap.js';
export { resolveNavMapOptions } from './resolveNavMapOptions.js';
export type { ResolveNavMapOptions, ResolvedResolveNavMapOptions } from './resolveNavMapOptions.js';
export type { ParentConfig, ParentSpec } from './ParentSpec.js';
