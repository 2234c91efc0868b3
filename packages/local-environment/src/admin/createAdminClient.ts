import type { ActiveFault, FaultSpec, RequestCounts } from './FaultInjector.js';
import type { TelemetryEnvelope } from '../telemetry/createIngestionRoutes.js';

/** A navigation-property change as `PATCH /schema/relationships/{SchemaName}` takes it. */
export interface RelationshipChange {
  readonly ReferencingEntityNavigationPropertyName?: string;
  readonly ReferencedEntityNavigationPropertyName?: string;
}

/** A signed-in Dataverse browser session, as a cookie to set on a page. */
export interface BrowserSession {
  readonly name: string;
  readonly value: string;
  readonly systemUserId: string;
  readonly setCookie: string;
}

/** The local environment's admin endpoint as typed calls; each rejects with the endpoint's problem when refused. */
export interface AdminClient {
  /** Faults the next matching requests (`count`), or all of them until `clearFaults()`. */
  addFault(spec: FaultSpec): Promise<ActiveFault>;
  listFaults(): Promise<ActiveFault[]>;
  clearFaults(): Promise<void>;
  /** What reached the Dataverse emulator and the upload API since the last reset. */
  requestCounts(): Promise<RequestCounts>;
  /** Clears faults and counters; `schema` restores the seeded schema, `records` the seeded records. */
  reset(options?: { readonly schema?: boolean; readonly records?: boolean }): Promise<void>;
  /** Renames a relationship's navigation properties (schema drift); answers the relationship's new metadata. */
  changeRelationship(schemaName: string, change: RelationshipChange): Promise<Record<string, unknown>>;
  /** A Dataverse session for the test user, as a model-driven app's cookie. */
  createSession(): Promise<BrowserSession>;
  /** Telemetry the local Application Insights ingestion accepted, oldest first. */
  telemetry(): Promise<TelemetryEnvelope[]>;
  clearTelemetry(): Promise<void>;
}

/**
 * A typed client for the admin endpoint at `adminUrl` (loopback only).
 *
 * @example
 * const admin = createAdminClient(environment.adminUrl);
 * await admin.addFault({ target: 'metadata', kind: 'outage' });
 * await admin.clearFaults();
 */
export function createAdminClient(adminUrl: string): AdminClient {
  const call = async <Result>(method: string, path: string, body?: unknown): Promise<Result> => {
    const response = await fetch(`${adminUrl}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`Admin ${method} ${path} answered ${response.status}: ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as Result;
  };
  return {
    addFault: (spec) => call('POST', '/faults', spec),
    listFaults: async () => (await call<{ faults: ActiveFault[] }>('GET', '/faults')).faults,
    clearFaults: () => call('DELETE', '/faults'),
    requestCounts: () => call('GET', '/requests'),
    reset: (options = {}) => call('POST', '/reset', options),
    changeRelationship: (schemaName, change) => call('PATCH', `/schema/relationships/${encodeURIComponent(schemaName)}`, change),
    createSession: () => call('POST', '/sessions'),
    telemetry: async () => (await call<{ envelopes: TelemetryEnvelope[] }>('GET', '/telemetry')).envelopes,
    clearTelemetry: () => call('DELETE', '/telemetry'),
  };
}
