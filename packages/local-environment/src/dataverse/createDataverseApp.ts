import express, { type NextFunction, type Request, type Response } from 'express';
import type { JWTPayload } from 'jose';
import { applyFault, type FaultRenderer } from '../admin/applyFault.js';
import type { FaultInjector, RequestTarget } from '../admin/FaultInjector.js';
import { cors } from '../http/cors.js';
import { TokenRejectedError, type TokenVerifier } from '../identity/TokenVerifier.js';
import type { BrowserSessions } from './BrowserSessions.js';
import { DataverseCode, DataverseError, notFoundSegment } from './DataverseError.js';
import type { DataverseStore } from './DataverseStore.js';
import { parseQueryOptions } from './odata/parseQueryOptions.js';
import { parseResourcePath, type PathSegment } from './odata/parseResourcePath.js';
import { MetadataQuery } from './MetadataQuery.js';
import { RecordOperations, type Caller } from './RecordOperations.js';
import { sdapSeed } from './sdapSeed.js';
import type { EmulatorFidelity } from './EmulatorFidelity.js';
import { answerSolutionRequest, SOLUTION_SEGMENTS } from '../solutions/answerSolutionRequest.js';
import type { InstalledSolutions } from '../solutions/InstalledSolutions.js';

export interface DataverseAppOptions {
  readonly store: DataverseStore;
  readonly faults: FaultInjector;
  readonly verifier: TokenVerifier;
  readonly sessions: BrowserSessions;
  /** The org's imported solutions: what `ImportSolution` changes and `webresourceset` lists. */
  readonly solutions: InstalledSolutions;
  /** Origin of the emulator, e.g. `http://localhost:7071`; tokens must carry it as `aud`. */
  readonly dataverseUrl: string;
  readonly authorityHost: string;
  readonly tenantId: string;
  /** Code of "Could not find a property" on metadata. @default DataverseCode.queryNotSupported */
  readonly unknownMetadataPropertyCode?: string;
  /** Fidelity switches, read on every request (the admin endpoint changes them). @default DEFAULT_FIDELITY */
  readonly fidelity?: Readonly<EmulatorFidelity>;
  /** More routes on the same origin (the model-driven form host, `/main.aspx`), mounted before the 404 handler. */
  readonly additionalRoutes?: express.Router;
}

const CONTENT_TYPE = 'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8';
const METADATA_SEGMENTS = new Set(['EntityDefinitions', 'RelationshipDefinitions', 'GlobalOptionSetDefinitions', '$metadata']);
const VERSION = /^v9\.[0-2]$/;

function send(response: Response, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  response.status(status);
  response.setHeader('OData-Version', '4.0');
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  if (body === undefined || status === 204 || status === 304) {
    response.end();
    return;
  }
  response.setHeader('Content-Type', CONTENT_TYPE);
  response.end(JSON.stringify(body));
}

function sendError(response: Response, error: DataverseError): void {
  send(response, error.status, error.toJSON(), error.headers);
}

const dataverseFaults: FaultRenderer = {
  status(response, status) {
    sendError(response, new DataverseError(status, DataverseCode.unexpected, `An unexpected error occurred. (fault injected by the local environment: HTTP ${status})`));
  },
  throttle(response, retryAfterSeconds) {
    sendError(
      response,
      new DataverseError(429, DataverseCode.throttled, 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.', {
        'Retry-After': String(retryAfterSeconds),
      }),
    );
  },
  malformed(response, body) {
    response.status(200).setHeader('Content-Type', CONTENT_TYPE);
    response.setHeader('OData-Version', '4.0');
    if (body === 'not-json') response.end('{"@odata.context":"$metadata#EntityDefinitions","value":[{"LogicalName":"sprk_doc');
    else response.end(JSON.stringify({ '@odata.context': '$metadata#EntityDefinitions', value: [{ LogicalName: 42, SchemaName: null, EntitySetName: ['x'] }] }));
  },
};

/**
 * The Dataverse Web API emulator as an Express app, mounted at the origin (`/api/data/v9.x/...`), so more routes
 * (the model-driven form host) can be added to the same app later.
 *
 * @example
 * const app = createDataverseApp({ store, faults, verifier, sessions, dataverseUrl, authorityHost, tenantId });
 * http.createServer(app).listen(0);
 */
export function createDataverseApp(options: DataverseAppOptions): express.Express {
  const metadata = new MetadataQuery(options.store, {
    unknownPropertyCode: options.unknownMetadataPropertyCode ?? DataverseCode.queryNotSupported,
    ...(options.fidelity === undefined ? {} : { fidelity: options.fidelity }),
  });
  const records = new RecordOperations(options.store);
  const dataverseUrl = options.dataverseUrl.replace(/\/+$/, '');
  const audiences = [dataverseUrl, `${dataverseUrl}/`];
  const challenge = `Bearer authorization_uri=${options.authorityHost}/${options.tenantId}/oauth2/authorize, resource_id=${dataverseUrl}/`;

  const callerFor = (payload: JWTPayload): Caller => {
    if (payload.oid === sdapSeed.organization.testUserObjectId) return { systemUserId: sdapSeed.organization.testUserSystemUserId };
    return { systemUserId: sdapSeed.organization.applicationUserSystemUserId };
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(cors);

  const api = express.Router();
  api.use(async (request: Request, response: Response, next: NextFunction) => {
    const [rawPath = '', rawQuery = ''] = splitUrl(request.url);
    let decodedPath: string;
    try {
      decodedPath = decodeURIComponent(rawPath);
    } catch {
      return sendError(response, new DataverseError(400, DataverseCode.queryNotSupported, 'The request URI contains an invalid escape sequence.'));
    }
    const [, version = '', ...restParts] = decodedPath.split('/');
    const resourcePath = restParts.join('/');
    const firstName = /^[^(/]*/.exec(resourcePath)?.[0] ?? '';
    const target: RequestTarget = METADATA_SEGMENTS.has(firstName) ? 'metadata' : 'records';
    const fault = options.faults.take(target);
    if (fault && (await applyFault(fault, request, response, dataverseFaults))) return;

    try {
      if (!VERSION.test(version)) throw notFoundSegment(version);
      const caller = await authenticate(request, response);
      if (caller === undefined) return;
      const queryOptions = parseQueryOptions(rawQuery);
      const baseUrl = `${dataverseUrl}/api/data/${version}`;
      if (resourcePath === '') {
        return send(response, 200, {
          '@odata.context': `${baseUrl}/$metadata`,
          value: [...options.store.entities.values()].map((entity) => ({ name: entity.entitySetName, kind: 'EntitySet', url: entity.entitySetName })),
        });
      }
      const segments: PathSegment[] = parseResourcePath(resourcePath);
      if (SOLUTION_SEGMENTS.has(firstName)) {
        const answer = answerSolutionRequest(options.solutions, {
          method: request.method,
          segments,
          options: queryOptions,
          baseUrl,
          body: typeof request.body === 'string' ? request.body : undefined,
        });
        return send(response, answer.status, answer.body, answer.headers);
      }
      if (target === 'metadata') {
        if (request.method !== 'GET') {
          throw new DataverseError(405, DataverseCode.queryNotSupported, `The local environment serves metadata read-only; ${request.method} is not emulated.`);
        }
        if (firstName !== 'EntityDefinitions' && firstName !== 'RelationshipDefinitions') throw notFoundSegment(firstName);
        const strongConsistency = request.get('consistency')?.trim().toLowerCase() === 'strong';
        return send(response, 200, metadata.answer(segments, queryOptions, baseUrl, { strongConsistency }).body);
      }
      const answer = records.handle({
        method: request.method,
        segments,
        options: queryOptions,
        baseUrl,
        requestUrl: `${dataverseUrl}${request.originalUrl}`,
        prefer: request.get('prefer'),
        ifNoneMatch: request.get('if-none-match'),
        ifMatch: request.get('if-match'),
        body: typeof request.body === 'string' ? request.body : undefined,
        caller,
      });
      return send(response, answer.status, answer.body, answer.headers);
    } catch (error) {
      if (error instanceof DataverseError) return sendError(response, error);
      return next(error);
    }
  });

  async function authenticate(request: Request, response: Response): Promise<Caller | undefined> {
    const authorization = request.headers.authorization;
    if (authorization === undefined) {
      const session = options.sessions.fromCookieHeader(request.headers.cookie);
      if (session) return session;
    }
    try {
      return callerFor(await options.verifier.verify(authorization, audiences));
    } catch (error) {
      if (!(error instanceof TokenRejectedError)) throw error;
      const ticket = error.reason === 'expired' ? 'ExpiredAuthTicket' : 'InvalidAuthTicket';
      sendError(response, new DataverseError(401, DataverseCode.none, `${ticket}: ${error.message}`, { 'WWW-Authenticate': challenge }));
      return undefined;
    }
  }

  // Bodies are read as text so that malformed JSON gets Dataverse's payload error, not a generic one. A solution zip
  // travels base64 in one ImportSolution request; Dataverse takes solution files far above 4 MB.
  const recordBody = express.text({ type: () => true, limit: '4mb' });
  const solutionBody = express.text({ type: () => true, limit: '64mb' });
  app.use('/api/data', (request, response, next) => (/^\/v9\.[0-2]\/ImportSolution$/.test(request.path) ? solutionBody : recordBody)(request, response, next), api);
  if (options.additionalRoutes) app.use(options.additionalRoutes);
  app.use((request: Request, response: Response) => {
    sendError(response, new DataverseError(404, '', `No HTTP resource was found that matches the request URI '${dataverseUrl}${request.originalUrl}'.`));
  });
  app.use((error: unknown, _request: Request, response: Response, _next: NextFunction) => {
    const status = (error as { status?: unknown }).status;
    if (status === 413) return sendError(response, new DataverseError(413, DataverseCode.payloadError, 'The request body is larger than the 4 MB the local environment accepts.'));
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendError(response, new DataverseError(status, DataverseCode.payloadError, `The request body could not be read: ${(error as Error).message}`));
    }
    sendError(response, new DataverseError(500, DataverseCode.unexpected, 'An unexpected error occurred.'));
  });
  return app;
}

function splitUrl(url: string): [string, string] {
  const index = url.indexOf('?');
  return index === -1 ? [url, ''] : [url.slice(0, index), url.slice(index + 1)];
}
