/**
 * `@sdap/navmap-server`: what packages/navmap-server/README.md documents. Kept internal on purpose: the CLI's
 * `runCli` (use the `navmap-server` binary), the telemetry mapping of cache events (`createNavMapService` wires it),
 * and any customer's schema (parents are configuration).
 */
export { createServer, SERVER_VERSION } from './http/createServer.js';
export type { CreateServerOptions, ListeningAddress, NavMapServer } from './http/createServer.js';
export { createNavMapService } from './service/createNavMapService.js';
export type { NavMapService, NavMapServiceOptions } from './service/createNavMapService.js';
export { createNavMapRouter, createNavMapHandlers, mountNavMapHandlers } from './http/createNavMapRouter.js';
export type { NavMapHandlers, NavMapRouterOptions } from './http/createNavMapRouter.js';
export { answerNavMapRequest } from './http/answerNavMapRequest.js';
export type { AnswerNavMapRequestContext, NavMapAnswer, NavMapRequest } from './http/answerNavMapRequest.js';
export { createNavMapMetrics } from './http/createNavMapMetrics.js';
export type { NavMapMetrics } from './http/createNavMapMetrics.js';
export { NavMapCache } from './cache/NavMapCache.js';
export type { CachedNavMap, NavMapCacheEvent, NavMapCacheOptions, NavMapLookup, CachedMapOrigin } from './cache/NavMapCache.js';
export { CACHE_DEFAULTS } from './cache/cacheTiming.js';
export { SERVER_LIMITS } from './limits.js';
export { TokenVerifier } from './auth/TokenVerifier.js';
export type { TokenVerifierOptions, VerifiedCaller } from './auth/TokenVerifier.js';
export { createDataverseTokenProvider } from './auth/createDataverseTokenProvider.js';
export type { DataverseTokenProvider } from './auth/createDataverseTokenProvider.js';
export { loadConfig, readParentsVariable, CONFIG_ENVIRONMENT_VARIABLES } from './config/loadConfig.js';
export type { LoadConfigOptions } from './config/loadConfig.js';
export { resolveServerConfig, maskConfig, DEFAULT_AUTHORITY_HOST } from './config/resolveServerConfig.js';
export type { ConfigSources, DataverseAuthConfig, LogLevel, ResolvedServerConfig } from './config/resolveServerConfig.js';
export { serverConfigSchema } from './config/configSchema.js';
export type { ServerConfig } from './config/configSchema.js';
export { writeSnapshot } from './cli/writeSnapshot.js';
export { navMapServerTelemetry } from './telemetry/navMapServerTelemetry.js';
export type {
  NavMapDependencyTarget,
  NavMapServerEventName,
  NavMapServerTelemetryEvent,
  NavMapTelemetrySink,
} from './telemetry/navMapServerTelemetry.js';
