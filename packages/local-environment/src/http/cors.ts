import type { NextFunction, Request, Response } from 'express';

const ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'Accept',
  'OData-MaxVersion',
  'OData-Version',
  'Prefer',
  'If-None-Match',
  'If-Match',
  'Consistency',
  'MSCRM.SuppressDuplicateDetection',
  'Content-Range',
  'Upload-Session-Url',
].join(', ');
const EXPOSED_HEADERS = ['OData-EntityId', 'OData-Version', 'Preference-Applied', 'Retry-After', 'WWW-Authenticate', 'ETag', 'Location'].join(', ');

/**
 * CORS for browser code on another local origin (the PCF test harness, the form host). Preflights are answered
 * here and are neither counted nor faulted, so fault counts match what a client sends.
 */
export function cors(request: Request, response: Response, next: NextFunction): void {
  const origin = request.headers.origin;
  if (origin !== undefined) {
    response.setHeader('Access-Control-Allow-Origin', origin);
    response.setHeader('Access-Control-Allow-Credentials', 'true');
    response.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    response.setHeader('Vary', 'Origin');
  }
  if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) {
    response.setHeader('Access-Control-Allow-Methods', 'GET, POST, PATCH, PUT, DELETE, OPTIONS');
    response.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    response.setHeader('Access-Control-Max-Age', '600');
    response.status(204).end();
    return;
  }
  next();
}
