import express, { type NextFunction, type Request, type Response } from 'express';
import { DATAVERSE_SESSION_COOKIE, type BrowserSessions } from '../dataverse/BrowserSessions.js';
import type { DataverseStore } from '../dataverse/DataverseStore.js';
import { isODataIdentifier } from '@sdap/navmap-sdk';
import { sdapSeed } from '../dataverse/sdapSeed.js';
import { FaultSpecError, parseFaultSpec, type FaultInjector } from './FaultInjector.js';
import { fidelityProblem, type EmulatorFidelity } from '../dataverse/EmulatorFidelity.js';

export interface AdminAppOptions {
  readonly faults: FaultInjector;
  readonly store: DataverseStore;
  readonly sessions: BrowserSessions;
  /** Called after a schema change so caches built from the schema can refresh. */
  readonly onSchemaChange?: () => void;
  /** The local Application Insights ingestion, listed and cleared at `/telemetry`. */
  readonly telemetry?: { envelopes(): readonly unknown[]; clear(): void };
  /** The emulator's fidelity switches, shown and changed at `/fidelity`. */
  readonly fidelity?: EmulatorFidelity;
}

function problem(response: Response, status: number, title: string, detail: string): void {
  response.status(status).type('application/problem+json').send(JSON.stringify({ type: 'about:blank', title, status, detail }));
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * The admin endpoint: fault injection, request counters, reset, schema drift and browser sessions.
 * Answers loopback clients only.
 */
export function createAdminApp(options: AdminAppOptions): express.Express {
  const { faults, store, sessions } = options;
  const app = express();
  app.disable('x-powered-by');
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (!LOOPBACK.has(request.socket.remoteAddress ?? '')) return problem(response, 403, 'Forbidden', 'The admin endpoint answers loopback clients only.');
    next();
  });
  app.use(express.json({ limit: '64kb', strict: false }));

  app.get('/faults', (_request, response) => {
    response.json({ faults: faults.list() });
  });
  app.post('/faults', (request, response) => {
    try {
      const fault = faults.add(parseFaultSpec(request.body));
      response.status(201).json(fault);
    } catch (error) {
      if (error instanceof FaultSpecError) return problem(response, 400, 'Invalid fault', error.message);
      throw error;
    }
  });
  app.delete('/faults', (_request, response) => {
    faults.clear();
    response.status(204).end();
  });
  app.delete('/faults/:id', (request, response) => {
    if (!faults.remove(String(request.params.id))) return problem(response, 404, 'Not found', `No active fault has id '${String(request.params.id)}'.`);
    response.status(204).end();
  });
  app.get('/telemetry', (_request, response) => {
    response.json({ envelopes: options.telemetry?.envelopes() ?? [] });
  });
  app.delete('/telemetry', (_request, response) => {
    options.telemetry?.clear();
    response.status(204).end();
  });
  app.get('/requests', (_request, response) => {
    response.json(faults.requestCounts());
  });
  app.post('/reset', (request, response) => {
    const body = (request.body ?? {}) as { schema?: unknown; records?: unknown };
    faults.clear();
    faults.resetCounts();
    if (body.schema === true) {
      store.resetSchema();
      options.onSchemaChange?.();
    }
    if (body.records === true) store.resetRecords();
    response.status(204).end();
  });
  app.patch('/schema/relationships/:schemaName', (request, response) => {
    const schemaName = String(request.params.schemaName);
    const relationship = store.relationship(schemaName);
    if (relationship === undefined) return problem(response, 404, 'Not found', `No relationship has SchemaName '${schemaName}'.`);
    const body = request.body as Record<string, unknown> | null;
    const fields = ['ReferencingEntityNavigationPropertyName', 'ReferencedEntityNavigationPropertyName'] as const;
    if (typeof body !== 'object' || body === null || Array.isArray(body) || !fields.some((field) => field in body)) {
      return problem(response, 400, 'Invalid change', `The body must set ${fields.map((field) => `\`${field}\``).join(' or ')}.`);
    }
    for (const key of Object.keys(body)) {
      if (!(fields as readonly string[]).includes(key)) return problem(response, 400, 'Invalid change', `Only ${fields.join(' and ')} can change; \`${key}\` cannot.`);
      if (!isODataIdentifier(body[key])) return problem(response, 400, 'Invalid change', `\`${key}\` must be an OData identifier; received ${JSON.stringify(body[key])}.`);
    }
    const referencing = body.ReferencingEntityNavigationPropertyName as string | undefined;
    if (referencing !== undefined) {
      const clash = store.manyToOne(relationship.referencingEntity).find(
        (other) => other !== relationship && other.referencingEntityNavigationPropertyName === referencing,
      );
      if (clash) return problem(response, 409, 'Conflict', `'${referencing}' is already the navigation property of ${clash.schemaName}.`);
      relationship.referencingEntityNavigationPropertyName = referencing;
    }
    const referenced = body.ReferencedEntityNavigationPropertyName as string | undefined;
    if (referenced !== undefined) relationship.referencedEntityNavigationPropertyName = referenced;
    store.recordSchemaChange();
    options.onSchemaChange?.();
    response.json(store.relationshipMetadata(relationship));
  });
  app.get('/fidelity', (_request, response) => {
    if (options.fidelity === undefined) return problem(response, 404, 'Not found', 'This emulator has no fidelity switches.');
    response.json(options.fidelity);
  });
  app.patch('/fidelity', (request, response) => {
    if (options.fidelity === undefined) return problem(response, 404, 'Not found', 'This emulator has no fidelity switches.');
    const problemText = fidelityProblem(request.body);
    if (problemText !== undefined) return problem(response, 400, 'Invalid fidelity switches', problemText);
    Object.assign(options.fidelity, request.body as Partial<EmulatorFidelity>);
    response.json(options.fidelity);
  });
  app.post('/sessions', (_request, response) => {
    const value = sessions.create(sdapSeed.organization.testUserSystemUserId);
    response.status(201).json({
      name: DATAVERSE_SESSION_COOKIE,
      value,
      systemUserId: sdapSeed.organization.testUserSystemUserId,
      setCookie: `${DATAVERSE_SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax`,
    });
  });

  app.use((request: Request, response: Response) => problem(response, 404, 'Not found', `No admin route ${request.method} ${request.path}.`));
  app.use((error: unknown, _request: Request, response: Response, _next: NextFunction) => {
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) return problem(response, status, 'Bad request', (error as Error).message);
    problem(response, 500, 'Internal error', 'The admin endpoint failed; see the server log.');
  });
  return app;
}
