/**
 * The Application Insights tables NavMap's queries may read, with their columns and Kusto types, as the Logs blade of
 * an Application Insights resource shows them (the classic names a resource-centric query uses). The language service
 * checks every query against these, so an unknown table or column fails the docs tests.
 */
export type KustoScalarType = 'string' | 'datetime' | 'dynamic' | 'real' | 'int' | 'long' | 'bool';

type Columns = Readonly<Record<string, KustoScalarType>>;

// Columns every Application Insights table has: context of the operation, session, user, client, cloud role, SDK.
const common: Columns = {
  timestamp: 'datetime',
  itemType: 'string',
  customDimensions: 'dynamic',
  customMeasurements: 'dynamic',
  operation_Name: 'string',
  operation_Id: 'string',
  operation_ParentId: 'string',
  operation_SyntheticSource: 'string',
  session_Id: 'string',
  user_Id: 'string',
  user_AuthenticatedId: 'string',
  user_AccountId: 'string',
  application_Version: 'string',
  client_Type: 'string',
  client_Model: 'string',
  client_OS: 'string',
  client_IP: 'string',
  client_City: 'string',
  client_StateOrProvince: 'string',
  client_CountryOrRegion: 'string',
  client_Browser: 'string',
  cloud_RoleName: 'string',
  cloud_RoleInstance: 'string',
  appId: 'string',
  appName: 'string',
  iKey: 'string',
  sdkVersion: 'string',
  itemId: 'string',
  itemCount: 'int',
};

export const applicationInsightsSchema = {
  customEvents: { ...common, name: 'string' },
  requests: {
    ...common,
    id: 'string',
    source: 'string',
    name: 'string',
    url: 'string',
    success: 'bool',
    resultCode: 'string',
    duration: 'real',
    performanceBucket: 'string',
  },
  dependencies: {
    ...common,
    id: 'string',
    target: 'string',
    type: 'string',
    name: 'string',
    data: 'string',
    success: 'bool',
    resultCode: 'string',
    duration: 'real',
    performanceBucket: 'string',
  },
  exceptions: {
    ...common,
    problemId: 'string',
    handledAt: 'string',
    type: 'string',
    message: 'string',
    assembly: 'string',
    method: 'string',
    outerType: 'string',
    outerMessage: 'string',
    outerAssembly: 'string',
    outerMethod: 'string',
    innermostType: 'string',
    innermostMessage: 'string',
    innermostAssembly: 'string',
    innermostMethod: 'string',
    severityLevel: 'int',
    details: 'dynamic',
  },
  traces: { ...common, message: 'string', severityLevel: 'int' },
} as const satisfies Readonly<Record<string, Columns>>;

/** The tables a NavMap query may read. */
export type ApplicationInsightsTable = keyof typeof applicationInsightsSchema;
