import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalEnvironment, sdapSeed, type LocalEnvironment, type RequestCounts } from '@sdap/local-environment';
import { createServer, NAVMAP_PATH, type NavMapServer, type ServerConfig } from '@sdap/navmap-server';

export const BFF_SCOPE = 'api://navmap-bff/NavMap.Read';
const NAVMAP_SERVER_PATHS = new Set([NAVMAP_PATH, '/healthz', '/readyz', '/metrics']);
export const CONTROL_BUNDLE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'packages', 'pcf-control', 'out', 'controls', 'UniversalQuickCreate', 'bundle.js');

/** What `npm start` and the e2e `local` project run: a whole Power Platform stand-in with NavMap deployed on it. */
export interface LocalStack {
  readonly environment: LocalEnvironment;
  /** The navmap-server whose router is mounted on the local BFF (`environment.uploadApiUrl`). */
  readonly navmap: NavMapServer;
  /** The BFF base URL the control is configured with: upload API and NavMap endpoint on one origin. */
  readonly bffBaseUrl: string;
  /** The local environment's request counters (admin `GET /requests`): what reached Dataverse and the upload API. */
  requestCounts(): Promise<RequestCounts>;
  /** Puts `count` instances of the control on every form from the next page load. */
  setControlsPerForm(count: number): void;
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  /** Port of the Dataverse emulator (the others follow it); 0 picks free ports. @default 0 */
  readonly port?: number;
  /** The server cache's TTL. @default 300 */
  readonly ttlSeconds?: number;
  /** Instances of the control on each form. @default 1 */
  readonly controlsPerForm?: number;
  /** Parents configured on the server. @default navmap-server's DEFAULT_PARENTS: the five sdap parents, account's relationship named */
  readonly parents?: ServerConfig['parents'];
}

/**
 * Starts the local environment, a navmap-server that reads its Dataverse with the server's own client-credentials
 * token (through @azure/identity, as in Azure), mounts the NavMap router on the local BFF next to the upload API, and
 * configures the form host with the built control. The process must trust the local certificate
 * (NODE_EXTRA_CA_CERTS) before it starts.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  if (!existsSync(CONTROL_BUNDLE)) throw new Error(`No control bundle at ${CONTROL_BUNDLE}: run "npm run build -w @sdap/pcf-control".`);
  const environment = await startLocalEnvironment({ port: options.port ?? 0 });
  try {
    const serverClient = environment.clients.find((client) => client.clientId === 'navmap-server');
    if (!serverClient?.clientSecret) throw new Error('The local identity provider has no navmap-server client.');
    const navmap = createServer({
      dataverse: {
        url: environment.dataverseUrl,
        auth: {
          kind: 'clientSecret',
          tenantId: environment.tenantId,
          clientId: serverClient.clientId,
          clientSecret: serverClient.clientSecret,
          authorityHost: environment.authorityHost,
        },
      },
      childEntity: sdapSeed.childEntity,
      ...(options.parents === undefined ? {} : { parents: options.parents }),
      auth: { issuer: environment.issuer, audience: environment.bffAudience, requiredScopes: ['NavMap.Read'], requiredRoles: ['NavMap.Read'] },
      cache: { ttlSeconds: options.ttlSeconds ?? 300 },
      cors: { origins: [environment.dataverseUrl] },
      logLevel: 'warn',
    });
    await navmap.warmed;
    // The BFF serves navmap-server's own app (endpoint, health, readiness, metrics) beside the upload API, as the real
    // BFF does; the app answers 404 for other paths, so only its paths are handed to it.
    environment.bff.use((request, response, next) => {
      if (NAVMAP_SERVER_PATHS.has(request.path)) navmap.app(request, response, next);
      else next();
    });
    const configureFormHost = (controlsPerForm: number) =>
      environment.configureFormHost({
        bundlePath: CONTROL_BUNDLE,
        controlsPerForm,
        parameters: {
          bffBaseUrl: environment.uploadApiUrl,
          bffScope: BFF_SCOPE,
          clientId: 'navmap-pcf',
          authority: environment.issuer,
          msalRedirectUri: `${environment.dataverseUrl}/_formhost/msal-redirect.html`,
          containerIdColumn: 'sprk_containerid',
          uploadSessionThresholdBytes: 4 * 1024 * 1024,
          appInsightsConnectionString: environment.telemetryConnectionString,
          entityId: null,
          entityName: null,
        },
      });
    configureFormHost(options.controlsPerForm ?? 1);
    return {
      environment,
      navmap,
      bffBaseUrl: environment.uploadApiUrl,
      setControlsPerForm: configureFormHost,
      requestCounts: async () => (await fetch(`${environment.adminUrl}/requests`)).json() as Promise<RequestCounts>,
      async stop() {
        await navmap.close({ timeoutMs: 1000 });
        await environment.stop();
      },
    };
  } catch (error) {
    await environment.stop();
    throw error;
  }
}
