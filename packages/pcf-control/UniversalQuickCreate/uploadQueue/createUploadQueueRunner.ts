import { describeError } from '../documents/describeError';
import type { FileRow } from '../ui/FileRow';
import type { DriveItem } from '../upload/uploadFile';
import { signInReasonOf } from './signInReasonOf';
import { isPending, type UploadQueueAction, type UploadQueueState } from './uploadQueueReducer';

/** The control's steps the queue drives (the services' upload, link and MSAL popup). */
export interface UploadQueueSteps {
  readonly upload: (file: File, onProgress: (sentBytes: number) => void) => Promise<DriveItem>;
  readonly link: (file: File, item: DriveItem, description: string) => Promise<{ recordId: string; recordUrl: string }>;
  /** MSAL's popup; called only from the Sign in button's click (a user gesture, which popup blockers allow). */
  readonly signIn: () => Promise<void>;
}

/** What the panel's controls call. */
export interface UploadQueueRunner {
  addFiles(files: FileList | readonly File[] | null): void;
  /** Uploads and links every pending row in order; stops, keeping the rest chosen, when a token needs the user. */
  uploadAll(description: string): Promise<void>;
  /** Links a stored file again after the record failed. */
  retryLink(row: Extract<FileRow, { status: 'link-failed' }>, description: string): Promise<void>;
  /** Opens the popup in the click's task; after sign-in the chosen files go on uploading. */
  signInAndUpload(description: string): Promise<void>;
}


let nextKey = 0;

/**
 * The queue's effects (upload, link, sign in) as plain functions over `dispatch`, so they are tested without React.
 * `steps` and `state` are read when called: the panel's latest props and queue.
 */
export function createUploadQueueRunner(steps: () => UploadQueueSteps, state: () => UploadQueueState, dispatch: (action: UploadQueueAction) => void): UploadQueueRunner {
  let signInAttempt = 0;

  const linkRow = async (key: string, file: File, item: DriveItem, description: string) => {
    dispatch({ type: 'link-started', key, item });
    try {
      const { recordId, recordUrl } = await steps().link(file, item, description);
      dispatch({ type: 'linked', key, item, recordId, recordUrl });
    } catch (error) {
      dispatch({ type: 'link-failed', key, item, message: describeError(error) });
    }
  };

  /** Uploads and links one file; false when a token needs the user (the file is chosen again, nothing sent). */
  const uploadRow = async ({ key, file }: FileRow, description: string): Promise<boolean> => {
    dispatch({ type: 'upload-started', key });
    let item: DriveItem;
    try {
      item = await steps().upload(file, (sentBytes) => dispatch({ type: 'upload-progress', key, sentBytes }));
    } catch (error) {
      const reason = signInReasonOf(error);
      if (reason) {
        dispatch({ type: 'sign-in-needed', key, reason });
        return false;
      }
      dispatch({ type: 'upload-failed', key, message: describeError(error) });
      return true;
    }
    await linkRow(key, file, item, description);
    return true;
  };

  const uploadAll = async (description: string) => {
    dispatch({ type: 'run-started' });
    try {
      for (const row of state().rows.filter(isPending)) if (!(await uploadRow(row, description))) return;
    } finally {
      dispatch({ type: 'run-ended' });
    }
  };

  return {
    addFiles(files) {
      if (!files || files.length === 0) return;
      dispatch({ type: 'files-added', files: Array.from(files, (file) => ({ key: `file-${nextKey++}`, file })) });
    },
    uploadAll,
    retryLink: (row, description) => linkRow(row.key, row.file, row.item, description),
    // A newer click replaces an open popup, and only the newest attempt speaks.
    async signInAndUpload(description) {
      const attempt = ++signInAttempt;
      dispatch({ type: 'sign-in-started' });
      try {
        await steps().signIn();
      } catch (error) {
        if (attempt === signInAttempt) dispatch({ type: 'sign-in-failed', message: describeError(error) });
        return;
      }
      dispatch({ type: 'signed-in' });
      await uploadAll(description);
    },
  };
}
