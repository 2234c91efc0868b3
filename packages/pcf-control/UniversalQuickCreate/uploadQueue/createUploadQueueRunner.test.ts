import { NavMapError } from '@sdap/navmap-sdk';
import { describe, expect, it, vi } from 'vitest';
import type { DriveItem } from '../upload/uploadFile';
import { createUploadQueueRunner, type UploadQueueSteps } from './createUploadQueueRunner';
import { SILENT_SIGN_IN_BLOCKED } from './signInReasonOf';
import { initialUploadQueue, uploadQueueReducer, type UploadQueueAction, type UploadQueueState } from './uploadQueueReducer';

const stored = (name: string): DriveItem => ({ id: `item-${name}`, name, size: 1, webUrl: `https://contoso.sharepoint.com/${name}`, parentReference: { driveId: 'b!drive' } });
const interactionRequired = () => new NavMapError('interaction_required', 'Silent sign-in failed: login_required.');

/** The runner over a real reducer, as the hook wires it, with the steps the test gives. */
function queueWith(steps: Partial<UploadQueueSteps>) {
  let state: UploadQueueState = initialUploadQueue;
  const actions: UploadQueueAction['type'][] = [];
  const all = {
    upload: vi.fn<UploadQueueSteps['upload']>(
      steps.upload ??
        (async (file, onProgress) => {
          onProgress(file.size);
          return stored(file.name);
        }),
    ),
    link: vi.fn<UploadQueueSteps['link']>(steps.link ?? (async (file) => ({ recordId: `record-${file.name}`, recordUrl: `https://org/${file.name}` }))),
    signIn: vi.fn<UploadQueueSteps['signIn']>(steps.signIn ?? (async () => undefined)),
  };
  const runner = createUploadQueueRunner(
    () => all,
    () => state,
    (action) => {
      actions.push(action.type);
      state = uploadQueueReducer(state, action);
    },
  );
  return { runner, steps: all, actions, state: () => state };
}

const files = (...names: string[]) => names.map((name) => new File(['x'], name));

describe('createUploadQueueRunner', () => {
  it('uploads then links each chosen file in order with the description, and is busy only meanwhile', async () => {
    const queue = queueWith({});
    queue.runner.addFiles(files('A.pdf', 'B.pdf'));
    await queue.runner.uploadAll('Signed contract');
    expect(queue.state().rows.map((row) => [row.file.name, row.status])).toEqual([
      ['A.pdf', 'done'],
      ['B.pdf', 'done'],
    ]);
    expect(queue.steps.link.mock.calls.map(([file, item, description]) => [file.name, item.id, description])).toEqual([
      ['A.pdf', 'item-A.pdf', 'Signed contract'],
      ['B.pdf', 'item-B.pdf', 'Signed contract'],
    ]);
    expect(queue.actions).toEqual(['files-added', 'run-started', 'upload-started', 'upload-progress', 'link-started', 'linked', 'upload-started', 'upload-progress', 'link-started', 'linked', 'run-ended']);
    expect(queue.state().busy).toBe(false);
  });

  it('ignores an empty choice', () => {
    const queue = queueWith({});
    queue.runner.addFiles([]);
    queue.runner.addFiles(null);
    expect(queue.actions).toEqual([]);
  });

  it('records an upload failure and a link failure with readable messages and goes on with the next file', async () => {
    const queue = queueWith({
      upload: async (file) => (file.name === 'A.pdf' ? Promise.reject(new Error('The BFF answered 500.')) : stored(file.name)),
      link: async () => Promise.reject({ message: 'Principal user is missing prvCreatesprk_document privilege.', errorCode: 0x80040220 }),
    });
    queue.runner.addFiles(files('A.pdf', 'B.pdf'));
    await queue.runner.uploadAll('');
    expect(queue.state().rows).toMatchObject([
      { status: 'upload-failed', message: 'The BFF answered 500.' },
      { status: 'link-failed', message: 'Principal user is missing prvCreatesprk_document privilege. (0x80040220)' },
    ]);
  });

  it('sends failed uploads again on the next Upload, and links a stored file again on Retry linking', async () => {
    let linkFails = true;
    const queue = queueWith({
      link: async (file) => (linkFails ? Promise.reject(new Error('Dataverse timed out.')) : { recordId: 'r', recordUrl: `https://org/${file.name}` }),
    });
    queue.runner.addFiles(files('A.pdf'));
    await queue.runner.uploadAll('first');
    const failed = queue.state().rows[0];
    if (failed?.status !== 'link-failed') throw new Error(`expected link-failed, got ${failed?.status}`);
    linkFails = false;
    await queue.runner.retryLink(failed, 'second');
    expect(queue.state().rows[0]).toMatchObject({ status: 'done', recordUrl: 'https://org/A.pdf' });
    expect(queue.steps.upload).toHaveBeenCalledOnce(); // the file was not sent twice
    expect(queue.steps.link.mock.calls.map(([, , description]) => description)).toEqual(['first', 'second']);
  });

  it('stops at the first file whose token needs the user, keeps the rest chosen, and uploads them after Sign in', async () => {
    let signedIn = false;
    const queue = queueWith({
      upload: async (file) => (signedIn ? stored(file.name) : Promise.reject(interactionRequired())),
      signIn: async () => {
        signedIn = true;
      },
    });
    queue.runner.addFiles(files('A.pdf', 'B.pdf'));
    await queue.runner.uploadAll('');
    expect(queue.state()).toMatchObject({ busy: false, signInReason: SILENT_SIGN_IN_BLOCKED, rows: [{ status: 'queued' }, { status: 'queued' }] });
    expect(queue.steps.upload).toHaveBeenCalledOnce();

    await queue.runner.signInAndUpload('after sign-in');
    expect(queue.state()).toMatchObject({ busy: false, signInReason: undefined, rows: [{ status: 'done' }, { status: 'done' }] });
  });

  it('reports a failed sign-in, and only the newest of two attempts speaks', async () => {
    const rejections: ((error: Error) => void)[] = [];
    const queue = queueWith({ signIn: () => new Promise((_resolve, reject) => rejections.push(reject)) });
    const first = queue.runner.signInAndUpload('');
    const second = queue.runner.signInAndUpload('');
    rejections[0]?.(new Error('The first popup was replaced.'));
    await first;
    expect(queue.state()).toMatchObject({ busy: true, signInReason: expect.stringMatching(/^Finish signing in/) });
    rejections[1]?.(new Error('user_cancelled: the popup was closed.'));
    await second;
    expect(queue.state()).toMatchObject({ busy: false, signInReason: 'user_cancelled: the popup was closed. Your files are still chosen: select Sign in to try again.' });
  });
});
