import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ensureLocalCertificate } from '@sdap/local-environment';
import { reviewQueries, type ReviewQueryName } from '../../src/reviewQueries.js';

/** A column of the Log Analytics query API's answer. */
export interface ApiColumn {
  readonly name: string;
  readonly type: 'string' | 'long' | 'real' | 'int' | 'bool' | 'datetime' | 'dynamic';
}

/** A OneAPI error object, as the API's error answers carry it under `error`. */
export interface ApiError {
  readonly code: string;
  readonly message: string;
  readonly innererror?: ApiError;
}

/**
 * How the local API answers one query, in the documented shapes of the Log Analytics query API (v1):
 * https://learn.microsoft.com/azure/azure-monitor/logs/api/errors, .../api/timeouts, .../api/response-format and
 * .../api/azure-resource-queries.
 */
export type QueryAnswer =
  /** 200 with `{ tables: [{ name: "PrimaryResult", columns, rows }] }`. No rows is also the documented answer when table-level access filters the tables out. */
  | { readonly columns: readonly ApiColumn[]; readonly rows: readonly (readonly unknown[])[] }
  /** 200 with the tables and an `error` (a non-fatal error: partial results). */
  | { readonly columns: readonly ApiColumn[]; readonly rows: readonly (readonly unknown[])[]; readonly partialError: { readonly code: string; readonly message: string } }
  /** An error status with a OneAPI error object; with `retryAfterSeconds`, a `Retry-After` header too. */
  | { readonly status: number; readonly error: ApiError; readonly retryAfterSeconds?: number }
  /** 204 with no body: the documented answer when the workspace holds no data. */
  | { readonly noContent: true }
  /** The query runs past the request's `Prefer: wait=<seconds>` (default 180): 504 once the wait is over. */
  | { readonly runsPastWait: true }
  /** No answer at all: the connection stays open until the client gives up. */
  | { readonly hang: true };

/** One answer for every request of a query, or a sequence: the n-th request gets the n-th answer, the last repeats. */
export type DataSet = Readonly<Record<ReviewQueryName, QueryAnswer | readonly QueryAnswer[]>>;

export interface ReceivedQuery {
  readonly path: string;
  readonly name: ReviewQueryName;
  readonly timespan: string;
  readonly prefer: string | undefined;
}

export interface LogsQueryApi {
  readonly endpoint: string;
  readonly certPath: string;
  /** The one bearer token the API accepts; any other is 403 InvalidAuthenticationToken. */
  readonly token: string;
  /** What the next queries are answered from; with a resource id, only the queries for that resource. */
  use(dataSet: DataSet, resourceId?: string): void;
  /** Every query the API received, retries included. */
  readonly received: ReceivedQuery[];
  close(): Promise<void>;
}

const queryNames = new Map<string, ReviewQueryName>(Object.entries(reviewQueries).map(([name, text]) => [text, name as ReviewQueryName]));
/** The API's default wait when the request sends no `Prefer: wait` (api/timeouts: 3 minutes). */
const DEFAULT_WAIT_SECONDS = 180;

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(body));
}

function waitSeconds(request: IncomingMessage): number {
  const match = /(?:^|[,;\s])wait=(\d+)/.exec(String(request.headers.prefer ?? ''));
  return match === null ? DEFAULT_WAIT_SECONDS : Number(match[1]);
}

function answerFor(answers: QueryAnswer | readonly QueryAnswer[], attempt: number): QueryAnswer {
  if (!Array.isArray(answers)) return answers as QueryAnswer;
  return (answers[Math.min(attempt, answers.length - 1)] ?? answers[answers.length - 1]) as QueryAnswer;
}

/**
 * Starts an https server on 127.0.0.1 (free port, the local environment's self-signed certificate) that answers
 * `POST /v1/<resource id>/query` as the Log Analytics query API does, from the data set in use. Without an
 * `Authorization` header it answers 401 AuthenticationFailed; with a bearer token other than its own, 403
 * InvalidAuthenticationToken (a bad or expired token); it accepts only the review's own query texts (anything else is
 * a 400 BadArgumentError with the SemanticError the service gives for an unknown table).
 */
export async function startLogsQueryApi(): Promise<LogsQueryApi> {
  const { certPath, keyPath } = await ensureLocalCertificate();
  const [cert, key] = await Promise.all([readFile(certPath), readFile(keyPath)]);
  const token = `review-test-${process.pid}`;
  let dataSet: DataSet | undefined;
  const dataSetsByPath = new Map<string, DataSet>();
  const received: ReceivedQuery[] = [];
  const timers = new Set<NodeJS.Timeout>();

  function answer(response: ServerResponse, request: IncomingMessage, reply: QueryAnswer): void {
    if ('hang' in reply) return;
    if ('noContent' in reply) {
      response.writeHead(204);
      response.end();
      return;
    }
    if ('runsPastWait' in reply) {
      // The docs give only the status for a query past its wait; the body is the API's usual OneAPI error shape.
      const timer = setTimeout(() => {
        timers.delete(timer);
        send(response, 504, { error: { code: 'GatewayTimeout', message: 'The query did not complete within the requested wait time.' } });
      }, waitSeconds(request) * 1000);
      timers.add(timer);
      return;
    }
    if ('status' in reply) {
      const headers: Record<string, string> = reply.retryAfterSeconds === undefined ? {} : { 'retry-after': String(reply.retryAfterSeconds) };
      send(response, reply.status, { error: { ...reply.error, correlationId: '00000000-0000-0000-0000-000000000000' } }, headers);
      return;
    }
    const tables = [{ name: 'PrimaryResult', columns: reply.columns, rows: reply.rows }];
    if ('partialError' in reply) {
      send(response, 200, {
        tables,
        error: {
          code: 'PartialError',
          message: 'There were some errors when processing your request.',
          details: [{ code: reply.partialError.code, message: reply.partialError.message, resources: [] }],
        },
      });
      return;
    }
    send(response, 200, { tables });
  }

  const server: Server = createServer({ cert, key }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = new URL(request.url ?? '/', 'https://localhost').pathname;
      if (request.method !== 'POST' || !path.startsWith('/v1/') || !path.endsWith('/query')) {
        send(response, 404, { error: { code: 'PathNotFoundError', message: 'The requested path does not exist' } });
        return;
      }
      if (request.headers.authorization === undefined) {
        send(response, 401, { error: { code: 'AuthenticationFailed', message: "Authentication failed. The 'Authorization' header is missing." } });
        return;
      }
      if (request.headers.authorization !== `Bearer ${token}`) {
        send(response, 403, { error: { code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' } });
        return;
      }
      let body: { query?: unknown; timespan?: unknown };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
      } catch {
        send(response, 400, { error: { code: 'BadArgumentError', message: 'The request had some invalid properties' } });
        return;
      }
      const name = typeof body.query === 'string' ? queryNames.get(body.query) : undefined;
      const answering = dataSetsByPath.get(path) ?? dataSet;
      if (name === undefined || answering === undefined) {
        send(response, 400, {
          error: {
            message: 'The request had some invalid properties',
            code: 'BadArgumentError',
            innererror: { code: 'SemanticError', message: 'A semantic error occurred.', innererror: { code: 'SEM0100', message: `Unknown query: ${JSON.stringify(body.query)}` } },
          },
        });
        return;
      }
      const attempt = received.filter((query) => query.path === path && query.name === name).length;
      received.push({ path, name, timespan: String(body.timespan), prefer: request.headers.prefer === undefined ? undefined : String(request.headers.prefer) });
      answer(response, request, answerFor(answering[name], attempt));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `https://127.0.0.1:${port}/v1`,
    certPath,
    token,
    use(next, resourceId) {
      if (resourceId === undefined) dataSet = next;
      else dataSetsByPath.set(`/v1${resourceId}/query`, next);
    },
    received,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
