import { randomBytes } from 'node:crypto';
import express from 'express';
import { exportJWK, generateKeyPair, type JSONWebKeySet, type JWK } from 'jose';
import Provider, { errors, type ClientMetadata, type Configuration } from 'oidc-provider';
import { stableGuid } from '../dataverse/DataverseStore.js';
import { sdapSeed } from '../dataverse/sdapSeed.js';
import { NavMapError } from '@sdap/navmap-sdk';
import { isTotpSecret } from './authenticatorCode.js';
import { createMemoryAdapter } from './createMemoryAdapter.js';
import { createSignInRoutes, type SignInPages } from './createSignInRoutes.js';

/** A client registered with the identity provider, as `LocalEnvironment.clients` lists it. */
export interface RegisteredClient {
  readonly clientId: string;
  /**
   * The same registration's GUID application (client) id, as Entra ID identifies every app: a confidential client
   * is accepted under either id (QA's NAVMAP_E2E_CLIENT_ID must be a GUID).
   */
  readonly appId: string;
  readonly clientSecret?: string;
  readonly grantTypes: readonly string[];
  /** The audience its tokens are for (the first, for a client that may ask for several). */
  readonly audience: string;
  /** App roles put in `roles` of client-credentials tokens. */
  readonly roles?: readonly string[];
  /** Delegated scopes it may request (full names, e.g. `api://navmap-bff/NavMap.Read`). */
  readonly scopes?: readonly string[];
}

export interface TestUser {
  readonly username: string;
  readonly password: string;
  /**
   * The base32 secret of the user's authenticator app registration. When set (Entra-shaped pages only), the sign-in
   * asks for the app's current code after the password, as Entra ID does for a user enrolled in multi-factor sign-in.
   */
  readonly totpSecret?: string;
}

export interface IdentityProviderOptions {
  /** `https://localhost:<port>`. */
  readonly authorityHost: string;
  readonly tenantId: string;
  readonly dataverseUrl: string;
  readonly bffAudience: string;
  readonly testUser: TestUser;
  /**
   * `entra`: Entra ID's sign-in steps, field names and button ids (account, password, authenticator code when the
   * test user has a TOTP secret, "Stay signed in?"); `plain`: one username and password form.
   * @default 'plain'
   */
  readonly signInPages?: SignInPages;
  /** Redirect URIs on the org registered for `navmap-pcf` (SPA platform); any other URI on the org is refused. @default [] */
  readonly controlRedirectUris?: readonly string[];
}

export interface IdentityProvider {
  /** Express app to serve over https (the caller rewrites the v2.0 discovery path, see `rewriteDiscoveryPath`). */
  readonly app: express.Express;
  readonly issuer: string;
  readonly tokenEndpoint: string;
  readonly authorizationEndpoint: string;
  /** Public keys, for verifying tokens in process. */
  readonly jwks: JSONWebKeySet;
  readonly clients: readonly RegisteredClient[];
  /** Rewrites `/{tenant}/v2.0/.well-known/...` to where oidc-provider serves it; returns the new URL. */
  rewriteDiscoveryPath(url: string): string;
}

/** The Azure AD v2 scope of the BFF the PCF control asks for. */
export const NAVMAP_READ = 'NavMap.Read';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function isLoopbackUrl(value: string): boolean {
  const url = URL.parse(value);
  return url !== null && (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.has(url.hostname) && url.hash === '';
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** The resource a scope such as `api://navmap-bff/NavMap.Read` or `https://org/.default` belongs to. */
export function resourceOfScope(scope: string): string | undefined {
  if (!scope.includes('://')) return undefined;
  const slash = scope.lastIndexOf('/');
  if (slash <= scope.indexOf('://') + 2) return undefined;
  return scope.slice(0, slash).replace(/\/+$/, '');
}

/**
 * An OpenID Connect provider (oidc-provider) shaped like Azure AD v2: `/{tenant}/oauth2/v2.0/authorize|token`,
 * `/{tenant}/discovery/v2.0/keys`, issuer `/{tenant}/v2.0`. Access tokens are RS256 JWTs with `aud`, `scp` or
 * `roles`, `tid` and `oid`, as Entra ID issues them.
 */
export async function createIdentityProvider(options: IdentityProviderOptions): Promise<IdentityProvider> {
  const { authorityHost, tenantId, bffAudience, testUser } = options;
  const signInPages = options.signInPages ?? 'plain';
  if (signInPages !== 'plain' && signInPages !== 'entra') {
    throw new NavMapError('invalid_config', `Option \`signInPages\` must be 'plain' or 'entra'; received ${JSON.stringify(signInPages)}.`);
  }
  if (testUser.totpSecret !== undefined) {
    if (signInPages !== 'entra') {
      throw new NavMapError('invalid_config', "Option `testUser.totpSecret` needs `signInPages: 'entra'`: the plain sign-in page has no verification code step.");
    }
    if (!isTotpSecret(testUser.totpSecret)) {
      throw new NavMapError('invalid_config', 'Option `testUser.totpSecret` must be a base32 secret of at least 16 characters (A-Z, 2-7), as an authenticator app takes it.');
    }
  }
  const dataverseUrl = options.dataverseUrl.replace(/\/+$/, '');
  const issuer = `${authorityHost}/${tenantId}/v2.0`;
  const mount = `/${tenantId}`;

  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  // A kid unique per start: jose and MSAL cache JWKS by kid, so a reused kid with a new key would fail verification.
  const kid = `navmap-local-${randomBytes(8).toString('hex')}`;
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };

  const bffScope = `${bffAudience}/${NAVMAP_READ}`;
  const dataverseScope = `${dataverseUrl}/user_impersonation`;
  const appIdOf = (clientId: string) => stableGuid(`app-registration:${clientId}`);
  const registrations: Omit<RegisteredClient, 'appId'>[] = [
    {
      clientId: 'navmap-pcf',
      grantTypes: ['authorization_code', 'refresh_token'],
      audience: bffAudience,
      scopes: [bffScope, dataverseScope],
    },
    { clientId: 'navmap-e2e', clientSecret: 'navmap-e2e-secret', grantTypes: ['client_credentials'], audience: bffAudience, roles: [NAVMAP_READ] },
    { clientId: 'navmap-server', clientSecret: 'navmap-server-secret', grantTypes: ['client_credentials'], audience: dataverseUrl },
    // The release pipeline's service principal (pac auth create --applicationId): imports solutions into the org.
    { clientId: 'navmap-deploy', clientSecret: 'navmap-deploy-secret', grantTypes: ['client_credentials'], audience: dataverseUrl },
  ];
  const clients: RegisteredClient[] = registrations.map((client) => ({ ...client, appId: appIdOf(client.clientId) }));
  const audiencesByName: Record<string, readonly string[]> = {
    'navmap-pcf': [bffAudience, dataverseUrl],
    // As in Entra ID, a confidential client gets client-credentials tokens for other resources too, without their roles.
    'navmap-e2e': [bffAudience, dataverseUrl],
    'navmap-server': [dataverseUrl],
    'navmap-deploy': [dataverseUrl],
  };
  const audiencesByClient: Record<string, readonly string[]> = Object.fromEntries(
    clients.flatMap((client) => [client.clientId, client.appId].map((id) => [id, audiencesByName[client.clientId] ?? []] as const)),
  );
  // App roles belong to the resource that defines them: a client's roles go only into tokens for its own audience.
  const rolesByClient = new Map(
    clients.flatMap((client) => [client.clientId, client.appId].map((id) => [id, { audience: client.audience, roles: client.roles ?? [] }] as const)),
  );

  // Confidential clients are registered under their GUID app id too.
  const aliases = clients.filter((client) => client.clientSecret !== undefined).map((client) => ({ ...client, clientId: client.appId }));
  const clientMetadata: ClientMetadata[] = [...clients, ...aliases].map((client) =>
    client.clientSecret === undefined
      ? {
          client_id: client.clientId,
          token_endpoint_auth_method: 'none',
          application_type: 'web',
          grant_types: [...client.grantTypes],
          response_types: ['code'],
          // Loopback URLs off the org are accepted (see redirectUriAllowed below); these satisfy registration.
          redirect_uris: ['http://localhost/', 'https://localhost/', ...(client.clientId === 'navmap-pcf' ? (options.controlRedirectUris ?? []) : [])],
          post_logout_redirect_uris: ['http://localhost/', 'https://localhost/'],
        }
      : {
          client_id: client.clientId,
          client_secret: client.clientSecret,
          token_endpoint_auth_method: 'client_secret_post',
          grant_types: [...client.grantTypes],
          response_types: [],
          redirect_uris: [],
        },
  );

  const testUserSubject = sdapSeed.organization.testUserObjectId;
  const resourceServer = (indicator: string) => {
    const audience = indicator.replace(/\/+$/, '');
    if (audience === bffAudience) return { audience, scope: `${bffScope} ${bffAudience}/.default` };
    if (audience === dataverseUrl) return { audience, scope: `${dataverseScope} ${dataverseUrl}/.default ${dataverseUrl}//.default` };
    return undefined;
  };

  const configuration: Configuration = {
    adapter: createMemoryAdapter(),
    clients: clientMetadata,
    jwks: { keys: [privateJwk] },
    claims: { openid: ['sub', 'amr'], profile: ['name', 'preferred_username', 'oid', 'tid'], email: ['email'] },
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    conformIdTokenClaims: false,
    cookies: {
      keys: [randomBytes(32).toString('base64url')],
      // Cross-site iframes and redirects (MSAL) need SameSite=None; the provider is https so Secure is set.
      long: { sameSite: 'none' },
      short: { sameSite: 'none' },
    },
    // The registered clients are first-party apps with tenant-wide admin consent, as the control's app registration
    // has in Entra ID: a signed-in user is never asked to consent, so silent requests (prompt=none, MSAL's
    // ssoSilent) get tokens for every scope the client may request instead of consent_required.
    loadExistingGrant: async (ctx) => {
      const client = ctx.oidc.client;
      const session = ctx.oidc.session;
      if (!client || !session?.accountId) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      const { Grant } = ctx.oidc.provider;
      const grant = (grantId ? await Grant.find(grantId) : undefined) ?? new Grant({ clientId: client.clientId, accountId: session.accountId });
      const requested = String(ctx.oidc.params?.scope ?? '').split(' ').filter(Boolean);
      const oidcScopes = requested.filter((scope) => !scope.includes('://'));
      if (oidcScopes.length > 0) grant.addOIDCScope(oidcScopes.join(' '));
      for (const scope of requested) {
        const resource = resourceOfScope(scope);
        const server = resource === undefined ? undefined : resourceServer(resource);
        if (resource !== undefined && server !== undefined && (audiencesByClient[client.clientId] ?? []).includes(server.audience)) {
          grant.addResourceScope(resource, scope);
        }
      }
      await grant.save();
      return grant;
    },
    findAccount: async (_ctx, sub) => {
      if (sub !== testUserSubject) return undefined;
      return {
        accountId: sub,
        claims: async () => ({
          sub,
          oid: sub,
          tid: tenantId,
          name: 'Test User',
          preferred_username: testUser.username,
          email: testUser.username,
        }),
      };
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (ctx, _client, oneOf) => {
          if (oneOf) return oneOf;
          // MSAL sends no `resource`: like Entra ID, derive it from the scopes (`api://navmap-bff/NavMap.Read`).
          const scope = (ctx.oidc.params?.scope as string | undefined) ?? '';
          const resources = [...new Set(scope.split(' ').map(resourceOfScope).filter((value): value is string => value !== undefined))];
          return resources[0];
        },
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, indicator, client) => {
          const server = resourceServer(indicator);
          if (server === undefined || !(audiencesByClient[client.clientId] ?? []).includes(server.audience)) {
            throw new errors.InvalidTarget(`client '${client.clientId}' may not request tokens for '${indicator}'`);
          }
          return { ...server, accessTokenFormat: 'jwt', accessTokenTTL: 3600, jwt: { sign: { alg: 'RS256' } } };
        },
      },
    },
    formats: {
      customizers: {
        jwt: (_ctx, token, jwt) => {
          const payload = jwt.payload;
          const scopes = String(payload.scope ?? '').split(' ').filter(Boolean);
          delete payload.scope;
          payload.ver = '2.0';
          payload.tid = tenantId;
          payload.azp = token.clientId;
          if (token.kind === 'ClientCredentials') {
            const objectId = stableGuid(`service-principal:${token.clientId}`);
            payload.sub = objectId;
            payload.oid = objectId;
            payload.idtyp = 'app';
            payload.appid = token.clientId;
            const granted = rolesByClient.get(token.clientId ?? '');
            if (granted && granted.roles.length > 0 && payload.aud === granted.audience) payload.roles = [...granted.roles];
          } else {
            payload.oid = payload.sub;
            payload.scp = scopes.map((scope) => scope.slice(scope.lastIndexOf('/') + 1)).join(' ');
            payload.preferred_username = testUser.username;
            payload.name = 'Test User';
          }
        },
      },
    },
    interactions: { url: (_ctx, interaction) => `${mount}/login/${interaction.uid}` },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    pkce: { required: () => true },
    routes: {
      authorization: '/oauth2/v2.0/authorize',
      token: '/oauth2/v2.0/token',
      jwks: '/discovery/v2.0/keys',
      end_session: '/oauth2/v2.0/logout',
      revocation: '/oauth2/v2.0/revoke',
      userinfo: '/openid/userinfo',
    },
    ttl: {
      AccessToken: 3600,
      ClientCredentials: 3600,
      IdToken: 3600,
      AuthorizationCode: 120,
      Interaction: 600,
      Session: 86_400,
      Grant: 86_400,
      RefreshToken: 86_400,
    },
    clientBasedCORS: () => true,
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in error</title></head><body><h1>Sign-in error</h1><p id="error">${escapeHtml(
        String(out.error),
      )}: ${escapeHtml(String(out.error_description ?? ''))}</p></body></html>`;
    },
  };

  const provider = new Provider(issuer, configuration);
  // oidc-provider only lets native clients vary the port, and only on http. The PCF test harness, the form host
  // and Playwright pages run on any http(s) loopback origin, as an Entra ID SPA registration for localhost allows.
  const originalRedirectUriAllowed = provider.Client.prototype.redirectUriAllowed;
  const originalPostLogoutAllowed = provider.Client.prototype.postLogoutRedirectUriAllowed;
  // On the org itself only the registered redirect URIs count, as Entra ID matches a SPA redirect URI exactly.
  const onOrg = (value: string) => URL.parse(value)?.origin === URL.parse(dataverseUrl)?.origin;
  provider.Client.prototype.redirectUriAllowed = function redirectUriAllowed(this: InstanceType<typeof provider.Client>, value: string) {
    return (this.clientId === 'navmap-pcf' && isLoopbackUrl(value) && !onOrg(value)) || originalRedirectUriAllowed.call(this, value);
  };
  provider.Client.prototype.postLogoutRedirectUriAllowed = function postLogoutRedirectUriAllowed(
    this: InstanceType<typeof provider.Client>,
    value: string,
  ) {
    return (this.clientId === 'navmap-pcf' && isLoopbackUrl(value)) || originalPostLogoutAllowed.call(this, value);
  };

  const app = express();
  app.disable('x-powered-by');
  app.use(createSignInRoutes({ provider, mount, testUser, testUserSubject, pages: signInPages }));

  app.use(mount, provider.callback() as unknown as express.RequestHandler);

  const discoveryPrefix = `${mount}/v2.0/.well-known/`;
  return {
    app,
    issuer,
    tokenEndpoint: `${authorityHost}${mount}/oauth2/v2.0/token`,
    authorizationEndpoint: `${authorityHost}${mount}/oauth2/v2.0/authorize`,
    jwks: { keys: [publicJwk] },
    clients,
    rewriteDiscoveryPath: (url) => (url.startsWith(discoveryPrefix) ? `${mount}/.well-known/${url.slice(discoveryPrefix.length)}` : url),
  };
}

