import type { NavMapClient } from '@sdap/navmap-sdk/client';
import { describeError } from '../documents/describeError';
import type { HostRecord } from '../host/readHostRecord';

/**
 * Loads the NavMap and checks that it has the host record's table; the message the user sees when it cannot link
 * documents there (`unsupported_parent` lists the tables that it can), else `undefined`.
 */
export async function findNavMapProblem(navMap: NavMapClient, host: HostRecord): Promise<string | undefined> {
  try {
    await navMap.load();
    if (host.kind !== 'unknown') await navMap.requireNavEntry(host.entityName);
    return undefined;
  } catch (error) {
    return describeError(error);
  }
}
