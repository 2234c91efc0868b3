/**
 * The `environment` a NavMap names: the origin of the Dataverse URL (scheme, lower-case host, port only when not the
 * default), the form the browser client's `environment` option takes from the form's org URL
 * (`Xrm.Utility.getGlobalContext().getClientUrl()`), so a client accepts the map whatever `environmentName` says.
 *
 * @example
 * dataverseEnvironment('https://Org.crm.dynamics.com/api/data/v9.2/'); // 'https://org.crm.dynamics.com'
 */
export function dataverseEnvironment(dataverseUrl: string): string {
  return new URL(dataverseUrl).origin;
}
