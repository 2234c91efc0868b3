import type { DriveItem } from '../upload/uploadFile';

/** One chosen file and where it is in upload → link. */
export type FileRow =
  | { readonly key: string; readonly file: File; readonly status: 'queued' }
  | { readonly key: string; readonly file: File; readonly status: 'uploading'; readonly sentBytes: number }
  | { readonly key: string; readonly file: File; readonly status: 'upload-failed'; readonly message: string }
  | { readonly key: string; readonly file: File; readonly status: 'linking'; readonly item: DriveItem }
  | { readonly key: string; readonly file: File; readonly status: 'link-failed'; readonly item: DriveItem; readonly message: string }
  | { readonly key: string; readonly file: File; readonly status: 'done'; readonly item: DriveItem; readonly recordId: string; readonly recordUrl: string };
