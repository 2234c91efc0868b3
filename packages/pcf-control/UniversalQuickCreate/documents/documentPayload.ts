import type { DriveItem } from '../upload/uploadFile';

/** The columns of a `sprk_document` (as the local environment's `sdapSeed.ts` defines it), without the parent bind. */
export type DocumentColumns = Record<string, string | number | boolean>;

export interface DocumentPayloadInput {
  readonly file: { readonly name: string; readonly size: number; readonly type: string };
  readonly item: DriveItem;
  readonly containerId: string;
  readonly description: string;
}

/** The record that describes one stored file. The driveItem's own values win over the browser's. */
export function documentPayload({ file, item, containerId, description }: DocumentPayloadInput): DocumentColumns {
  return {
    sprk_documentname: item.name,
    sprk_filename: item.name,
    sprk_filesize: item.size,
    sprk_mimetype: file.type || 'application/octet-stream',
    sprk_hasfile: true,
    sprk_graphdriveid: item.parentReference?.driveId ?? containerId,
    sprk_graphitemid: item.id,
    ...(item.webUrl ? { sprk_filepath: item.webUrl } : {}),
    sprk_containerid: containerId,
    ...(description.trim() ? { sprk_description: description.trim() } : {}),
  };
}
