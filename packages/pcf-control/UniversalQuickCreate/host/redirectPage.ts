import webResources from '../../web-resources/webResources.json';

/** The HTML web resource the solution ships as MSAL's redirect page (web-resources/msalredirect.html). */
export const REDIRECT_PAGE_WEB_RESOURCE = webResources.redirectPage.name;

/**
 * Where Dataverse serves the shipped redirect page: `<client url>/WebResources/<name>`, the control's default MSAL
 * redirect URI and the URL to register as a Single-page application redirect URI.
 *
 * @example
 * defaultRedirectUri('https://contoso.crm.dynamics.com'); // 'https://contoso.crm.dynamics.com/WebResources/sprk_/navmap/msalredirect.html'
 */
export function defaultRedirectUri(clientUrl: string): string {
  return `${clientUrl.replace(/\/+$/, '')}/WebResources/${REDIRECT_PAGE_WEB_RESOURCE}`;
}
