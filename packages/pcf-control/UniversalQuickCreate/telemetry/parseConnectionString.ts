/** What the sender needs from an Application Insights connection string. */
export interface AppInsightsEndpoint {
  readonly instrumentationKey: string;
  /** `<IngestionEndpoint>/v2/track`. */
  readonly trackUrl: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Where a connection string without IngestionEndpoint or EndpointSuffix sends (Microsoft's documented default).
const DEFAULT_INGESTION_ENDPOINT = 'https://dc.services.visualstudio.com';

/**
 * Reads `InstrumentationKey=<guid>;IngestionEndpoint=https://...` (keys case-insensitive, as Microsoft's SDKs read
 * them; `EndpointSuffix` gives `https://dc.<suffix>` when there is no IngestionEndpoint).
 * @throws {Error} naming what is missing or malformed
 */
export function parseConnectionString(connectionString: string): AppInsightsEndpoint {
  const fields = new Map<string, string>();
  for (const part of connectionString.split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0) fields.set(part.slice(0, separator).trim().toLowerCase(), part.slice(separator + 1).trim());
  }
  const instrumentationKey = fields.get('instrumentationkey') ?? '';
  if (!GUID.test(instrumentationKey)) throw new Error('The Application Insights connection string has no InstrumentationKey=<guid>.');
  const suffix = fields.get('endpointsuffix');
  const endpoint = fields.get('ingestionendpoint') || (suffix ? `https://dc.${suffix.replace(/^\.+/, '')}` : DEFAULT_INGESTION_ENDPOINT);
  let base: URL;
  try {
    base = new URL(endpoint);
  } catch {
    throw new Error(`The Application Insights connection string's IngestionEndpoint "${endpoint}" is not a URL.`);
  }
  return { instrumentationKey, trackUrl: `${base.href.replace(/\/+$/, '')}/v2/track` };
}
