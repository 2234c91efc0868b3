import type { NavMapErrorCode } from './errorCodes.js';

/**
 * Where a map came from, as the browser client says it: the NavMap server, the persistent cache (or the copy in
 * memory), or the fallback bundled with the control. The one word for it in the client's types and events; events
 * keep the field names dashboards read (`layer` in `NavMapLoaded` and `NavMapLayerFailed`, `source` in the document
 * events). The server's `X-NavMap-Source` header (`dataverse`, `cache`, `stale`) says where the server's own answer
 * came from: any of them is `server` here (docs/contract.md, "Where a map came from").
 */
export type NavMapSource = 'server' | 'cache' | 'fallback';

/** Why a layer could not provide a map: a `NavMapError` code, or a storage condition. */
export type NavMapLayerFailureReason =
  | NavMapErrorCode
  | 'storage_unavailable'
  | 'quota_exceeded'
  | 'invalid_entry'
  | 'version_mismatch'
  | 'environment_mismatch'
  | 'child_entity_mismatch';

interface NavMapEventBase {
  /** The environment option of the client that emitted the event. */
  readonly environment: string;
  /** The child table of the client that emitted the event. */
  readonly childEntity: string;
}

/** A load resolved a map. Emitted once per resolution, not for every `load()` that reuses the memory copy. */
export interface NavMapLoadedEvent extends NavMapEventBase {
  readonly name: 'NavMapLoaded';
  readonly layer: NavMapSource;
  /** From the start of the resolution to the map being usable, in milliseconds. */
  readonly durationMs: number;
  /** Number of parents in the map. */
  readonly entityCount: number;
  /** Age of the map: since the server sent or confirmed it, or since `generatedAt` for the fallback. */
  readonly ageMs: number;
}

/** One layer could not provide a map (or could not store it); the next layer is tried. */
export interface NavMapLayerFailedEvent extends NavMapEventBase {
  readonly name: 'NavMapLayerFailed';
  readonly layer: NavMapSource;
  readonly reason: NavMapLayerFailureReason;
  readonly message: string;
}

/** A background revalidation of a stale cache entry completed: 304 kept the map, 200 replaced it. */
export interface NavMapRevalidatedEvent extends NavMapEventBase {
  readonly name: 'NavMapRevalidated';
  readonly status: 200 | 304;
  /** True when the server sent a different map. */
  readonly changed: boolean;
  readonly durationMs: number;
}

/** The control created a child record with a bind from the map. Emitted through `client.track()`. */
export interface DocumentCreatedEvent extends NavMapEventBase {
  readonly name: 'DocumentCreated';
  /** The parent table the record was bound to. */
  readonly parentEntity: string;
  /** Where the bind's map came from. */
  readonly source?: NavMapSource;
  /** True when `withBindRetry` had to reload the map and run the create again. */
  readonly retried?: boolean;
  readonly durationMs?: number;
}

/** The control could not create the child record. Emitted through `client.track()`. */
export interface DocumentCreateFailedEvent extends NavMapEventBase {
  readonly name: 'DocumentCreateFailed';
  readonly parentEntity: string;
  /** Dataverse's or NavMap's error code, for example `0x80048d19` or `unsupported_parent`. */
  readonly errorCode: string;
  readonly message: string;
  readonly source?: NavMapSource;
  readonly retried?: boolean;
}

/**
 * Every event the client reports to `onEvent`. The `name`s and fields are the telemetry contract that the
 * dashboards' queries read (`navMapClientTelemetry` lists them); add fields, never rename them.
 */
export type NavMapClientEvent =
  | NavMapLoadedEvent
  | NavMapLayerFailedEvent
  | NavMapRevalidatedEvent
  | DocumentCreatedEvent
  | DocumentCreateFailedEvent;

type WithoutContext<T> = T extends NavMapEventBase ? Omit<T, 'environment' | 'childEntity'> : never;

/** What a control passes to `client.track()`: a document event without the fields the client fills in. */
export type NavMapTrackedEvent = WithoutContext<DocumentCreatedEvent | DocumentCreateFailedEvent>;
