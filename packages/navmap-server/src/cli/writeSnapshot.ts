import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { navMapEnvironment, parseNavMapResponse, type NavMapResponse } from '@sdap/navmap-sdk';
import { resolveNavMap } from '@sdap/navmap-sdk/server';
import { createDataverseTokenProvider } from '../auth/createDataverseTokenProvider.js';
import type { ResolvedServerConfig } from '../config/resolveServerConfig.js';

export interface WriteSnapshotOptions {
  /** Replaces the token `dataverse.auth` would get. */
  readonly getDataverseToken?: () => string | Promise<string>;
  readonly fetch?: typeof globalThis.fetch;
}

/**
 * Reads the map from Dataverse once and writes it to `file` as a NavMap v1 body: the bundled fallback a browser
 * client ships with. The body is checked with `parseNavMapResponse` before it is written, and written atomically.
 *
 * @example
 * const map = await writeSnapshot(loadConfig({ file: 'navmap.config.json' }), 'src/navmap.fallback.json');
 */
export async function writeSnapshot(config: ResolvedServerConfig, file: string, options: WriteSnapshotOptions = {}): Promise<NavMapResponse> {
  const map = await resolveNavMap({
    dataverseUrl: config.dataverse.url,
    childEntity: config.childEntity,
    parents: config.parents,
    environment: navMapEnvironment(config.dataverse.url),
    timeoutMs: config.dataverse.timeoutMs,
    getToken: options.getDataverseToken ?? createDataverseTokenProvider(config.dataverse.url, config.dataverse.auth),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  const checked = parseNavMapResponse(map);
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(checked, null, 2)}\n`);
  await rename(temporary, file);
  return checked;
}
