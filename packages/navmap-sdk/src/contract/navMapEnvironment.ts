/**
 * The `environment` a NavMap names and a client compares: for an http(s) URL its origin (scheme, lower-case host, port
 * only when not the default; no path, no trailing slash), so `https://Org.crm.dynamics.com/api/data/v9.2/` and the form's
 * `Xrm.Utility.getGlobalContext().getClientUrl()` agree; any other value (a name such as `contoso-prod`) as given.
 * The rule of `docs/contract.md`, "Environment".
 *
 * @example
 * navMapEnvironment('https://Org.crm.dynamics.com/main.aspx'); // 'https://org.crm.dynamics.com'
 */
export function navMapEnvironment(dataverseUrlOrName: string): string {
  try {
    const url = new URL(dataverseUrlOrName.trim());
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.origin;
  } catch {
    // Not a URL: a name is compared as it is.
  }
  return dataverseUrlOrName;
}
