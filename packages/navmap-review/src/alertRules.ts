/**
 * The log search alert rules of the deployment plan's monitoring (and one the plan lacks), the one source for
 * docs/operations/monitoring.md (checked by the docs test) and the ARM template docs/operations/navmap-monitoring.json
 * (generated from these by `npm run generate -w @sdap/docs`).
 */
export interface AlertRule {
  /** Resource name suffix in the template: `navmap-<id>`. */
  readonly id: string;
  readonly displayName: string;
  readonly description: string;
  /** Azure Monitor severity: 0 critical ... 4 verbose. */
  readonly severity: 0 | 1 | 2 | 3 | 4;
  /** Returns one row; the rule measures `measure` on it. */
  readonly query: string;
  readonly measure: string;
  readonly aggregation: 'Total' | 'Maximum';
  /** The rule fires when the measure is greater than this. */
  readonly threshold: number;
  /** ISO 8601 durations, as the scheduledQueryRules API takes them. */
  readonly windowSize: string;
  readonly evaluationFrequency: string;
}

export const alertRules: readonly AlertRule[] = [
  {
    id: 'endpoint-failures',
    displayName: 'NavMap endpoint failures',
    description: 'More than 5 server errors (5xx) of GET /api/pcf/dataverse-navmap in 5 minutes. Alert 1 of docs/operations/monitoring.md: email DevOps, create an incident.',
    severity: 1,
    query: `requests
| where name == "GET /api/pcf/dataverse-navmap"
| where toint(resultCode) >= 500
| summarize failures = count()
`,
    measure: 'failures',
    aggregation: 'Total',
    threshold: 5,
    windowSize: 'PT5M',
    evaluationFrequency: 'PT5M',
  },
  {
    id: 'document-create-failures',
    displayName: 'NavMap document creation failures',
    description: 'More than 10 DocumentCreateFailed events in 15 minutes. Alert 2 of docs/operations/monitoring.md: email the support team.',
    severity: 2,
    query: `customEvents
| where name == "DocumentCreateFailed"
| summarize failures = count()
`,
    measure: 'failures',
    aggregation: 'Total',
    threshold: 10,
    windowSize: 'PT15M',
    evaluationFrequency: 'PT5M',
  },
  {
    id: 'server-load-share',
    displayName: 'NavMap server loads above 20 % of loads',
    description: 'More than 20 % of NavMap resolutions in an hour (at least 20) went to the server: the browser cache is not working. Alert 3 of docs/operations/monitoring.md: email DevOps for investigation.',
    severity: 3,
    query: `customEvents
| where name == "NavMapLoaded"
| summarize loads = count(), serverLoads = countif(tostring(customDimensions.layer) == "server")
| where loads >= 20
| extend serverLoadPercent = 100.0 * serverLoads / loads
`,
    measure: 'serverLoadPercent',
    aggregation: 'Maximum',
    threshold: 20,
    windowSize: 'PT1H',
    evaluationFrequency: 'PT15M',
  },
  {
    id: 'refresh-failures',
    displayName: 'NavMap server cannot refresh its map',
    description: 'More than 2 NavMapRefreshFailed events in 15 minutes: Dataverse cannot be read and the last good map is ageing. Alert 4 of docs/operations/monitoring.md (recommended): email DevOps.',
    severity: 2,
    query: `customEvents
| where name == "NavMapRefreshFailed"
| summarize failures = count(), maxStaleMinutes = max(todouble(customMeasurements.staleAgeMs)) / 60000.0
`,
    measure: 'failures',
    aggregation: 'Total',
    threshold: 2,
    windowSize: 'PT15M',
    evaluationFrequency: 'PT5M',
  },
];
