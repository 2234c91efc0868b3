import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { extname } from 'node:path';

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.pdf': 'application/pdf',
  '.txt': 'text/plain',
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.msg': 'application/vnd.ms-outlook',
  '.eml': 'message/rfc822',
  '.zip': 'application/zip',
};
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A Graph-like item id: `01` and 32 base32 characters, stable for a drive and path. */
export function itemId(driveId: string, segments: readonly string[]): string {
  const digest = createHash('sha256').update(`${driveId}\n${segments.join('/')}`).digest();
  let bits = '';
  for (const byte of digest.subarray(0, 20)) bits += byte.toString(2).padStart(8, '0');
  let id = '01';
  for (let index = 0; index < 32; index++) id += BASE32[parseInt(bits.slice(index * 5, index * 5 + 5), 2)];
  return id;
}

/**
 * The Graph driveItem of a stored file, as SharePoint Embedded answers an upload.
 *
 * @example
 * driveItem('https://localhost:7072', 'b!abc', ['Matter', 'A.pdf'], await stat(path)).name; // 'A.pdf'
 */
export function driveItem(bffUrl: string, driveId: string, segments: readonly string[], info: Stats) {
  const name = segments[segments.length - 1] as string;
  const parent = segments.slice(0, -1);
  const id = itemId(driveId, segments);
  const encodedPath = segments.map(encodeURIComponent).join('/');
  return {
    '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#drives('${driveId}')/items/$entity`,
    id,
    name,
    size: info.size,
    webUrl: `${bffUrl}/files/${encodeURIComponent(driveId)}/${encodedPath}`,
    eTag: `"{${id}},${Math.floor(info.mtimeMs)}"`,
    cTag: `"c:{${id}},${Math.floor(info.mtimeMs)}"`,
    createdDateTime: info.birthtime.toISOString(),
    lastModifiedDateTime: info.mtime.toISOString(),
    file: { mimeType: MIME_TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream' },
    parentReference: {
      driveType: 'other',
      driveId,
      id: parent.length === 0 ? '01ROOT00000000000000000000000000000' : itemId(driveId, parent),
      path: `/drives/${driveId}/root:${parent.length === 0 ? '' : `/${parent.join('/')}`}`,
    },
  };
}
