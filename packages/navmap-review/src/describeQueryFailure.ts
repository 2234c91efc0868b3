import { LogsAnswerError } from './LogsAnswerError.js';
import { oneLine } from './oneLine.js';

/** Why one query gave no table, in one line, and whether the other queries would fail the same way. */
export interface QueryFailure {
  readonly reason: string;
  /** The cause is the sign-in, the resource or the service, not this query: the review stops querying. */
  readonly stopsReview: boolean;
}

interface OneApiError {
  readonly code?: string | undefined;
  readonly message?: string | undefined;
  readonly innererror?: OneApiError | undefined;
}

interface ServiceError {
  readonly name?: string;
  readonly statusCode?: number;
  readonly code?: string;
  readonly message?: string;
  readonly details?: { readonly error?: OneApiError };
}

const SIGN_IN_AGAIN = 'sign in again (az login) or set a new NAVMAP_REVIEW_ACCESS_TOKEN (az account get-access-token --resource https://api.loganalytics.io)';
const READER_ROLE =
  'the signed-in identity needs the Reader role (or Log Analytics Reader) on the Application Insights resource and its workspace; a new role assignment can take up to 60 minutes to apply';

/** `BadArgumentError: The request had some invalid properties; SemanticError: ...; SEM0100: 'where' operator: ...` */
function errorChain(error: OneApiError | undefined): string {
  const links: string[] = [];
  for (let link = error; link !== undefined && links.length < 5; link = link.innererror) {
    links.push([link.code, link.message?.replace(/\.$/, '')].filter(Boolean).join(': '));
  }
  return links.filter(Boolean).join('; ');
}

function describeAnswer(error: LogsAnswerError, name: string, timeoutSeconds: number): QueryFailure {
  switch (error.kind) {
    case 'no-data':
      return {
        reason: 'no data: the service answered 204 No Content, so the workspace behind the resource holds no data at all (no telemetry reached it, or this is not the resource the server and the control send to)',
        stopsReview: true,
      };
    case 'ran-past-wait':
      return {
        reason: `query ${name} ran past the service's wait of ${timeoutSeconds} s (HTTP 504): pass a longer --timeout (up to 600) or a shorter window`,
        stopsReview: false,
      };
    case 'throttled':
      return {
        reason: `the service is throttling this identity (HTTP 429) and asks to wait ${error.retryAfterSeconds} s, past the query's deadline: run the review again after that`,
        stopsReview: true,
      };
    case 'no-error-object':
      return { reason: `query ${name}: the service answered HTTP ${error.status} without an error object (a proxy or gateway in between?)`, stopsReview: false };
  }
}

function describeServiceError(error: ServiceError, name: string): QueryFailure {
  const status = error.statusCode;
  const inner = error.details?.error;
  const code = inner?.code ?? error.code;
  const chain = errorChain(inner ?? { code, message: error.message });
  const what = chain === '' ? `HTTP ${status}` : `HTTP ${status} ${chain}`;
  if (status === 401 || (status === 403 && code === 'InvalidAuthenticationToken')) {
    return { reason: `token expired or invalid (${what}): ${SIGN_IN_AGAIN}`, stopsReview: true };
  }
  if (status === 403 && code === 'InvalidAuthenticationTokenAudience') {
    return { reason: `the token is for another service (${what}): get one for https://api.loganalytics.io`, stopsReview: true };
  }
  if (status === 403) return { reason: `access denied (${what}): ${READER_ROLE}`, stopsReview: true };
  if (status === 404) return { reason: `the resource was not found (${what}): check --resource (az monitor app-insights component show --query id)`, stopsReview: true };
  if (status === 429) return { reason: `the service is throttling this identity (${what}): run the review again in a few minutes`, stopsReview: true };
  if (status === undefined) return { reason: `query ${name} could not reach the service: ${error.code ?? ''} ${error.message ?? ''}`.trim(), stopsReview: false };
  return { reason: `query ${name} was refused: ${what}`, stopsReview: false };
}

/**
 * One line saying why a query of the review gave no table: the service's answer with its `innererror` chain, and what
 * to do about it. A failure that every query would meet (sign-in, access, throttling, no data) says so without naming
 * the query, so the review reports it once.
 *
 * @example
 * describeQueryFailure(restErrorOf403InvalidAuthenticationToken, { name: 'cacheHitRate', timeoutSeconds: 180, deadlineMs: 210_000 });
 * // { reason: 'token expired or invalid (HTTP 403 InvalidAuthenticationToken: The access token is invalid): sign in again ...', stopsReview: true }
 */
export function describeQueryFailure(error: unknown, query: { readonly name: string; readonly timeoutSeconds: number; readonly deadlineMs: number }): QueryFailure {
  const { name, timeoutSeconds, deadlineMs } = query;
  let failure: QueryFailure;
  if (error instanceof LogsAnswerError) failure = describeAnswer(error, name, timeoutSeconds);
  else if ((error as ServiceError | null)?.name === 'AbortError') {
    failure = { reason: `query ${name} did not answer within ${deadlineMs / 1000} s (--timeout ${timeoutSeconds})`, stopsReview: false };
  } else if ((error as ServiceError | null)?.name === 'RestError') failure = describeServiceError(error as ServiceError, name);
  else if (error instanceof Error) failure = { reason: `query ${name} failed: ${error.name}: ${error.message}`, stopsReview: false };
  else failure = { reason: `query ${name} failed: ${String(error)}`, stopsReview: false };
  return { ...failure, reason: oneLine(failure.reason) };
}
