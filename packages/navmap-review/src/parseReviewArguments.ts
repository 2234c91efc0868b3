import { parseArgs } from 'node:util';
import { DEFAULT_TIMEOUT_SECONDS } from './runReview.js';
import { defaultTargets, targetRules, type ReviewTargets, type TargetName } from './targets.js';

/** Bad command-line input: the message names the option and what to pass instead. */
export class ReviewArgumentError extends Error {
  override readonly name = 'ReviewArgumentError';
}

export interface ReviewArguments {
  readonly help: boolean;
  readonly version: boolean;
  readonly json: boolean;
  readonly resourceId: string;
  readonly from: Date;
  readonly to: Date;
  readonly targets: ReviewTargets;
  /** Seconds the service may run one query. */
  readonly timeoutSeconds: number;
}

const COMPONENT_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/microsoft\.insights\/components\/[^/]+$/i;
const WORKSPACE_ID = /\/providers\/microsoft\.operationalinsights\/workspaces\//i;

function parseSince(value: string): number {
  const match = /^(\d+)(h|d)$/.exec(value.trim());
  const amount = match === null ? Number.NaN : Number(match[1]);
  if (match === null || amount <= 0) throw new ReviewArgumentError(`--since "${value}" is not a window: pass hours or days, e.g. --since 4h, 24h or 48h.`);
  return amount * (match[2] === 'd' ? 24 : 1) * 3_600_000;
}

function parseDate(option: string, value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new ReviewArgumentError(`--${option} "${value}" is not a date: pass ISO 8601, e.g. 2026-12-01T08:00:00Z.`);
  }
  return date;
}

function parseTarget(name: TargetName, value: string | undefined): number {
  if (value === undefined) return defaultTargets[name];
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0) {
    throw new ReviewArgumentError(`--${targetRules[name].option} "${value}" is not a number: pass a non-negative number, e.g. ${defaultTargets[name]}.`);
  }
  return number;
}

/** Reads navmap-review's arguments; throws ReviewArgumentError naming the bad one. `now` ends a `--since` window. */
export function parseReviewArguments(argv: readonly string[], now: Date): ReviewArguments {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: false,
      options: {
        resource: { type: 'string' },
        since: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        json: { type: 'boolean' },
        timeout: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
        ...Object.fromEntries(Object.values(targetRules).map((rule) => [rule.option, { type: 'string' as const }])),
      },
    });
  } catch (error) {
    throw new ReviewArgumentError((error as Error).message);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const text = (name: string) => values[name] as string | undefined;
  const help = values.help === true;
  const version = values.version === true;
  const json = values.json === true;
  const targets = Object.fromEntries(
    (Object.keys(targetRules) as TargetName[]).map((name) => [name, parseTarget(name, text(targetRules[name].option))]),
  ) as unknown as ReviewTargets;
  const timeoutText = text('timeout');
  const timeoutSeconds = timeoutText === undefined ? DEFAULT_TIMEOUT_SECONDS : Number(timeoutText);
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 600) {
    throw new ReviewArgumentError(`--timeout "${timeoutText}" is not a number of seconds from 1 to 600 (the query API's limit): pass e.g. --timeout ${DEFAULT_TIMEOUT_SECONDS}.`);
  }
  if (help || version) return { help, version, json, resourceId: '', from: now, to: now, targets, timeoutSeconds };

  const resourceId = text('resource');
  if (resourceId === undefined || resourceId.trim() === '') {
    throw new ReviewArgumentError('--resource is required: the Application Insights resource id, /subscriptions/<id>/resourceGroups/<group>/providers/microsoft.insights/components/<name> (az monitor app-insights component show --query id).');
  }
  if (WORKSPACE_ID.test(resourceId)) {
    throw new ReviewArgumentError(
      '--resource is a Log Analytics workspace; pass the Application Insights resource that sends to it instead. The queries read the Application Insights tables (customEvents, requests), which a workspace names AppEvents and AppRequests; a query on the Application Insights resource reads the same workspace data under those names.',
    );
  }
  if (!COMPONENT_ID.test(resourceId.trim())) {
    throw new ReviewArgumentError(`--resource "${resourceId}" is not an Application Insights resource id: expected /subscriptions/<id>/resourceGroups/<group>/providers/microsoft.insights/components/<name>.`);
  }

  const since = text('since');
  const fromText = text('from');
  const toText = text('to');
  if (since !== undefined && (fromText !== undefined || toText !== undefined)) {
    throw new ReviewArgumentError('--since and --from/--to both set: pass one window, --since 48h or --from <date> [--to <date>].');
  }
  if (toText !== undefined && fromText === undefined) throw new ReviewArgumentError('--to needs --from: pass --from <date> --to <date>.');
  const to = toText === undefined ? now : parseDate('to', toText);
  const from = fromText === undefined ? new Date(to.getTime() - parseSince(since ?? '48h')) : parseDate('from', fromText);
  if (from.getTime() >= to.getTime()) throw new ReviewArgumentError(`--from ${from.toISOString()} is not before --to ${to.toISOString()}.`);
  if (to.getTime() > now.getTime() + 60_000) throw new ReviewArgumentError(`--to ${to.toISOString()} is in the future.`);
  return { help, version, json, resourceId: resourceId.trim(), from, to, targets, timeoutSeconds };
}
