import { describe, expect, it } from 'vitest';
import type { DriveItem } from '../upload/uploadFile';
import {
  initialUploadQueue,
  isFailure,
  isPending,
  SIGN_IN_PENDING,
  uploadQueueReducer,
  type UploadQueueAction,
  type UploadQueueState,
} from './uploadQueueReducer';
import { SILENT_SIGN_IN_BLOCKED } from './signInReasonOf';

const a = new File(['a'], 'A.pdf');
const b = new File(['bb'], 'B.pdf');
const c = new File(['ccc'], 'C.pdf');
const item: DriveItem = { id: '01ITEM', name: 'A.pdf', size: 1, webUrl: 'https://contoso.sharepoint.com/A.pdf', parentReference: { driveId: 'b!drive' } };

const run = (actions: UploadQueueAction[], state: UploadQueueState = initialUploadQueue) => actions.reduce(uploadQueueReducer, state);
const added = (...files: [string, File][]): UploadQueueAction => ({ type: 'files-added', files: files.map(([key, file]) => ({ key, file })) });

describe('uploadQueueReducer', () => {
  it('queues chosen files, and files chosen again replace those still waiting but not those sent', () => {
    const state = run([added(['a', a], ['b', b]), { type: 'upload-started', key: 'a' }, added(['c', c])]);
    expect(state.rows.map((row) => [row.key, row.status])).toEqual([
      ['a', 'uploading'],
      ['c', 'queued'],
    ]);
  });

  it('follows a file through upload progress, linking and done, keeping the stored item', () => {
    const state = run([
      added(['a', a]),
      { type: 'upload-started', key: 'a' },
      { type: 'upload-progress', key: 'a', sentBytes: 1 },
    ]);
    expect(state.rows[0]).toEqual({ key: 'a', file: a, status: 'uploading', sentBytes: 1 });
    const linked = run([{ type: 'link-started', key: 'a', item }, { type: 'linked', key: 'a', item, recordId: 'r1', recordUrl: 'https://org/r1' }], state);
    expect(linked.rows).toEqual([{ key: 'a', file: a, status: 'done', item, recordId: 'r1', recordUrl: 'https://org/r1' }]);
  });

  it('marks failed uploads and links as failures with their messages; only upload failures are sent again', () => {
    const state = run([
      added(['a', a], ['b', b]),
      { type: 'upload-failed', key: 'a', message: 'The BFF answered 500.' },
      { type: 'link-failed', key: 'b', item, message: 'Principal user is missing prvCreatesprk_document privilege.' },
    ]);
    expect(state.rows).toEqual([
      { key: 'a', file: a, status: 'upload-failed', message: 'The BFF answered 500.' },
      { key: 'b', file: b, status: 'link-failed', item, message: 'Principal user is missing prvCreatesprk_document privilege.' },
    ]);
    expect(state.rows.filter(isFailure).map((row) => row.key)).toEqual(['a', 'b']);
    expect(state.rows.filter(isPending).map((row) => row.key)).toEqual(['a']);
  });

  it('puts a file back in the queue and says why when a token needs the user', () => {
    const state = run([added(['a', a]), { type: 'run-started' }, { type: 'upload-started', key: 'a' }, { type: 'sign-in-needed', key: 'a', reason: SILENT_SIGN_IN_BLOCKED }, { type: 'run-ended' }]);
    expect(state).toEqual({ rows: [{ key: 'a', file: a, status: 'queued' }], busy: false, signInReason: SILENT_SIGN_IN_BLOCKED });
  });

  it('is busy while signing in, keeps the files chosen when sign-in fails, and clears the reason once signed in', () => {
    const waiting = run([added(['a', a]), { type: 'sign-in-needed', key: 'a', reason: SILENT_SIGN_IN_BLOCKED }, { type: 'sign-in-started' }]);
    expect(waiting).toMatchObject({ busy: true, signInReason: SIGN_IN_PENDING });
    expect(run([{ type: 'sign-in-failed', message: 'user_cancelled: the popup was closed.' }], waiting)).toMatchObject({
      busy: false,
      signInReason: 'user_cancelled: the popup was closed. Your files are still chosen: select Sign in to try again.',
      rows: [{ key: 'a', status: 'queued' }],
    });
    expect(run([{ type: 'signed-in' }], waiting)).toMatchObject({ busy: true, signInReason: undefined });
  });

  it('leaves other rows and the state object of unknown keys alone', () => {
    const state = run([added(['a', a], ['b', b])]);
    const next = uploadQueueReducer(state, { type: 'upload-progress', key: 'b', sentBytes: 2 });
    expect(next.rows[0]).toBe(state.rows[0]);
    expect(uploadQueueReducer(state, { type: 'upload-failed', key: 'zz', message: 'x' }).rows).toEqual(state.rows);
  });
});
