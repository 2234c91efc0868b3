/**
 * The queries the 48-hour review runs, the one source for navmap-review and docs/operations/monitoring.md (the docs
 * test fails when a block there differs from these texts, and parses each with Kusto's own language service).
 *
 * They carry no time filter: navmap-review passes its window (`--since`, `--from/--to`) as the query API's timespan,
 * and in the Logs blade the time range picker sets it.
 */
export const reviewQueries = {
  /** One row: NavMap resolutions by layer. The plan's cache hit rate is `cacheHitRatePercent`. */
  cacheHitRate: `customEvents
| where name == "NavMapLoaded"
| extend layer = tostring(customDimensions.layer)
| summarize loads = count(), cache = countif(layer == "cache"), server = countif(layer == "server"), fallback = countif(layer == "fallback")
| extend cacheHitRatePercent = round(100.0 * cache / loads, 1), serverPercent = round(100.0 * server / loads, 1), fallbackPercent = round(100.0 * fallback / loads, 1)
`,
  /** One row per parent table: documents created and failed. Totals give the success rate, uploads and tables used. */
  documentsByTable: `customEvents
| where name in ("DocumentCreated", "DocumentCreateFailed")
| extend parentEntity = tostring(customDimensions.parentEntity)
| summarize succeeded = countif(name == "DocumentCreated"), failed = countif(name == "DocumentCreateFailed") by parentEntity
| extend successRatePercent = round(100.0 * succeeded / (succeeded + failed), 2)
| order by succeeded desc
`,
  /** One row: the endpoint's answers and their timings. */
  endpointPerformance: `requests
| where name == "GET /api/pcf/dataverse-navmap"
| summarize requests = count(), avgMs = round(avg(duration), 1), p95Ms = round(percentile(duration, 95), 1)
`,
  /**
   * One row: calls to the endpoint and how many failed, counting the server's 5xx answers and the calls browsers
   * reported as never answered (network error, timeout), which an outage leaves no server telemetry for.
   */
  endpointUptime: `union
  (requests | where name == "GET /api/pcf/dataverse-navmap" | project failed = toint(resultCode) >= 500),
  (customEvents | where name == "NavMapLayerFailed" and tostring(customDimensions.layer) == "server" and tostring(customDimensions.reason) in ("network_error", "timeout") | project failed = true)
| summarize calls = count(), failures = countif(failed)
| extend uptimePercent = round(100.0 * (calls - failures) / calls, 2)
`,
  /** One row per origin and code: every error NavMap reports. */
  errorsByCode: `union
  (customEvents | where name == "DocumentCreateFailed" | project origin = "document create", code = tostring(customDimensions.errorCode)),
  (customEvents | where name == "NavMapLayerFailed" | project origin = strcat("client layer ", tostring(customDimensions.layer)), code = tostring(customDimensions.reason)),
  (customEvents | where name == "NavMapRefreshFailed" | project origin = "server refresh", code = tostring(customDimensions.errorCode)),
  (requests | where name == "GET /api/pcf/dataverse-navmap" and toint(resultCode) >= 400 | project origin = "endpoint", code = resultCode)
| summarize errors = count() by origin, code
| order by errors desc
`,
} as const;

export type ReviewQueryName = keyof typeof reviewQueries;
