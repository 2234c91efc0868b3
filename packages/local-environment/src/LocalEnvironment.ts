import type { RequestHandler } from 'express';
import type { AdminClient } from './admin/createAdminClient.js';
import type { FormHostConfig } from './formHost/createFormHostRoutes.js';
import type { RegisteredClient, TestUser } from './identity/createIdentityProvider.js';
import type { TelemetryEnvelope } from './telemetry/createIngestionRoutes.js';

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
  /** Origin of the BFF: the upload API (`/api/obo/...`), Application Insights ingestion and the mounted NavMap router. */
  readonly bffUrl: string;
  /**
   * OIDC issuer, `https://localhost:<port>/<tenantId>/v2.0` (`127.0.0.1` or `login.localhost` when the provider is
   * cross-site); discovery at `${issuer}/.well-known/openid-configuration`.
   */
  readonly issuer: string;
  /** `https://localhost:<port>`, for `@azure/identity` / MSAL `authorityHost` + `tenantId`. */
  readonly authorityHost: string;
  readonly tenantId: string;
  /** Client-credentials (and authorization-code) token endpoint. */
  readonly tokenEndpoint: string;
  readonly authorizationEndpoint: string;
  /** Loopback-only admin endpoint: faults, request counters, reset, schema drift, browser sessions. */
  readonly adminUrl: string;
  /** The admin endpoint as typed calls. */
  readonly admin: AdminClient;
  /** PEM file to trust (`NODE_EXTRA_CA_CERTS`) for the https identity provider. */
  readonly caCertificatePath: string;
  readonly bffAudience: 'api://navmap-bff';
  /**
   * An Application Insights connection string whose ingestion endpoint is the BFF (`POST /v2/track`), for the
   * control's and the server's telemetry; what arrived is in `telemetry` and on the admin endpoint.
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
   * Mounts a NavMap router on the BFF ahead of the upload API, the way a BFF hosts its other endpoints: mount
   * `createNavMapRouter(...)` here and the control reaches both at `bffUrl`. Replaces the one mounted before.
   */
  mountNavMap(router: RequestHandler): void;
  /**
   * Sets what a maker sets in the form designer: the imported control on every `/main.aspx` form (by its
   * `CustomControl` name), its property values and how many instances. Import the control's solution first
   * (`POST /api/data/v9.2/ImportSolution`, as `pac solution import`); a form without it renders without the control.
   */
  configureFormHost(config: FormHostConfig): void;
  /** The model-driven form URL of a record, `${dataverseUrl}/main.aspx?etn=...&id=...&pagetype=entityrecord`. */
  formUrl(entityName: string, id?: string): string;
  /** Closes every server it opened. */
  stop(): Promise<void>;
}
