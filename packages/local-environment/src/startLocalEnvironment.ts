import { readFile, mkdir } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { NavMapError } from '@sdap/navmap-sdk';
import { createAdminApp } from './admin/createAdminApp.js';
import { FaultInjector } from './admin/FaultInjector.js';
import { defaultDataDir, ensureLocalCertificate } from './certificate/ensureLocalCertificate.js';
import { BrowserSessions } from './dataverse/BrowserSessions.js';
import { createDataverseApp } from './dataverse/createDataverseApp.js';
import { DataverseStore } from './dataverse/DataverseStore.js';
import { sdapSeed } from './dataverse/sdapSeed.js';
import { DEFAULT_FIDELITY, fidelityProblem, type EmulatorFidelity } from './dataverse/EmulatorFidelity.js';
import { createIdentityProvider, type RegisteredClient, type TestUser } from './identity/createIdentityProvider.js';
import { createTokenVerifier } from './identity/TokenVerifier.js';
import { createFormHostRoutes, type FormHostConfig } from './formHost/createFormHostRoutes.js';
import { postForm } from './http/postForm.js';
import { createUploadApp } from './upload/createUploadApp.js';
import { createIngestionRoutes, type TelemetryEnvelope } from './telemetry/createIngestionRoutes.js';

export interface LocalEnvironmentOptions {
  /** Not configurable: the emulator's URL is derived from `host` and `port`. */
  readonly dataverseUrl?: never;
  /** Interface the Dataverse emulator, upload API and identity provider listen on. The admin endpoint always listens on 127.0.0.1. @default '127.0.0.1' */
  readonly host?: string;
  /**
   * Port of the Dataverse emulator; the upload API takes `port + 1`, the identity provider `port + 2` and the
   * admin endpoint `port + 3`. `0` picks four free ports. @default 0
   */
  readonly port?: number;
  /** Folder for uploaded files and the https certificate. @default `<os.tmpdir()>/navmap-local-environment` */
  readonly dataDir?: string;
  /** The directory tenant id in the identity provider's paths. @default '8e2f6b1c-6d8a-4f4e-9a51-0c3d2b7e9f10' */
  readonly tenantId?: string;
  /**
   * Fidelity switches of the Dataverse emulator (also `PATCH <adminUrl>/fidelity` at run time): refuse `or` in
   * relationship collection filters, and metadata lag without `Consistency: Strong`.
   * @default { refuseUnverifiedQueries: false, metadataLagMs: 0 }
   */
  readonly fidelity?: Partial<EmulatorFidelity>;
}

/** A seeded parent record as `LocalEnvironment.records` lists it. */
export interface LocalRecord {
  readonly id: string;
  readonly name: string;
  readonly containerId: string;
}

/** A running local environment. Every URL is live until `stop()`. */
export interface LocalEnvironment {
  /** Origin of the Dataverse emulator, e.g. `https://localhost:7071`; the Web API is at `${dataverseUrl}/api/data/v9.2`. */
  readonly dataverseUrl: string;
  /** Origin of the BFF upload API (routes `/api/obo/...`). */
  readonly uploadApiUrl: string;
  /** OIDC issuer, `https://localhost:<port>/<tenantId>/v2.0`; discovery at `${issuer}/.well-known/openid-configuration`. */
  readonly issuer: string;
  /** `https://localhost:<port>`, for `@azure/identity` / MSAL `authorityHost` + `tenantId`. */
  readonly authorityHost: string;
  readonly tenantId: string;
  /** Client-credentials (and authorization-code) token endpoint. */
  readonly tokenEndpoint: string;
  readonly authorizationEndpoint: string;
  /** Loopback-only admin endpoint: faults, request counters, reset, schema drift, browser sessions. */
  readonly adminUrl: string;
  /** PEM file to trust (`NODE_EXTRA_CA_CERTS`) for the https identity provider. */
  readonly caCertificatePath: string;
  readonly bffAudience: 'api://navmap-bff';
  /**
   * An Application Insights connection string whose ingestion endpoint is the local BFF origin (`POST /v2/track`),
   * for the control's and the server's telemetry; what arrived is in `telemetry` and on the admin endpoint.
   */
  readonly telemetryConnectionString: string;
  readonly telemetry: { envelopes(): readonly TelemetryEnvelope[]; clear(): void };
  readonly clients: readonly RegisteredClient[];
  readonly testUser: TestUser;
  /** Seeded records per parent logical name. */
  readonly records: Readonly<Record<string, readonly LocalRecord[]>>;
  /** Folder where the upload API keeps files. */
  readonly uploadDirectory: string;
  /** Gets an access token with a real POST to `tokenEndpoint` (trusting `caCertificatePath` for this call only). */
  getClientCredentialsToken(clientId: string, clientSecret: string, audience: string): Promise<string>;
  /**
   * Routes mounted here are served on `uploadApiUrl` ahead of the upload API, the way a BFF hosts its other
   * endpoints: mount `createNavMapRouter(...)` here and the control reaches both at one base URL.
   */
  readonly bff: express.Router;
  /** Sets the control bundle and manifest properties that `/main.aspx` forms host. */
  configureFormHost(config: FormHostConfig): void;
  /** The model-driven form URL of a record, `${dataverseUrl}/main.aspx?etn=...&id=...&pagetype=entityrecord`. */
  formUrl(entityName: string, id?: string): string;
  /** Closes every server it opened. */
  stop(): Promise<void>;
}

const DEFAULT_TENANT_ID = '8e2f6b1c-6d8a-4f4e-9a51-0c3d2b7e9f10';
const BFF_AUDIENCE = 'api://navmap-bff' as const;
const TELEMETRY_INSTRUMENTATION_KEY = '5b7f3a2e-9c41-4d8e-a6f0-2e1d3c4b5a69';

function invalidOption(option: string, expected: string, received: unknown): NavMapError {
  return new NavMapError('invalid_config', `Option \`${option}\` must be ${expected}; received ${JSON.stringify(received) ?? String(received)}.`);
}

function resolveOptions(options: LocalEnvironmentOptions) {
  if (typeof options !== 'object' || options === null) throw invalidOption('options', 'an object', options);
  if (options.dataverseUrl !== undefined) {
    throw invalidOption('dataverseUrl', 'left out (the emulator URL follows from `host` and `port`)', options.dataverseUrl);
  }
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host.trim() === '') throw invalidOption('host', 'a host name or IP address', host);
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_532) throw invalidOption('port', 'a whole number from 0 to 65532', port);
  if (options.dataDir !== undefined && (typeof options.dataDir !== 'string' || options.dataDir === '')) {
    throw invalidOption('dataDir', 'a folder path', options.dataDir);
  }
  const dataDir = resolve(options.dataDir ?? defaultDataDir());
  const tenantId = options.tenantId ?? DEFAULT_TENANT_ID;
  if (!/^[0-9a-f-]{36}$/.test(tenantId)) throw invalidOption('tenantId', 'a lower-case GUID', tenantId);
  const fidelityError = options.fidelity === undefined ? undefined : fidelityProblem(options.fidelity);
  if (fidelityError !== undefined) throw new NavMapError('invalid_config', `Option \`fidelity\`: ${fidelityError}`);
  const fidelity: EmulatorFidelity = { ...DEFAULT_FIDELITY, ...options.fidelity };
  return { host, port, dataDir, tenantId, fidelity };
}

/** The form host's bundled browser scripts sit in dist/, beside the built module (or next to src/ when run from source). */
function browserScriptsDirectory(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return here.endsWith('src') ? join(here, '..', 'dist') : here;
}

/** Tracks sockets so `stop()` can close keep-alive connections instead of waiting for them. */
function trackSockets(server: Server): () => void {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return () => {
    for (const socket of sockets) socket.destroy();
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolveListen((server.address() as AddressInfo).port);
    });
  });
}

function urlHost(host: string): string {
  // Advertise `localhost` for loopback binds: the certificate and MSAL's knownAuthorities use that name.
  if (host === '127.0.0.1' || host === '::1' || host === 'localhost' || host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Starts the local stand-in for a Power Platform environment: the Dataverse Web API emulator (seeded with the
 * sdap schema), the BFF upload API, an https OpenID Connect provider and the admin endpoint.
 *
 * @example
 * const environment = await startLocalEnvironment({ port: 0 });
 * const token = await environment.getClientCredentialsToken('navmap-server', 'navmap-server-secret', environment.dataverseUrl);
 * await fetch(`${environment.dataverseUrl}/api/data/v9.2/WhoAmI`, { headers: { Authorization: `Bearer ${token}` } });
 * await environment.stop();
 */
export async function startLocalEnvironment(options: LocalEnvironmentOptions = {}): Promise<LocalEnvironment> {
  const { host, port, dataDir, tenantId, fidelity } = resolveOptions(options);
  const { certPath, keyPath } = await ensureLocalCertificate(dataDir);
  const [certificate, key] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]);
  const uploadDirectory = join(dataDir, 'uploads');
  await mkdir(uploadDirectory, { recursive: true });

  // https like the real service: MSAL's silent sign-in in the form needs the same site as the identity provider.
  const dataverseServer = createHttpsServer({ cert: certificate, key });
  const uploadServer = createHttpServer();
  const identityServer = createHttpsServer({ cert: certificate, key });
  const adminServer = createHttpServer();
  const servers: Server[] = [dataverseServer, uploadServer, identityServer, adminServer];
  const closers = servers.map(trackSockets);

  const stop = async () => {
    await Promise.all(
      servers.map(
        (server, index) =>
          new Promise<void>((resolveClose) => {
            if (!server.listening) return resolveClose();
            server.close(() => resolveClose());
            closers[index]?.();
          }),
      ),
    );
  };

  try {
    const ports = [
      await listen(dataverseServer, port, host),
      await listen(uploadServer, port === 0 ? 0 : port + 1, host),
      await listen(identityServer, port === 0 ? 0 : port + 2, host),
      await listen(adminServer, port === 0 ? 0 : port + 3, '127.0.0.1'),
    ] as const;
    const name = urlHost(host);
    const dataverseUrl = `https://${name}:${ports[0]}`;
    const uploadApiUrl = `http://${name}:${ports[1]}`;
    const authorityHost = `https://${name}:${ports[2]}`;
    const adminUrl = `http://127.0.0.1:${ports[3]}`;
    const testUser: TestUser = { username: 'test.user@navmap.local', password: 'NavMap-local-1!' };

    const identity = await createIdentityProvider({ authorityHost, tenantId, dataverseUrl, bffAudience: BFF_AUDIENCE, testUser });
    const verifier = createTokenVerifier(identity.jwks, identity.issuer);
    const faults = new FaultInjector();
    const store = new DataverseStore();
    const sessions = new BrowserSessions();

    let formHostConfig: FormHostConfig | undefined;
    const formHostRoutes = createFormHostRoutes({
      store,
      sessions,
      dataverseUrl,
      authorizationEndpoint: identity.authorizationEndpoint,
      tokenEndpoint: identity.tokenEndpoint,
      certificate,
      systemUserId: sdapSeed.organization.testUserSystemUserId,
      config: () => formHostConfig,
      scriptsDirectory: browserScriptsDirectory(),
    });
    const bff = express.Router();
    const ingestion = createIngestionRoutes();
    bff.use(ingestion.router);
    const dataverseApp = createDataverseApp({ store, faults, verifier, sessions, dataverseUrl, authorityHost, tenantId, fidelity, additionalRoutes: formHostRoutes });
    const uploadApp = createUploadApp({ faults, verifier, audience: BFF_AUDIENCE, uploadApiUrl, directory: uploadDirectory, authorityHost, tenantId, bffRoutes: bff });
    const adminApp = createAdminApp({ faults, store, sessions, telemetry: ingestion, fidelity });

    dataverseServer.on('request', dataverseApp);
    uploadServer.on('request', uploadApp);
    adminServer.on('request', adminApp);
    identityServer.on('request', (request, response) => {
      request.url = identity.rewriteDiscoveryPath(request.url ?? '/');
      identity.app(request, response);
    });

    return {
      dataverseUrl,
      uploadApiUrl,
      issuer: identity.issuer,
      authorityHost,
      tenantId,
      tokenEndpoint: identity.tokenEndpoint,
      authorizationEndpoint: identity.authorizationEndpoint,
      adminUrl,
      caCertificatePath: certPath,
      bffAudience: BFF_AUDIENCE,
      telemetryConnectionString: `InstrumentationKey=${TELEMETRY_INSTRUMENTATION_KEY};IngestionEndpoint=${uploadApiUrl}/`,
      telemetry: { envelopes: ingestion.envelopes, clear: ingestion.clear },
      clients: identity.clients,
      testUser,
      records: sdapSeed.records,
      uploadDirectory,
      bff,
      configureFormHost(config) {
        const controls = config.controlsPerForm ?? 1;
        if (!Number.isInteger(controls) || controls < 1 || controls > 10) throw invalidOption('controlsPerForm', 'a whole number from 1 to 10', controls);
        formHostConfig = Object.freeze({ ...config });
      },
      formUrl(entityName, id) {
        const query = new URLSearchParams({ etn: entityName, ...(id ? { id } : {}), pagetype: 'entityrecord' });
        return `${dataverseUrl}/main.aspx?${query.toString()}`;
      },
      async getClientCredentialsToken(clientId, clientSecret, audience) {
        const form = new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: clientSecret,
          scope: `${audience.replace(/\/+$/, '')}/.default`,
        });
        const response = await postForm(identity.tokenEndpoint, form, certificate);
        let body: { access_token?: unknown; error?: unknown; error_description?: unknown };
        try {
          body = JSON.parse(response.body) as typeof body;
        } catch {
          throw new Error(`The token endpoint answered ${response.status} with a body that is not JSON.`);
        }
        if (response.status !== 200 || typeof body.access_token !== 'string') {
          throw new Error(`The token endpoint refused client '${clientId}' for '${audience}': ${String(body.error)} ${String(body.error_description ?? '')}`.trim());
        }
        return body.access_token;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
