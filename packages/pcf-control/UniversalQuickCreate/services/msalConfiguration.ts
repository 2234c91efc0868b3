import type { ControlConfig } from './readControlConfig';

/** The msal-browser configuration for the control's app registration and authority. */
export function msalConfiguration(config: ControlConfig) {
  const authority = new URL(config.authority);
  // A non-Azure authority (the local identity provider, ADFS) must be declared known and spoken to as plain OIDC.
  const isAzureAd = authority.hostname === 'login.microsoftonline.com';
  return {
    auth: {
      clientId: config.clientId,
      authority: config.authority,
      redirectUri: config.msalRedirectUri,
      ...(isAzureAd ? {} : { knownAuthorities: [authority.host], OIDCOptions: { defaultScopes: ['openid', 'profile'] } }),
    },
    cache: { cacheLocation: 'sessionStorage' as const },
    ...(isAzureAd ? {} : { system: { protocolMode: 'OIDC' as const } }),
  };
}
