import { normalizeGuid, toODataBind } from '@sdap/navmap-sdk';
import type { NavMapClient, NavMapSource } from '@sdap/navmap-sdk/client';
import { describeError } from '../documents/describeError';
import { documentPayload } from '../documents/documentPayload';
import { errorCodeOf } from '../documents/errorCodeOf';
import { requireSavedHost, type HostRecord, type SavedHostRecord } from '../host/readHostRecord';
import type { DriveItem } from '../upload/uploadFile';

export const CHILD_ENTITY = 'sprk_document';
const LOG_PREFIX = '[UniversalQuickCreate]';

/**
 * The line the deployment plan tells QA to look for before each record (the smoke check of
 * docs/operations/deployment-runbook.md): which metadata
 * the bind comes from. A cached map is the server's metadata too; only the bundled snapshot is not.
 */
function metadataUseLine(parentEntity: string, source: NavMapSource, bindKey: string): string {
  const words = source === 'fallback' ? 'Using bundled fallback metadata' : 'Using server metadata';
  return `[DocumentRecordService] ${words} for '${parentEntity}': ${bindKey} (map from ${source})`;
}

/** The part of `context.webAPI` the link writes with. */
export interface RecordCreator {
  createRecord(entityLogicalName: string, data: Record<string, unknown>): Promise<{ id: string }>;
}

export interface LinkStepOptions {
  readonly navMap: NavMapClient;
  readonly webAPI: () => RecordCreator;
  readonly host: () => HostRecord;
  readonly containerIdOf: (record: SavedHostRecord) => Promise<string>;
  /** The Dataverse URL the record link points to. */
  readonly clientUrl: () => string;
  /** @default console */
  readonly logger?: { log(message: string): void; error(message: string): void };
}

export interface LinkedDocument {
  readonly recordId: string;
  readonly recordUrl: string;
}

/**
 * Creates the `sprk_document` for a stored file, bound to the form's record with the NavMap's navigation property;
 * a refused bind (`0x80048d19`) reloads the map and retries once. Reports DocumentCreated or DocumentCreateFailed.
 */
export function createLinkStep(options: LinkStepOptions) {
  const { navMap } = options;
  const logger = options.logger ?? console;
  return async (file: File, item: DriveItem, description: string): Promise<LinkedDocument> => {
    const record = requireSavedHost(options.host());
    const containerId = await options.containerIdOf(record);
    const columns = documentPayload({ file, item, containerId, description });
    const started = performance.now();
    let bindKey = '';
    let source: NavMapSource | undefined;
    let attempts = 0;
    try {
      const created = await navMap.withBindRetry(async (current) => {
        attempts++;
        const entry = await current.requireNavEntry(record.entityName);
        source = entry.source;
        bindKey = `${entry.navProperty}@odata.bind`;
        logger.log(metadataUseLine(record.entityName, entry.source, bindKey));
        return options.webAPI().createRecord(CHILD_ENTITY, { ...columns, ...toODataBind(entry, record.id) });
      });
      const recordId = normalizeGuid(created.id);
      navMap.track({
        name: 'DocumentCreated',
        parentEntity: record.entityName,
        ...(source ? { source } : {}),
        retried: attempts > 1,
        durationMs: Math.round(performance.now() - started),
      });
      logger.log(`${LOG_PREFIX} Created ${CHILD_ENTITY} ${recordId} for ${record.entityName} with '${bindKey}'`);
      return { recordId, recordUrl: `${options.clientUrl()}/main.aspx?etn=${CHILD_ENTITY}&id=${recordId}&pagetype=entityrecord` };
    } catch (error) {
      const message = describeError(error);
      navMap.track({
        name: 'DocumentCreateFailed',
        parentEntity: record.entityName,
        errorCode: errorCodeOf(error),
        message,
        ...(source ? { source } : {}),
        retried: attempts > 1,
      });
      logger.error(`${LOG_PREFIX} Creating ${CHILD_ENTITY} for ${record.entityName} with '${bindKey || '(no bind)'}' failed: ${message}`);
      throw error;
    }
  };
}
