import type { FileRow } from '../ui/FileRow';
import type { DriveItem } from '../upload/uploadFile';

/** The upload panel's queue: the chosen files and where each is, whether a run is on, why uploads wait for Sign in. */
export interface UploadQueueState {
  readonly rows: readonly FileRow[];
  /** An upload run or a sign-in is under way: Upload is disabled. */
  readonly busy: boolean;
  /** Why uploads wait for Sign in (the files stay chosen); `undefined` while no token needs the user. */
  readonly signInReason: string | undefined;
}

export type UploadQueueAction =
  | { readonly type: 'files-added'; readonly files: readonly { readonly key: string; readonly file: File }[] }
  | { readonly type: 'run-started' }
  | { readonly type: 'run-ended' }
  | { readonly type: 'upload-started'; readonly key: string }
  | { readonly type: 'upload-progress'; readonly key: string; readonly sentBytes: number }
  | { readonly type: 'upload-failed'; readonly key: string; readonly message: string }
  /** A token needs the user, or sign-in cannot work on this org yet: the file is chosen again and nothing was sent. */
  | { readonly type: 'sign-in-needed'; readonly key: string; readonly reason: string }
  | { readonly type: 'link-started'; readonly key: string; readonly item: DriveItem }
  | { readonly type: 'linked'; readonly key: string; readonly item: DriveItem; readonly recordId: string; readonly recordUrl: string }
  | { readonly type: 'link-failed'; readonly key: string; readonly item: DriveItem; readonly message: string }
  | { readonly type: 'sign-in-started' }
  | { readonly type: 'sign-in-failed'; readonly message: string }
  | { readonly type: 'signed-in' };

export const SIGN_IN_PENDING = 'Finish signing in in the pop-up window. Closed it? Select Sign in again.';

export const initialUploadQueue: UploadQueueState = { rows: [], busy: false, signInReason: undefined };

/** Rows an Upload sends: chosen and not yet sent, or whose upload failed. */
export const isPending = (row: FileRow): boolean => row.status === 'queued' || row.status === 'upload-failed';
/** Rows the error panel lists. */
export const isFailure = (row: FileRow): boolean => row.status === 'upload-failed' || row.status === 'link-failed';

function replaceRow(state: UploadQueueState, key: string, next: (file: File) => FileRow): UploadQueueState {
  return { ...state, rows: state.rows.map((row) => (row.key === key ? next(row.file) : row)) };
}

/** What each step of choose → upload → link → sign in does to the queue; no effects. */
export function uploadQueueReducer(state: UploadQueueState, action: UploadQueueAction): UploadQueueState {
  switch (action.type) {
    case 'files-added':
      // Files chosen again replace those still waiting; uploaded, failed and linked rows stay as the record of this session.
      return {
        ...state,
        rows: [...state.rows.filter((row) => row.status !== 'queued'), ...action.files.map(({ key, file }): FileRow => ({ key, file, status: 'queued' }))],
      };
    case 'run-started':
      return { ...state, busy: true };
    case 'run-ended':
      return { ...state, busy: false };
    case 'upload-started':
      return replaceRow(state, action.key, (file) => ({ key: action.key, file, status: 'uploading', sentBytes: 0 }));
    case 'upload-progress':
      return replaceRow(state, action.key, (file) => ({ key: action.key, file, status: 'uploading', sentBytes: action.sentBytes }));
    case 'upload-failed':
      return replaceRow(state, action.key, (file) => ({ key: action.key, file, status: 'upload-failed', message: action.message }));
    case 'sign-in-needed':
      return { ...replaceRow(state, action.key, (file) => ({ key: action.key, file, status: 'queued' })), signInReason: action.reason };
    case 'link-started':
      return replaceRow(state, action.key, (file) => ({ key: action.key, file, status: 'linking', item: action.item }));
    case 'linked': {
      const { key, item, recordId, recordUrl } = action;
      return replaceRow(state, key, (file) => ({ key, file, status: 'done', item, recordId, recordUrl }));
    }
    case 'link-failed':
      return replaceRow(state, action.key, (file) => ({ key: action.key, file, status: 'link-failed', item: action.item, message: action.message }));
    case 'sign-in-started':
      return { ...state, busy: true, signInReason: SIGN_IN_PENDING };
    case 'sign-in-failed':
      return { ...state, busy: false, signInReason: `${action.message} Your files are still chosen: select Sign in to try again.` };
    case 'signed-in':
      return { ...state, signInReason: undefined };
  }
}
