export { createServer, SERVER_VERSION } from './http/createServer.js';
export type { CreateServerOptions, ListeningAddress, NavMapServer } from './http/createServer.js';
export { createNavMapRouter, createNavMapHandlers } from './http/createNavMapRouter.js';
export type { NavMapRouterOptions } from './http/createNavMapRouter.js';
export { answerNavMapRequest } from './http/answerNavMapRequest.js';
export type { AnswerNavMapRequestContext, NavMapAnswer, NavMapRequest } from './http/answerNavMapRequest.js';
export { createNavMapMetrics } from './http/createNavMapMetrics.js';
export type { NavMapMetrics } from './http/createNavMapMetrics.js';
export { NavMapCache } from './cache/NavMapCache.js';
export type { CachedNavMap, NavMapCacheEvent, NavMapCacheOptions, NavMapLookup, CachedMapOrigin } from './cache/NavMapCache.js';
export { TokenVerifier } from './auth/TokenVerifier.js';
export type { TokenVerifierOptions, VerifiedCaller } from './auth/TokenVerifier.js';
export { createDataverseTokenProvider } from './auth/createDataverseTokenProvider.js';
export type { DataverseTokenProvider } from './auth/createDataverseTokenProvider.js';
export { loadConfig, readParentsVariable, CONFIG_ENVIRONMENT_VARIABLES } from './config/loadConfig.js';
export type { LoadConfigOptions } from './config/loadConfig.js';
export {
  resolveServerConfig,
  maskConfig,
  DEFAULT_PARENTS,
  DEFAULT_AUTHORITY_HOST,
  SDAP_ACCOUNT_RELATIONSHIP,
} from './config/resolveServerConfig.js';
export type { ConfigSources, DataverseAuthConfig, LogLevel, ResolvedServerConfig } from './config/resolveServerConfig.js';
export { serverConfigSchema } from './config/configSchema.js';
export type { ServerConfig } from './config/configSchema.js';
export { writeSnapshot } from './cli/writeSnapshot.js';
export { runCli } from './cli/runCli.js';
export type { CliIo } from './cli/runCli.js';
export { navMapServerTelemetry } from './telemetry/navMapServerTelemetry.js';
export type {
  NavMapDependencyTarget,
  NavMapServerEventName,
  NavMapServerTelemetryEvent,
  NavMapTelemetrySink,
} from './telemetry/navMapServerTelemetry.js';
export { cacheEventToTelemetry } from './telemetry/cacheEventToTelemetry.js';
export type { CacheTelemetryContext } from './telemetry/cacheEventToTelemetry.js';
