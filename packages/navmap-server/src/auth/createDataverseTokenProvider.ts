import { AzureCliCredential, ClientSecretCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import { NavMapError } from '@sdap/navmap-sdk';
import type { DataverseAuthConfig } from '../config/resolveServerConfig.js';

/** Returns a bearer token for Dataverse; what `resolveNavMap`'s `getToken` takes. */
export type DataverseTokenProvider = () => Promise<string>;

function credentialFor(auth: Exclude<DataverseAuthConfig, { kind: 'none' }>): TokenCredential {
  switch (auth.kind) {
    case 'clientSecret':
      // disableInstanceDiscovery lets the authority be any OpenID provider (a sovereign cloud, ADFS, a local one).
      return new ClientSecretCredential(auth.tenantId, auth.clientId, auth.clientSecret, {
        authorityHost: auth.authorityHost,
        disableInstanceDiscovery: true,
      });
    case 'managedIdentity':
      return auth.clientId === undefined ? new ManagedIdentityCredential() : new ManagedIdentityCredential({ clientId: auth.clientId });
    case 'azureCli':
      return new AzureCliCredential(auth.tenantId === undefined ? {} : { tenantId: auth.tenantId });
  }
}

/**
 * The Dataverse token function for a configured `dataverse.auth`: `@azure/identity` asks for
 * `<dataverseUrl>/.default` and caches the token until shortly before it expires. `kind: 'none'` sends no token.
 *
 * @example
 * const getToken = createDataverseTokenProvider('https://org.crm.dynamics.com', { kind: 'managedIdentity' });
 */
export function createDataverseTokenProvider(dataverseUrl: string, auth: DataverseAuthConfig): DataverseTokenProvider {
  if (auth.kind === 'none') return () => Promise.resolve('');
  const credential = credentialFor(auth);
  const scope = `${new URL(dataverseUrl).origin}/.default`;
  return async () => {
    try {
      const token = await credential.getToken(scope);
      if (token === null) throw new Error('the credential returned no token');
      return token.token;
    } catch (error) {
      throw new NavMapError(
        'unauthorized',
        `Could not get a Dataverse token (${auth.kind}) for ${scope}: ${(error as Error).message.split('\n')[0] ?? ''}`,
        { cause: error },
      );
    }
  };
}
