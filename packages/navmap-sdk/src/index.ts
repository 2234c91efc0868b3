export { navMapErrorCodes } from './contract/errorCodes.js';
export type { NavMapErrorCode } from './contract/errorCodes.js';
export { NavMapError, isNavMapError } from './contract/NavMapError.js';
export {
  NAVMAP_ENDPOINT_PATH,
  NAVMAP_HTTP_STATUS,
  errorCodeForHttpStatus,
  httpStatusForErrorCode,
  isEntityTag,
} from './contract/http.js';
export { NAVMAP_LIMITS } from './contract/navMapLimits.js';
export type { NavMapLimit } from './contract/navMapLimits.js';
export { quoteText } from './contract/quoteText.js';
export { readLimitedText } from './contract/readLimitedText.js';
export type { NavMapWireErrorCode } from './contract/http.js';
export { parseRetryAfter } from './contract/parseRetryAfter.js';
export { bearerToken } from './contract/bearerToken.js';
export { navMapEnvironment } from './contract/navMapEnvironment.js';
export type { NavMapErrorDetails, NavMapErrorOptions } from './contract/NavMapError.js';
export { parseNavMapResponse } from './contract/parseNavMapResponse.js';
export { normalizeGuid } from './contract/normalizeGuid.js';
export { toODataBind } from './contract/toODataBind.js';
export type { ODataBind } from './contract/toODataBind.js';
export {
  LOGICAL_NAME_PATTERN,
  ODATA_IDENTIFIER_PATTERN,
  isLogicalName,
  isODataIdentifier,
} from './contract/identifiers.js';
export { DEFAULT_CHILD_ENTITY, NAVMAP_CONTRACT_VERSION, SUPPORTED_CONTRACT_VERSIONS } from './contract/types.js';
export type { NavEntry, NavMapParentError, NavMapResponse } from './contract/types.js';
export { navMapClientTelemetry } from './contract/navMapClientTelemetry.js';
export type {
  NavMapClientEventName,
  NavMapClientTelemetry,
  NavMapEventTelemetry,
} from './contract/navMapClientTelemetry.js';
