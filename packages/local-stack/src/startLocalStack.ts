import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  readSolutionPackage,
  sdapSeed,
  startLocalEnvironment,
  type AdminClient,
  type LocalEnvironment,
  type LocalEnvironmentOptions,
  type SolutionPackage,
} from '@sdap/local-environment';
import { NAVMAP_ENDPOINT_PATH, navMapEnvironment } from '@sdap/navmap-sdk';
import { createServer, type CreateServerOptions, type NavMapServer, type ServerConfig } from '@sdap/navmap-server';
import type { RequestHandler } from 'express';
import { importSolution } from './importSolution.js';
import { CALLER_CLIENT_ID, clientSecretOf, DEPLOY_CLIENT_ID, mergeConfig, navMapServerConfig, NAVMAP_SERVER_CLIENT_ID } from './navMapServerConfig.js';
import { startNavMapServer, type RunningNavMapServer } from './startNavMapServer.js';

/** The scope the control asks for to call the BFF. */
export const BFF_SCOPE = 'api://navmap-bff/NavMap.Read';
/** The built UniversalQuickCreate bundle (`npm run build -w @sdap/pcf-control`), for the pcf-start test harness. */
export const CONTROL_BUNDLE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'pcf-control', 'out', 'controls', 'UniversalQuickCreate', 'bundle.js');
/** Where `npm run build -w @sdap/pcf-control` writes the solution zip the stack imports, as an admin imports it. */
export const SOLUTION_DIRECTORY = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'pcf-control', 'out', 'solution');

/** The one built solution zip in `SOLUTION_DIRECTORY`. */
export function builtSolutionZip(): string {
  const zips = existsSync(SOLUTION_DIRECTORY) ? readdirSync(SOLUTION_DIRECTORY).filter((name) => name.endsWith('.zip')) : [];
  if (zips.length !== 1) throw new Error(`Expected one solution zip in ${SOLUTION_DIRECTORY}, found ${zips.length}: run "npm run build -w @sdap/pcf-control".`);
  return join(SOLUTION_DIRECTORY, zips[0] as string);
}
// navmap-server's own paths the BFF hands to it; its app answers 404 for any other path, which must reach the upload API.
const NAVMAP_SERVER_PATHS = new Set([NAVMAP_ENDPOINT_PATH, '/healthz', '/readyz', '/metrics']);

export interface LocalStackOptions {
  /** Port of the Dataverse emulator (the BFF, identity provider and admin endpoint follow it); 0 picks free ports. @default 0 */
  readonly port?: number;
  /** Folder for uploaded files and the certificate. @default local-environment's default */
  readonly dataDir?: string;
  /** Mount a navmap-server on the BFF and put the built control on the forms, as `npm start`. `false`: the environment only, for tests that start their own servers. @default true */
  readonly navMapOnBff?: boolean;
  /** The mounted server's cache TTL. @default 300 */
  readonly ttlSeconds?: number;
  /** Parents configured on the mounted server. @default SDAP_NAVMAP_PARENTS (the five sdap parents) */
  readonly parents?: ServerConfig['parents'];
  /** Instances of the control on each form. @default 1 */
  readonly controlsPerForm?: number;
  /** The Dataverse emulator's fidelity switches (refuse unverified query features, metadata lag). @default all off */
  readonly fidelity?: LocalEnvironmentOptions['fidelity'];
  /**
   * `cross-site`: the identity provider on another site than the forms (127.0.0.1 against localhost), so a browser
   * that blocks third-party cookies gets no token from MSAL's silent sign-in and the control asks the user to Sign in.
   * @default 'same-site' ('cross-site' with Entra-shaped sign-in)
   */
  readonly identityProviderSite?: LocalEnvironmentOptions['identityProviderSite'];
  /** Shaped like a deployment, for `npm run e2e:rehearse`: Entra ID-shaped sign-in (with TOTP when given), BFF on https. */
  readonly deployment?: Pick<LocalEnvironmentOptions, 'signInPages' | 'totpSecret' | 'bffProtocol'>;
}

/** The local environment with the helpers every harness needs: tokens, the admin client, navmap-servers of its own. */
export interface LocalEnvironmentStack {
  readonly environment: LocalEnvironment;
  /** The admin endpoint: faults, request counters, reset, schema changes, browser sessions. */
  readonly admin: AdminClient;
  /** The BFF base URL: upload API, ingestion and (when mounted) the NavMap endpoint on one origin. */
  readonly bffUrl: string;
  /** The `environment` navmap-server's maps carry here: the Dataverse emulator's origin. */
  readonly navMapEnvironment: string;
  /** navmap-server's confidential client, to check that its secret never shows. */
  readonly serverClient: { readonly clientId: string; readonly clientSecret: string };
  /** A client-credentials token for the BFF audience with app role NavMap.Read (what a caller of the endpoint sends). */
  callerToken(): Promise<string>;
  /** A token the Dataverse emulator accepts (navmap-server's). */
  dataverseToken(): Promise<string>;
  /** The release pipeline's token for the org (`pac auth create --applicationId`): imports solutions, deletes web resources. */
  deployToken(): Promise<string>;
  /** Imports a solution zip through the org's ImportSolution action with the release pipeline's token, as `pac solution import`. */
  importSolution(zipPath: string): Promise<void>;
  /** navmap-server's configuration against this environment, on 127.0.0.1:0, rate limit off; overrides merged one level deep. */
  serverConfig(overrides?: Partial<ServerConfig>): ServerConfig;
  /** Starts a navmap-server of `serverConfig(overrides)` on its own port; stopped by `stopServers()` or `stop()`. */
  startServer(overrides?: Partial<ServerConfig>, options?: CreateServerOptions): Promise<RunningNavMapServer>;
  /** Closes the servers `startServer` started. */
  stopServers(): Promise<void>;
  /** Stops everything it started. */
  stop(): Promise<void>;
}

/** What `npm start` and the e2e `local` project run: a whole Power Platform stand-in with NavMap deployed on it. */
export interface LocalStack extends LocalEnvironmentStack {
  /** The navmap-server mounted on the BFF. */
  readonly navmap: NavMapServer;
  /** The built solution the stack imported (`builtSolutionZip()`): its control and web resources with their ids. */
  readonly solution: SolutionPackage;
  /** The SPA redirect URIs registered on the control's app registration: the solution's redirect page on the org. */
  readonly controlRedirectUris: readonly string[];
  /** Puts `count` instances of the control on every form from the next page load. */
  setControlsPerForm(count: number): void;
}

/** Mounts navmap-server's app on the BFF, for its own paths only. */
function navMapServerPaths(navmap: NavMapServer): RequestHandler {
  return (request, response, next) => (NAVMAP_SERVER_PATHS.has(request.path) ? navmap.app(request, response, next) : next());
}

function environmentStack(environment: LocalEnvironment): LocalEnvironmentStack {
  const running: NavMapServer[] = [];
  const tokens = new Map<string, Promise<string>>();
  const token = (clientId: string, audience: string) => {
    const key = `${clientId} ${audience}`;
    if (!tokens.has(key)) tokens.set(key, environment.getClientCredentialsToken(clientId, clientSecretOf(environment, clientId), audience));
    return tokens.get(key) as Promise<string>;
  };
  const serverConfig = (overrides: Partial<ServerConfig> = {}) =>
    navMapServerConfig(environment, mergeConfig<Partial<ServerConfig>>({ host: '127.0.0.1', port: 0, logLevel: 'info', rateLimit: { enabled: false } }, overrides));
  const stopServers = async () => {
    await Promise.all(running.splice(0).map((server) => server.close({ timeoutMs: 1_000 })));
  };
  return {
    environment,
    admin: environment.admin,
    bffUrl: environment.bffUrl,
    navMapEnvironment: navMapEnvironment(environment.dataverseUrl),
    serverClient: { clientId: NAVMAP_SERVER_CLIENT_ID, clientSecret: clientSecretOf(environment, NAVMAP_SERVER_CLIENT_ID) },
    callerToken: () => token(CALLER_CLIENT_ID, environment.bffAudience),
    dataverseToken: () => token(NAVMAP_SERVER_CLIENT_ID, environment.dataverseUrl),
    deployToken: () => token(DEPLOY_CLIENT_ID, environment.dataverseUrl),
    importSolution: (zipPath) => importSolution(zipPath, { dataverseUrl: environment.dataverseUrl, getToken: () => token(DEPLOY_CLIENT_ID, environment.dataverseUrl) }),
    serverConfig,
    async startServer(overrides = {}, options = {}) {
      const started = await startNavMapServer(serverConfig(overrides), options);
      running.push(started.server);
      return started;
    },
    stopServers,
    async stop() {
      await stopServers();
      await environment.stop();
    },
  };
}

/**
 * Starts the local environment and, unless `navMapOnBff: false`, a navmap-server mounted on its BFF (endpoint,
 * health, readiness, metrics) and the built control on its model-driven forms. The process must trust the local
 * certificate (NODE_EXTRA_CA_CERTS) before it starts.
 *
 * @example
 * const stack = await startLocalStack();
 * console.log(stack.environment.formUrl('sprk_matter', stack.environment.records.sprk_matter?.[0]?.id));
 * await stack.stop();
 */
export async function startLocalStack(options?: LocalStackOptions & { readonly navMapOnBff?: true }): Promise<LocalStack>;
export async function startLocalStack(options: LocalStackOptions & { readonly navMapOnBff: false }): Promise<LocalEnvironmentStack>;
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalEnvironmentStack> {
  const withNavMap = options.navMapOnBff ?? true;
  const solutionZip = withNavMap ? builtSolutionZip() : undefined;
  const solution = solutionZip === undefined ? undefined : readSolutionPackage(readFileSync(solutionZip));
  // What an admin registers on the control's app registration (SPA platform): the solution's redirect page on the org.
  const controlRedirectPaths = (solution?.webResources ?? []).filter((resource) => resource.type === 1).map((resource) => `/WebResources/${resource.name}`);
  const environment = await startLocalEnvironment({
    port: options.port ?? 0,
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    ...(options.fidelity === undefined ? {} : { fidelity: options.fidelity }),
    ...(options.identityProviderSite === undefined ? {} : { identityProviderSite: options.identityProviderSite }),
    ...options.deployment,
    controlRedirectPaths,
  });
  const stack = environmentStack(environment);
  if (solutionZip === undefined || solution === undefined) return stack;
  try {
    const navmap = createServer(
      navMapServerConfig(environment, {
        childEntity: sdapSeed.childEntity,
        ...(options.parents === undefined ? {} : { parents: options.parents }),
        cache: { ttlSeconds: options.ttlSeconds ?? 300 },
        cors: { origins: [environment.dataverseUrl] },
        logLevel: 'warn',
      }),
    );
    await navmap.warmed;
    environment.mountNavMap(navMapServerPaths(navmap));
    // Deployed as an admin deploys it: the built solution through ImportSolution; then a maker puts its control on the forms.
    await stack.importSolution(solutionZip);
    const [control] = solution.controls;
    if (control === undefined) throw new Error(`The solution ${solutionZip} holds no control.`);
    const setControlsPerForm = (controlsPerForm: number) =>
      environment.configureFormHost({
        controlName: control.name,
        controlsPerForm,
        parameters: {
          bffBaseUrl: environment.bffUrl,
          bffScope: BFF_SCOPE,
          clientId: 'navmap-pcf',
          authority: environment.issuer,
          containerIdColumn: 'sprk_containerid',
          uploadSessionThresholdBytes: 4 * 1024 * 1024,
          appInsightsConnectionString: environment.telemetryConnectionString,
          entityId: null,
          entityName: null,
        },
      });
    setControlsPerForm(options.controlsPerForm ?? 1);
    const local: LocalStack = {
      ...stack,
      navmap,
      solution,
      controlRedirectUris: controlRedirectPaths.map((path) => `${environment.dataverseUrl}${path}`),
      setControlsPerForm,
      async stop() {
        await stack.stopServers();
        await navmap.close({ timeoutMs: 1000 });
        await environment.stop();
      },
    };
    return local;
  } catch (error) {
    await environment.stop();
    throw error;
  }
}
