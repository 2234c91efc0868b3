import { REDIRECT_PAGE_WEB_RESOURCE } from '../host/redirectPage';

export interface RedirectPageCheck {
  /** MSAL's redirect URI. */
  readonly redirectUri: string;
  /** The form's origin: only a page on it can be read (the default redirect page always is). */
  readonly pageOrigin: string;
  /** Whether `redirectUri` is the default, the shipped web resource (then the message names it). */
  readonly isDefault: boolean;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/**
 * Why sign-in cannot work because the redirect page is not there: a same-origin GET of the redirect URI that answers
 * 404 (the solution with the web resource was not imported, or `msalRedirectUri` names a page that does not exist).
 * Without this check MSAL waits for the page's bridge until its timeout (10 s silent, 60 s popup). `undefined` when the
 * page is there, cannot be read (another origin) or the check itself fails: sign-in then goes on and MSAL decides.
 */
export async function findRedirectPageProblem(check: RedirectPageCheck): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(check.redirectUri);
  } catch {
    return undefined;
  }
  if (url.origin !== check.pageOrigin) return undefined;
  let status: number;
  try {
    const response = await (check.fetch ?? fetch)(url.href, { credentials: 'same-origin', cache: 'no-store' });
    status = response.status;
    void response.body?.cancel().catch(() => undefined);
  } catch {
    return undefined;
  }
  if (status !== 404) return undefined;
  return check.isDefault
    ? `Sign-in cannot work yet: ${url.href} is missing (404). Import the UniversalQuickCreate solution into this environment: it ships the web resource ${REDIRECT_PAGE_WEB_RESOURCE}, the page that receives sign-in responses.`
    : `Sign-in cannot work: the page in the control property "msalRedirectUri", ${url.href}, is missing (404). Point it to ${REDIRECT_PAGE_WEB_RESOURCE} (leave the property empty) or to a page that runs msal-browser's redirect bridge.`;
}
