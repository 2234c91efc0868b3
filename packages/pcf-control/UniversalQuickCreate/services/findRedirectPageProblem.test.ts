import { describe, expect, it, vi } from 'vitest';
import { findRedirectPageProblem } from './findRedirectPageProblem';

const ORG = 'https://contoso.crm.dynamics.com';
const PAGE = `${ORG}/WebResources/sprk_/navmap/msalredirect.html`;

const answering = (status: number) => vi.fn(async (_url: string | URL | Request, _init?: RequestInit) => new Response(status === 404 ? 'Not found' : '<html></html>', { status }));

describe('findRedirectPageProblem', () => {
  it('names the web resource to import and the URL when the default redirect page answers 404', async () => {
    const fetch = answering(404);
    const problem = await findRedirectPageProblem({ redirectUri: PAGE, pageOrigin: ORG, isDefault: true, fetch });
    expect(problem).toBe(
      `Sign-in cannot work yet: ${PAGE} is missing (404). Import the UniversalQuickCreate solution into this environment: it ships the web resource sprk_/navmap/msalredirect.html, the page that receives sign-in responses.`,
    );
    expect(fetch).toHaveBeenCalledExactlyOnceWith(PAGE, { credentials: 'same-origin', cache: 'no-store' });
  });

  it('names the control property when a redirect page set in msalRedirectUri answers 404', async () => {
    const redirectUri = `${ORG}/WebResources/new_/signin.html`;
    const problem = await findRedirectPageProblem({ redirectUri, pageOrigin: ORG, isDefault: false, fetch: answering(404) });
    expect(problem).toContain(`the page in the control property "msalRedirectUri", ${redirectUri}, is missing (404)`);
  });

  it('finds nothing when the page is there, or answers anything but 404', async () => {
    for (const status of [200, 302, 401, 500]) {
      await expect(findRedirectPageProblem({ redirectUri: PAGE, pageOrigin: ORG, isDefault: true, fetch: answering(status) })).resolves.toBeUndefined();
    }
  });

  it('leaves a page on another origin, and a failed check, to MSAL', async () => {
    const fetch = answering(404);
    await expect(findRedirectPageProblem({ redirectUri: 'https://auth.contoso.com/redirect.html', pageOrigin: ORG, isDefault: false, fetch })).resolves.toBeUndefined();
    expect(fetch).not.toHaveBeenCalled();
    const offline = vi.fn(() => Promise.reject(new TypeError('Failed to fetch')));
    await expect(findRedirectPageProblem({ redirectUri: PAGE, pageOrigin: ORG, isDefault: true, fetch: offline })).resolves.toBeUndefined();
  });
});
