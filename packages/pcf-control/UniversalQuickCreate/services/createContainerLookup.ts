import type { SavedHostRecord } from '../host/readHostRecord';

/** The part of `context.webAPI` the lookup reads with. */
export interface RecordReader {
  retrieveRecord(entityLogicalName: string, id: string, options?: string): Promise<Record<string, unknown>>;
}

/**
 * The SharePoint Embedded container of a parent record, read once per record from `column` and shared by every
 * upload and link on it; a failed read is forgotten so the next attempt asks again.
 */
export function createContainerLookup(webAPI: () => RecordReader, column: string): (record: SavedHostRecord) => Promise<string> {
  const containers = new Map<string, Promise<string>>();
  const read = async (record: SavedHostRecord): Promise<string> => {
    const row = await webAPI().retrieveRecord(record.entityName, record.id, `?$select=${column}`);
    const value: unknown = row[column];
    if (typeof value !== 'string' || value.trim() === '') {
      throw new Error(`This ${record.entityName} has no SharePoint Embedded container (column ${column} is empty). Ask an administrator to provision one.`);
    }
    return value;
  };
  return (record) => {
    const key = `${record.entityName}:${record.id}`;
    let container = containers.get(key);
    if (!container) {
      container = read(record);
      containers.set(key, container);
      container.catch(() => containers.delete(key));
    }
    return container;
  };
}
