import express, { type Request, type Response } from 'express';
import { cors } from '../http/cors.js';

/** One telemetry item as Application Insights' ingestion receives it (the parts tests look at). */
export interface TelemetryEnvelope {
  /** `Microsoft.ApplicationInsights.<ikey>.Event`, `...Request`, `...RemoteDependency`, ... */
  readonly name: string;
  readonly time: string;
  readonly iKey?: string;
  readonly data?: {
    readonly baseType?: string;
    readonly baseData?: {
      readonly name?: string;
      readonly properties?: Readonly<Record<string, string>>;
      readonly measurements?: Readonly<Record<string, number>>;
      readonly [key: string]: unknown;
    };
  };
}

export interface IngestionRoutes {
  readonly router: express.Router;
  /** Every item received, oldest first. */
  envelopes(): readonly TelemetryEnvelope[];
  clear(): void;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function problem(response: Response, status: number, message: string): void {
  response.status(status).json({ itemsReceived: 0, itemsAccepted: 0, errors: [{ index: 0, statusCode: status, message }] });
}

/**
 * The items of an Application Insights track request body: a JSON array, one JSON object, or newline-delimited JSON
 * objects (how the SDKs send them). Throws a `SyntaxError` for a body that is not JSON.
 *
 * @example
 * parseTelemetryItems('{"name":"a"}\n{"name":"b"}\n').length; // 2
 */
export function parseTelemetryItems(text: string): unknown[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  if (trimmed.startsWith('[')) return JSON.parse(trimmed) as unknown[];
  return trimmed.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as unknown);
}

/**
 * Application Insights' ingestion API (`POST /v2/track`, `/v2.1/track`) as the browser and Node SDKs call it, so
 * telemetry has somewhere real to go locally: items are validated as the service does (a name, a time and an
 * instrumentation key that is a GUID per item; 400 with per-item errors otherwise), kept in memory and answered with
 * `{ itemsReceived, itemsAccepted, errors }`.
 */
export function createIngestionRoutes(): IngestionRoutes {
  const received: TelemetryEnvelope[] = [];
  const router = express.Router();
  const track = [express.text({ type: () => true, limit: '4mb' }), cors];
  const handle = (request: Request, response: Response) => {
    let items: unknown[];
    try {
      items = parseTelemetryItems(typeof request.body === 'string' ? request.body : '');
    } catch (error) {
      return problem(response, 400, `The body is not JSON: ${(error as Error).message}`);
    }
    const errors: { index: number; statusCode: number; message: string }[] = [];
    items.forEach((item, index) => {
      const envelope = item as Partial<TelemetryEnvelope>;
      if (typeof envelope?.name !== 'string' || typeof envelope.time !== 'string') {
        errors.push({ index, statusCode: 400, message: 'Field name and time are required.' });
      } else if (typeof envelope.iKey !== 'string' || !GUID.test(envelope.iKey)) {
        errors.push({ index, statusCode: 400, message: 'Invalid instrumentation key.' });
      } else {
        received.push(envelope as TelemetryEnvelope);
      }
    });
    response.status(errors.length > 0 ? 206 : 200).json({ itemsReceived: items.length, itemsAccepted: items.length - errors.length, errors });
  };
  router.options(['/v2/track', '/v2.1/track'], cors);
  router.post(['/v2/track', '/v2.1/track'], ...track, handle);
  return {
    router,
    envelopes: () => [...received],
    clear: () => {
      received.length = 0;
    },
  };
}
