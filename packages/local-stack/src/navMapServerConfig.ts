import { sdapSeed, type LocalEnvironment } from '@sdap/local-environment';
import type { ServerConfig } from '@sdap/navmap-server';

/** The confidential client navmap-server signs in with, as the local identity provider registered it. */
export const NAVMAP_SERVER_CLIENT_ID = 'navmap-server';
/** The release pipeline's service principal that imports solutions (`pac auth create --applicationId`). */
export const DEPLOY_CLIENT_ID = 'navmap-deploy';
/** The confidential client tests call the BFF as (app role NavMap.Read). */
export const CALLER_CLIENT_ID = 'navmap-e2e';

/** The secret of a confidential client the local identity provider registered; the one place tests read secrets from. */
export function clientSecretOf(environment: LocalEnvironment, clientId: string): string {
  const secret = environment.clients.find((client) => client.clientId === clientId)?.clientSecret;
  if (secret === undefined) throw new Error(`The local identity provider has no confidential client '${clientId}'.`);
  return secret;
}

/**
 * The sdap schema's parents as its deployment configures them (account and contact name their relationship: the
 * child has several lookups to each): what the local stack's servers resolve unless a test says otherwise. The
 * schema's configuration, not navmap-server's API.
 */
export const SDAP_NAVMAP_PARENTS: readonly ServerConfig['parents'][number][] = sdapSeed.navMapParents;

/** `overrides` over `base`, objects merged one level deep (so `{ cache: { ttlSeconds } }` keeps the other cache keys). */
export function mergeConfig<Config extends Partial<ServerConfig>>(base: Config, overrides: Partial<ServerConfig>): Config {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    const current = merged[key];
    const bothObjects = typeof value === 'object' && value !== null && !Array.isArray(value) && typeof current === 'object' && current !== null;
    merged[key] = bothObjects ? { ...current, ...value } : value;
  }
  return merged as Config;
}

/**
 * navmap-server's configuration against a local environment, as in Azure: it reads Dataverse with its own
 * client-credentials token (through @azure/identity) and accepts callers with the BFF audience and NavMap.Read.
 * `overrides` are merged one level deep.
 *
 * @example
 * createServer(navMapServerConfig(environment, { cache: { ttlSeconds: 2 } }));
 */
export function navMapServerConfig(environment: LocalEnvironment, overrides: Partial<ServerConfig> = {}): ServerConfig {
  const base: ServerConfig = {
    dataverse: {
      url: environment.dataverseUrl,
      auth: {
        kind: 'clientSecret',
        tenantId: environment.tenantId,
        clientId: NAVMAP_SERVER_CLIENT_ID,
        clientSecret: clientSecretOf(environment, NAVMAP_SERVER_CLIENT_ID),
        authorityHost: environment.authorityHost,
      },
    },
    parents: [...SDAP_NAVMAP_PARENTS],
    auth: { issuer: environment.issuer, audience: environment.bffAudience, requiredScopes: ['NavMap.Read'], requiredRoles: ['NavMap.Read'] },
  };
  return mergeConfig(base, overrides);
}
