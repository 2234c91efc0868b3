export { createNavMapClient } from './createNavMapClient.js';
export type {
  NavMapClient,
  NavMapClientLoadOptions,
  NavMapLoadResult,
  NavEntryWithSource,
} from './NavMapClient.js';
export { resolveNavMapClientOptions } from './resolveNavMapClientOptions.js';
export { NAVMAP_ENDPOINT_PATH } from '../contract/http.js';
export type {
  NavMapClientLogger,
  NavMapClientOptions,
  ResolvedNavMapClientOptions,
} from './resolveNavMapClientOptions.js';
export type {
  NavMapClientEvent,
  NavMapLoadedEvent,
  NavMapLayerFailedEvent,
  NavMapRevalidatedEvent,
  DocumentCreatedEvent,
  DocumentCreateFailedEvent,
  NavMapTrackedEvent,
  NavMapSource,
  NavMapLayerFailureReason,
} from '../contract/NavMapClientEvent.js';
export type { NavMapCacheEntry, NavMapStorage, NavMapStorageKind } from './NavMapStorage.js';
export { createIndexedDbStorage, NAVMAP_IDB_DATABASE, NAVMAP_IDB_STORE } from './createIndexedDbStorage.js';
export { createSessionStorage } from './createSessionStorage.js';
export { createMemoryStorage } from './createMemoryStorage.js';
export { navMapCacheKey } from './validateCacheEntry.js';
export { isUndeclaredPropertyError, UNDECLARED_PROPERTY_CODE } from './isUndeclaredPropertyError.js';
export { NavMapError, isNavMapError } from '../contract/NavMapError.js';
export type { NavEntry, NavMapResponse } from '../contract/types.js';
export type { ODataBind } from '../contract/toODataBind.js';
