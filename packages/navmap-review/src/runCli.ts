import type { TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential } from '@azure/identity';
import { exitCodes } from './decideReview.js';
import { parseReviewArguments, ReviewArgumentError } from './parseReviewArguments.js';
import { renderJson, renderMarkdown } from './renderReview.js';
import { checkSignIn } from './checkSignIn.js';
import { DEFAULT_TIMEOUT_SECONDS, logsQueryScope, runReview } from './runReview.js';
import { StaticTokenCredential } from './staticTokenCredential.js';
import { defaultTargets } from './targets.js';

/** Exit code for bad arguments or environment, or no sign-in: nothing was queried. */
export const USAGE_EXIT_CODE = 4;

export const CLI_USAGE = `navmap-review: the deployment plan's post-deployment review of NavMap (its 24- and 48-hour checks), from Application Insights.

Usage:
  navmap-review --resource <application-insights-resource-id> [--since 48h | --from <date> [--to <date>]] [targets] [--json]

Runs the review queries of docs/operations/monitoring.md against the Application Insights resource through Azure's
Log Analytics query API, and prints the plan's 48-hour review filled in (Markdown, or JSON with --json): cache hit
rate, average and P95 response time, document creation success rate, endpoint uptime and error count, each against
its target; total uploads and tables used; errors by code; and the decision the plan's rules give.

Options:
  --resource <id>          Application Insights resource id (required):
                           /subscriptions/<id>/resourceGroups/<group>/providers/microsoft.insights/components/<name>
                           (az monitor app-insights component show -g <group> -a <name> --query id -o tsv).
                           A workspace-based resource is queried through this id too; a Log Analytics workspace id
                           is refused, because the queries read the Application Insights table names.
  --since <n>h|<n>d        Window ending now: 4h for the checks every 4 hours, 24h, 48h (default 48h).
  --from <date>            Window start, ISO 8601 (2026-12-01T08:00:00Z). With --to (default: now) instead of --since.
  --to <date>              Window end, ISO 8601.
  --json                   Print the review as JSON instead of Markdown.
  --timeout <seconds>      How long the service may run each query, 1-600 (default ${DEFAULT_TIMEOUT_SECONDS}), sent as Prefer: wait.
                           A query past it (HTTP 504) is not retried; the review gives up on a query, retries
                           included, after twice that (at most 30 s more) and reports it: exit 3.
  -h, --help               Print this help.
  --version                Print the version.

Targets (defaults: the plan's):
  --target-hit-rate <n>    Cache hit rate must be above n % (default ${defaultTargets.cacheHitRatePercent}).
  --target-success <n>     Document creation success rate must be above n % (default ${defaultTargets.successRatePercent}).
  --target-average-ms <n>  Endpoint average must be below n ms (default ${defaultTargets.averageMs}).
  --target-p95-ms <n>      Endpoint P95 must be below n ms (default ${defaultTargets.p95Ms}).
  --target-uptime <n>      Endpoint uptime must be at least n % (default ${defaultTargets.uptimePercent}).
  --target-errors <n>      Error count must be at most n (default ${defaultTargets.errorCount}).

Figures:
  cache hit rate     share of NavMapLoaded events with layer "cache"
  average, P95       duration of GET /api/pcf/dataverse-navmap requests
  success rate       DocumentCreated / (DocumentCreated + DocumentCreateFailed)
  uptime             calls to the endpoint answered without 5xx, counting the calls browsers reported as never
                     answered (NavMapLayerFailed, layer "server", reason network_error or timeout)
  error count        DocumentCreateFailed + NavMapLayerFailed + NavMapRefreshFailed + endpoint answers >= 400
  unique users       not in NavMap's telemetry: count them in Dataverse (the review says how)

Decision (most severe first) and exit code:
  3  could not review: a query was refused (token expired or invalid, no access, throttled, a 400 with its cause),
     ran past --timeout, returned partial results or an unexpected shape, or the data is missing (204 No Content,
     no rows, or a figure with no events: the identity may lack table access). Says which and why, one line per
     cause. An unmeasured figure is never a pass.
  2  rollback, with the symptom and the runbook section (docs/operations/deployment-runbook.md):
       scenario 3  document success below target with failures on two or more parent tables
       scenario 2  endpoint uptime below target (5xx answers or unanswered calls)
       scenario 1  browsers used the control's bundled map while the endpoint answered every call
  1  action items: one per missed target (hit rate, average, P95, success on one table, errors)
  0  continue: every target met
  4  nothing was queried: bad arguments or environment, or no Azure sign-in (says how to sign in)

Sign-in:
  DefaultAzureCredential from @azure/identity: environment variables (AZURE_TENANT_ID, AZURE_CLIENT_ID,
  AZURE_CLIENT_SECRET or a certificate), workload or managed identity, Azure CLI (az login), Azure Developer CLI,
  Azure PowerShell. The identity needs Reader (or Log Analytics Reader) on the resource. Without any of these
  the review says how to sign in and exits 4 before querying.

Environment:
  NAVMAP_REVIEW_ACCESS_TOKEN   Use this bearer token instead of DefaultAzureCredential
                               (az account get-access-token --resource https://api.loganalytics.io --query accessToken -o tsv).
  NAVMAP_REVIEW_LOGS_ENDPOINT  The Log Analytics query API with its version (default https://api.loganalytics.io/v1;
                               sovereign clouds: https://api.loganalytics.azure.cn/v1, https://api.loganalytics.us/v1).
                               Must be https. Tokens are requested for its origin.
`;

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

function credentialFrom(env: NodeJS.ProcessEnv): TokenCredential {
  const token = env.NAVMAP_REVIEW_ACCESS_TOKEN;
  if (token !== undefined && token.trim() !== '') return new StaticTokenCredential(token);
  return new DefaultAzureCredential();
}

function endpointFrom(env: NodeJS.ProcessEnv): string | undefined {
  const value = env.NAVMAP_REVIEW_LOGS_ENDPOINT;
  if (value === undefined || value.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new ReviewArgumentError(`NAVMAP_REVIEW_LOGS_ENDPOINT "${value}" is not a URL: unset it for Azure's public cloud, or pass e.g. https://api.loganalytics.azure.cn/v1.`);
  }
  if (url.protocol !== 'https:') throw new ReviewArgumentError(`NAVMAP_REVIEW_LOGS_ENDPOINT "${value}" is not https: the client sends a bearer token, which needs TLS.`);
  return url.href.replace(/\/+$/, '');
}

function errorJson(code: string, message: string): string {
  return `${JSON.stringify({ error: { code, message } }, null, 2)}\n`;
}

/** Runs navmap-review and resolves with its exit code. */
export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv, io: CliIo, version: string): Promise<number> {
  let args;
  let endpoint;
  try {
    args = parseReviewArguments(argv, new Date());
    endpoint = endpointFrom(env);
  } catch (error) {
    if (!(error instanceof ReviewArgumentError)) throw error;
    if (argv.includes('--json')) io.stdout(errorJson('invalid_arguments', error.message));
    io.stderr(`${error.message}\n\nRun navmap-review --help for the options.\n`);
    return USAGE_EXIT_CODE;
  }
  if (args.help) {
    io.stdout(CLI_USAGE);
    return 0;
  }
  if (args.version) {
    io.stdout(`${version}\n`);
    return 0;
  }
  const credential = credentialFrom(env);
  const signInFailure = await checkSignIn(credential, logsQueryScope(endpoint));
  if (signInFailure !== undefined) {
    if (args.json) io.stdout(errorJson(signInFailure.code, signInFailure.message));
    io.stderr(`navmap-review: ${signInFailure.message} Nothing was queried.\n`);
    return USAGE_EXIT_CODE;
  }
  const report = await runReview({
    resourceId: args.resourceId,
    from: args.from,
    to: args.to,
    targets: args.targets,
    timeoutSeconds: args.timeoutSeconds,
    credential,
    ...(endpoint === undefined ? {} : { endpoint }),
  });
  io.stdout(args.json ? renderJson(report) : renderMarkdown(report));
  const { decision } = report;
  if (decision.kind === 'cannot-review') io.stderr(`navmap-review: could not review: ${decision.reasons.join('; ')}\n`);
  return exitCodes[decision.kind];
}
