import { describe, expect, it } from 'vitest';
import { navMapErrorCodes } from './errorCodes.js';
import { errorCodeForHttpStatus, httpStatusForErrorCode, NAVMAP_HTTP_STATUS } from './http.js';

describe('NAVMAP_HTTP_STATUS', () => {
  it('gives every wire code its own status, so a client can read the code back', () => {
    const statuses = Object.values(NAVMAP_HTTP_STATUS);
    expect(new Set(statuses).size).toBe(statuses.length);
    for (const [code, status] of Object.entries(NAVMAP_HTTP_STATUS)) expect(errorCodeForHttpStatus(status)).toBe(code);
  });

  it('answers 503 for a code without a status of its own, which the client reads as server_unavailable', () => {
    const unlisted = navMapErrorCodes.filter((code) => !Object.hasOwn(NAVMAP_HTTP_STATUS, code));
    expect(unlisted).toContain('dataverse_error');
    for (const code of unlisted) expect(errorCodeForHttpStatus(httpStatusForErrorCode(code))).toBe('server_unavailable');
  });

  it('reads a status outside the table as server_unavailable (5xx) or invalid_response', () => {
    expect(errorCodeForHttpStatus(502)).toBe('server_unavailable');
    expect(errorCodeForHttpStatus(500)).toBe('server_unavailable');
    expect(errorCodeForHttpStatus(418)).toBe('invalid_response');
    expect(errorCodeForHttpStatus(302)).toBe('invalid_response');
  });
});
