import { isNavMapError } from '@sdap/navmap-sdk';

export const SILENT_SIGN_IN_BLOCKED =
  'Sign in to upload: this browser did not let the control sign you in silently (third-party cookies blocked, or your session ended).';

/**
 * Why an upload waits for Sign in with its file still chosen, instead of failing: a token needs the user
 * (`interaction_required`), or sign-in cannot work on this org yet (`invalid_config`: the redirect page is missing or
 * its URL is not registered; the message names what to fix). `undefined` for any other failure.
 */
export function signInReasonOf(error: unknown): string | undefined {
  if (!isNavMapError(error)) return undefined;
  if (error.code === 'interaction_required') return SILENT_SIGN_IN_BLOCKED;
  return error.code === 'invalid_config' ? error.message : undefined;
}
