import type { IPublicClientApplication } from '@azure/msal-browser';
import { isNavMapError } from '@sdap/navmap-sdk';
import { describe, expect, it, vi } from 'vitest';
import { createControlTokenProvider } from './createControlTokenProvider';

const REDIRECT_URI = 'https://contoso.crm.dynamics.com/WebResources/sprk_/navmap/msalredirect.html';
const configuration = { auth: { clientId: '6f1e2c3d-0000-4000-8000-000000000001', authority: 'https://login.microsoftonline.com/contoso', redirectUri: REDIRECT_URI } };
const account = { homeAccountId: 'h', environment: 'login.microsoftonline.com', tenantId: 't', username: 'megan@contoso.com', localAccountId: 'l' };
const authError = (errorCode: string) => Object.assign(new Error(`${errorCode}: from MSAL`), { errorCode });

/** A PublicClientApplication with no cached account whose ssoSilent answers as given. */
function fakeMsal(ssoSilent: () => Promise<string>) {
  return {
    initialize: vi.fn(async () => undefined),
    getActiveAccount: vi.fn(() => null),
    getAllAccounts: vi.fn(() => []),
    setActiveAccount: vi.fn(),
    acquireTokenSilent: vi.fn(async () => Promise.reject(authError('no_tokens_found'))),
    ssoSilent: vi.fn(async (_request: { loginHint?: string }) => ({ accessToken: await ssoSilent(), account })),
    acquireTokenPopup: vi.fn(async () => ({ accessToken: 'popup-token', account })),
  };
}

function providerWith(options: { ssoSilent: () => Promise<string>; pageProblem?: string; loginHint?: string }) {
  const msal = fakeMsal(options.ssoSilent);
  const findRedirectPageProblem = vi.fn(async () => options.pageProblem);
  const getAccessToken = createControlTokenProvider({
    configuration,
    scopes: ['api://bff/user_impersonation'],
    loginHint: async () => options.loginHint,
    findRedirectPageProblem,
    msal: msal as unknown as IPublicClientApplication,
  });
  return { getAccessToken, msal, findRedirectPageProblem };
}

const codeOf = (error: unknown) => (isNavMapError(error) ? error.code : String(error));

describe('createControlTokenProvider', () => {
  it("signs in silently with the user's UPN as login hint and checks the redirect page once", async () => {
    const { getAccessToken, msal, findRedirectPageProblem } = providerWith({ ssoSilent: async () => 'token', loginHint: 'megan@contoso.com' });
    await expect(getAccessToken()).resolves.toBe('token');
    await expect(getAccessToken()).resolves.toBe('token');
    expect(msal.ssoSilent.mock.calls[0]?.[0]).toMatchObject({ loginHint: 'megan@contoso.com' });
    expect(msal.initialize).toHaveBeenCalled();
    expect(findRedirectPageProblem).toHaveBeenCalledOnce();
  });

  it('signs in without a hint when the user has no UPN', async () => {
    const { getAccessToken, msal } = providerWith({ ssoSilent: async () => 'token' });
    await expect(getAccessToken()).resolves.toBe('token');
    expect(msal.ssoSilent.mock.calls[0]?.[0]).not.toHaveProperty('loginHint');
  });

  it('says at once that the redirect page is missing, without asking MSAL, and checks again next time', async () => {
    const missing = `Sign-in cannot work yet: ${REDIRECT_URI} is missing (404). Import the UniversalQuickCreate solution.`;
    const { getAccessToken, msal, findRedirectPageProblem } = providerWith({ ssoSilent: async () => 'token', pageProblem: missing });
    const failure = await getAccessToken().catch((error: unknown) => error);
    expect(codeOf(failure)).toBe('invalid_config');
    expect((failure as Error).message).toBe(missing);
    await expect(getAccessToken.signIn()).rejects.toThrow(missing);
    expect(msal.ssoSilent).not.toHaveBeenCalled();
    expect(msal.acquireTokenPopup).not.toHaveBeenCalled();
    expect(findRedirectPageProblem).toHaveBeenCalledTimes(2);
  });

  it('names the URL to register when a silent answer never reached the redirect page, then fails at once', async () => {
    const { getAccessToken, msal } = providerWith({ ssoSilent: () => Promise.reject(authError('timed_out')) });
    const failure = await getAccessToken().catch((error: unknown) => error);
    expect(codeOf(failure)).toBe('invalid_config');
    expect((failure as Error).message).toBe(
      `Sign-in did not come back to ${REDIRECT_URI}. Register ${REDIRECT_URI} as a Single-page application redirect URI on the app registration ${configuration.auth.clientId} (Microsoft Entra ID shows AADSTS50011 until it is), then reload the form.`,
    );
    // No second 10 s wait, and no popup that could only show Entra's error page.
    await expect(getAccessToken()).rejects.toBe(failure);
    await expect(getAccessToken.signIn()).rejects.toBe(failure);
    expect(msal.ssoSilent).toHaveBeenCalledOnce();
    expect(msal.acquireTokenPopup).not.toHaveBeenCalled();
  });

  it('leaves a session the browser blocks (login_required) to Sign in', async () => {
    const { getAccessToken, msal } = providerWith({ ssoSilent: () => Promise.reject(authError('login_required')) });
    const failure = await getAccessToken().catch((error: unknown) => error);
    expect(codeOf(failure)).toBe('interaction_required');
    await expect(getAccessToken.signIn()).resolves.toBeUndefined();
    expect(msal.acquireTokenPopup).toHaveBeenCalledOnce();
  });
});
