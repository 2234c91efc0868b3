import { mkdir, readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NavMapError } from '@sdap/navmap-sdk';
import { createAdminApp } from './admin/createAdminApp.js';
import { createAdminClient } from './admin/createAdminClient.js';
import { FaultInjector } from './admin/FaultInjector.js';
import { createBffApp } from './bff/createBffApp.js';
import { ensureLocalCertificate } from './certificate/ensureLocalCertificate.js';
import { BrowserSessions } from './dataverse/BrowserSessions.js';
import { createDataverseApp } from './dataverse/createDataverseApp.js';
import { DataverseStore } from './dataverse/DataverseStore.js';
import { sdapSeed } from './dataverse/sdapSeed.js';
import { createFormHostRoutes, FORM_HOST_SIGN_IN_CALLBACK, type FormHostConfig } from './formHost/createFormHostRoutes.js';
import { startListening, urlHost, type ListeningServer } from './http/startListening.js';
import { createIdentityProvider, type TestUser } from './identity/createIdentityProvider.js';
import { requestClientCredentialsToken } from './identity/requestClientCredentialsToken.js';
import { resolveLocalhostNames, SIGN_IN_HOST } from './identity/resolveLocalhostNames.js';
import { createTokenVerifier } from './identity/TokenVerifier.js';
import type { LocalEnvironment } from './LocalEnvironment.js';
import { resolveLocalEnvironmentOptions, type LocalEnvironmentOptions } from './resolveLocalEnvironmentOptions.js';
import { createIngestionRoutes } from './telemetry/createIngestionRoutes.js';
import { createUploadApp } from './upload/createUploadApp.js';
import { InstalledSolutions } from './solutions/InstalledSolutions.js';

export type { LocalEnvironment, LocalRecord } from './LocalEnvironment.js';
export type { IdentityProviderSite, LocalEnvironmentOptions } from './resolveLocalEnvironmentOptions.js';

const BFF_AUDIENCE = 'api://navmap-bff' as const;
const TELEMETRY_INSTRUMENTATION_KEY = '5b7f3a2e-9c41-4d8e-a6f0-2e1d3c4b5a69';
const TEST_USER: TestUser = { username: sdapSeed.organization.testUserName, password: 'NavMap-local-1!' };

/** The form host's bundled browser scripts sit in dist/, beside the built module (or next to src/ when run from source). */
function browserScriptsDirectory(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return here.endsWith('src') ? join(here, '..', 'dist') : here;
}

/**
 * Starts the local stand-in for a Power Platform environment: the Dataverse Web API emulator (seeded with the
 * sdap schema), the BFF (upload API, Application Insights ingestion, a mountable NavMap router), an https OpenID
 * Connect provider and the admin endpoint.
 *
 * @example
 * const environment = await startLocalEnvironment({ port: 0 });
 * const token = await environment.getClientCredentialsToken('navmap-server', 'navmap-server-secret', environment.dataverseUrl);
 * await fetch(`${environment.dataverseUrl}/api/data/v9.2/WhoAmI`, { headers: { Authorization: `Bearer ${token}` } });
 * await environment.stop();
 */
export async function startLocalEnvironment(options: LocalEnvironmentOptions = {}): Promise<LocalEnvironment> {
  const { host, port, dataDir, tenantId, uploadSessionTtlSeconds, fidelity, signInPages, totpSecret, bffProtocol, identityProviderSite, controlRedirectPaths } =
    resolveLocalEnvironmentOptions(options);
  const { certPath, keyPath } = await ensureLocalCertificate(dataDir);
  const [certificate, key] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]);
  const uploadDirectory = join(dataDir, 'uploads');
  await mkdir(uploadDirectory, { recursive: true });

  // https like the real service: MSAL's silent sign-in in the form needs the same site as the identity provider.
  const dataverseServer = createHttpsServer({ cert: certificate, key });
  const bffServer = bffProtocol === 'https' ? createHttpsServer({ cert: certificate, key }) : createHttpServer();
  const identityServer = createHttpsServer({ cert: certificate, key });
  const adminServer = createHttpServer();
  const listening: ListeningServer[] = [];
  const closers: (() => void)[] = [];
  const stop = async () => {
    for (const close of closers.splice(0)) close();
    await Promise.all(listening.map((server) => server.close()));
  };
  const listen = async (server: Server, offset: number, bindHost = host) => {
    const started = await startListening(server, port === 0 ? 0 : port + offset, bindHost);
    listening.push(started);
    return started.port;
  };

  try {
    const ports = [await listen(dataverseServer, 0), await listen(bffServer, 1), await listen(identityServer, 2), await listen(adminServer, 3, '127.0.0.1')];
    const name = urlHost(host);
    const dataverseUrl = `https://${name}:${ports[0]}`;
    const bffUrl = `${bffProtocol}://${name}:${ports[1]}`;
    // Entra ID signs in on its own site (login.microsoftonline.com); login.localhost is another site than localhost.
    if (signInPages === 'entra') resolveLocalhostNames();
    // A cross-site provider without Entra's pages: 127.0.0.1 is another site than localhost (sites compare hosts).
    const identityHost = signInPages === 'entra' ? SIGN_IN_HOST : identityProviderSite === 'cross-site' ? '127.0.0.1' : name;
    const authorityHost = `https://${identityHost}:${ports[2]}`;
    const testUser: TestUser = totpSecret === undefined ? TEST_USER : { ...TEST_USER, totpSecret };
    const adminUrl = `http://127.0.0.1:${ports[3]}`;

    const identity = await createIdentityProvider({
      authorityHost,
      tenantId,
      dataverseUrl,
      bffAudience: BFF_AUDIENCE,
      testUser,
      signInPages,
      // The form host's own sign-in (the model-driven app's) and the control's redirect pages, on the org.
      controlRedirectUris: [`${dataverseUrl}${FORM_HOST_SIGN_IN_CALLBACK}`, ...controlRedirectPaths.map((path) => `${dataverseUrl}${path}`)],
    });
    const verifier = createTokenVerifier(identity.jwks, identity.issuer);
    const faults = new FaultInjector();
    const store = new DataverseStore();
    const sessions = new BrowserSessions();
    const solutions = new InstalledSolutions();

    let formHostConfig: FormHostConfig | undefined;
    const formHostRoutes = createFormHostRoutes({
      store,
      sessions,
      dataverseUrl,
      authorizationEndpoint: identity.authorizationEndpoint,
      tokenEndpoint: identity.tokenEndpoint,
      certificate,
      systemUserId: sdapSeed.organization.testUserSystemUserId,
      solutions,
      config: () => formHostConfig,
      scriptsDirectory: browserScriptsDirectory(),
    });
    const ingestion = createIngestionRoutes();
    const upload = createUploadApp({
      faults,
      verifier,
      audience: BFF_AUDIENCE,
      bffUrl,
      directory: uploadDirectory,
      authorityHost,
      tenantId,
      uploadSessionTtlMs: uploadSessionTtlSeconds * 1000,
    });
    closers.push(upload.close);
    const bff = createBffApp({ uploadApi: upload.app, ingestion: ingestion.router });

    dataverseServer.on('request', createDataverseApp({ store, faults, verifier, sessions, solutions, dataverseUrl, authorityHost, tenantId, fidelity, additionalRoutes: formHostRoutes }));
    bffServer.on('request', bff.app);
    adminServer.on('request', createAdminApp({ faults, store, sessions, telemetry: ingestion, fidelity }));
    identityServer.on('request', (request, response) => {
      request.url = identity.rewriteDiscoveryPath(request.url ?? '/');
      identity.app(request, response);
    });

    return {
      dataverseUrl,
      bffUrl,
      issuer: identity.issuer,
      authorityHost,
      tenantId,
      tokenEndpoint: identity.tokenEndpoint,
      authorizationEndpoint: identity.authorizationEndpoint,
      adminUrl,
      admin: createAdminClient(adminUrl),
      caCertificatePath: certPath,
      bffAudience: BFF_AUDIENCE,
      telemetryConnectionString: `InstrumentationKey=${TELEMETRY_INSTRUMENTATION_KEY};IngestionEndpoint=${bffUrl}/`,
      telemetry: { envelopes: ingestion.envelopes, clear: ingestion.clear },
      clients: identity.clients,
      testUser,
      records: sdapSeed.records,
      uploadDirectory,
      mountNavMap: bff.mountNavMap,
      configureFormHost(config) {
        if (typeof config.controlName !== 'string' || config.controlName === '') throw NavMapError.invalidOption('controlName', "the imported control's CustomControl name", config.controlName);
        const controls = config.controlsPerForm ?? 1;
        if (!Number.isInteger(controls) || controls < 1 || controls > 10) throw NavMapError.invalidOption('controlsPerForm', 'a whole number from 1 to 10', controls);
        formHostConfig = Object.freeze({ ...config });
      },
      formUrl(entityName, id) {
        const query = new URLSearchParams({ etn: entityName, ...(id ? { id } : {}), pagetype: 'entityrecord' });
        return `${dataverseUrl}/main.aspx?${query.toString()}`;
      },
      getClientCredentialsToken: (clientId, clientSecret, audience) =>
        requestClientCredentialsToken(identity.tokenEndpoint, certificate, clientId, clientSecret, audience),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
