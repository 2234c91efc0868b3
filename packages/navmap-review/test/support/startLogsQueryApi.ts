import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ensureLocalCertificate } from '@sdap/local-environment';
import { reviewQueries, type ReviewQueryName } from '../../src/reviewQueries.js';

/** A column of the Log Analytics query API's answer. */
export interface ApiColumn {
  readonly name: string;
  readonly type: 'string' | 'long' | 'real' | 'int' | 'bool' | 'datetime' | 'dynamic';
}

/** How the local API answers one query, in the documented shapes of the Log Analytics query API (v1). */
export type QueryAnswer =
  /** 200 with `{ tables: [{ name: "PrimaryResult", columns, rows }] }`. */
  | { readonly columns: readonly ApiColumn[]; readonly rows: readonly (readonly unknown[])[] }
  /** 200 with the tables and an `error` (a non-fatal error: partial results). */
  | { readonly columns: readonly ApiColumn[]; readonly rows: readonly (readonly unknown[])[]; readonly partialError: { readonly code: string; readonly message: string } }
  /** An error status with a OneAPI error object. */
  | { readonly status: number; readonly error: { readonly code: string; readonly message: string } }
  /** No answer at all: the connection stays open until the client gives up. */
  | { readonly hang: true };

export type DataSet = Readonly<Record<ReviewQueryName, QueryAnswer>>;

export interface ReceivedQuery {
  readonly path: string;
  readonly name: ReviewQueryName;
  readonly timespan: string;
}

export interface LogsQueryApi {
  readonly endpoint: string;
  readonly certPath: string;
  readonly token: string;
  /** What the next queries are answered from; with a resource id, only the queries for that resource. */
  use(dataSet: DataSet, resourceId?: string): void;
  readonly received: ReceivedQuery[];
  close(): Promise<void>;
}

const queryNames = new Map<string, ReviewQueryName>(Object.entries(reviewQueries).map(([name, text]) => [text, name as ReviewQueryName]));

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

/**
 * Starts an https server on 127.0.0.1 (free port, the local environment's self-signed certificate) that answers
 * `POST /v1/<resource id>/query` as the Log Analytics query API does, from the data set in use. It accepts only the
 * review's own query texts (anything else is a 400 BadArgumentError, as a query the service cannot run) and only
 * the bearer token it was started with (else 401).
 */
export async function startLogsQueryApi(): Promise<LogsQueryApi> {
  const { certPath, keyPath } = await ensureLocalCertificate();
  const [cert, key] = await Promise.all([readFile(certPath), readFile(keyPath)]);
  const token = `review-test-${process.pid}`;
  let dataSet: DataSet | undefined;
  const dataSetsByPath = new Map<string, DataSet>();
  const received: ReceivedQuery[] = [];

  const server: Server = createServer({ cert, key }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = new URL(request.url ?? '/', 'https://localhost').pathname;
      if (request.method !== 'POST' || !path.startsWith('/v1/') || !path.endsWith('/query')) {
        send(response, 404, { error: { code: 'PathNotFoundError', message: `The requested path does not exist: ${request.method} ${path}` } });
        return;
      }
      if (request.headers.authorization !== `Bearer ${token}`) {
        send(response, 401, { error: { code: 'InvalidTokenError', message: 'The provided authentication is not valid for this resource.' } });
        return;
      }
      let body: { query?: unknown; timespan?: unknown };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
      } catch {
        send(response, 400, { error: { code: 'BadArgumentError', message: 'The request body is not JSON.' } });
        return;
      }
      const name = typeof body.query === 'string' ? queryNames.get(body.query) : undefined;
      const answering = dataSetsByPath.get(path) ?? dataSet;
      if (name === undefined || answering === undefined) {
        send(response, 400, { error: { code: 'BadArgumentError', message: `Unknown query: ${JSON.stringify(body.query)}` } });
        return;
      }
      received.push({ path, name, timespan: String(body.timespan) });
      const answer = answering[name];
      if ('hang' in answer) return;
      if ('status' in answer) {
        send(response, answer.status, { error: { ...answer.error, correlationId: '00000000-0000-0000-0000-000000000000' } });
        return;
      }
      const tables = [{ name: 'PrimaryResult', columns: answer.columns, rows: answer.rows }];
      if ('partialError' in answer) {
        send(response, 200, {
          tables,
          error: {
            code: 'PartialError',
            message: 'There were some errors when processing your request.',
            details: [{ code: answer.partialError.code, message: answer.partialError.message, resources: [] }],
          },
        });
        return;
      }
      send(response, 200, { tables });
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
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
