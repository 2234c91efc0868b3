import * as React from 'react';
import { createUploadQueueRunner, type UploadQueueRunner, type UploadQueueSteps } from './createUploadQueueRunner';
import { initialUploadQueue, uploadQueueReducer, type UploadQueueState } from './uploadQueueReducer';

/**
 * The upload panel's queue as a hook: `uploadQueueReducer`'s state and the runner's actions over it. Only what React
 * 16.14 has (useReducer, useRef).
 */
export function useUploadQueue(steps: UploadQueueSteps): UploadQueueState & UploadQueueRunner {
  const [state, dispatch] = React.useReducer(uploadQueueReducer, initialUploadQueue);
  const latest = React.useRef({ steps, state });
  latest.current = { steps, state };
  const runner = React.useRef<UploadQueueRunner>();
  runner.current ??= createUploadQueueRunner(() => latest.current.steps, () => latest.current.state, dispatch);
  return { ...state, ...runner.current };
}
