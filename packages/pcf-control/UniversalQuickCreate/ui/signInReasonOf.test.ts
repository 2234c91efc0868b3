import { NavMapError } from '@sdap/navmap-sdk';
import { describe, expect, it } from 'vitest';
import { SILENT_SIGN_IN_BLOCKED, signInReasonOf } from './signInReasonOf';

describe('signInReasonOf', () => {
  it('keeps the file chosen with the standard reason when a token needs the user', () => {
    expect(signInReasonOf(new NavMapError('interaction_required', 'No token without interaction: ssoSilent: login_required'))).toBe(SILENT_SIGN_IN_BLOCKED);
  });

  it('keeps the file chosen and says what to fix when sign-in cannot work on this org yet', () => {
    const missing = 'Sign-in cannot work yet: https://contoso.crm.dynamics.com/WebResources/sprk_/navmap/msalredirect.html is missing (404).';
    expect(signInReasonOf(new NavMapError('invalid_config', missing))).toBe(missing);
  });

  it('lets every other failure fail the upload', () => {
    expect(signInReasonOf(new NavMapError('unauthorized', 'The BFF refused the token'))).toBeUndefined();
    expect(signInReasonOf(new Error('invalid_config'))).toBeUndefined();
    expect(signInReasonOf({ errorCode: 0x80040220, message: 'Principal user is missing prvCreate' })).toBeUndefined();
  });
});
