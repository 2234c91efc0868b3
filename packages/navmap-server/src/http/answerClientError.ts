import { STATUS_CODES } from 'node:http';
import { NavMapError } from '@sdap/navmap-sdk';
import { errorBody } from './answerNavMapRequest.js';

/** What the server answers to a request Node's HTTP parser refused, before any route saw it. */
export interface ClientErrorAnswer {
  readonly status: number;
  readonly error: NavMapError;
}

/** The limits the answers name, so a caller learns what to change. */
export interface ClientErrorLimits {
  readonly headersTimeoutSeconds: number;
  readonly requestTimeoutSeconds: number;
  /** Node's `--max-http-header-size`. @default 16384 */
  readonly maxHeaderBytes?: number;
}

/**
 * The answer to a `clientError` of Node's http server, by the error's code (llhttp's `HPE_*`, Node's `ERR_HTTP_*`).
 * Undefined when nothing can be answered (the connection is gone).
 *
 * @example
 * answerClientError('HPE_HEADER_OVERFLOW', limits); // { status: 431, error: bad_request ... }
 */
export function answerClientError(code: string | undefined, limits: ClientErrorLimits): ClientErrorAnswer | undefined {
  if (code === 'ECONNRESET' || code === 'EPIPE') return undefined;
  if (code === 'HPE_HEADER_OVERFLOW') {
    const kilobytes = Math.round((limits.maxHeaderBytes ?? 16_384) / 1024);
    return {
      status: 431,
      error: new NavMapError('bad_request', `The request headers are larger than ${kilobytes} KB; send fewer or smaller headers.`),
    };
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT' || code === 'ERR_HTTP_HEADERS_TIMEOUT') {
    return {
      status: 408,
      error: new NavMapError(
        'timeout',
        `The request did not arrive in time: headers within ${limits.headersTimeoutSeconds} s, the whole request within ${limits.requestTimeoutSeconds} s.`,
      ),
    };
  }
  if (code === 'HPE_INVALID_METHOD') {
    return {
      status: 400,
      error: new NavMapError('bad_request', 'The request method is not a valid HTTP method: methods are upper-case, e.g. GET.'),
    };
  }
  if (code === 'HPE_INVALID_HEADER_TOKEN' || code === 'HPE_INVALID_CONTENT_LENGTH' || code === 'HPE_UNEXPECTED_CONTENT_LENGTH') {
    return {
      status: 400,
      error: new NavMapError('bad_request', `A request header is malformed (${code}): header names are tokens, values have no control characters.`),
    };
  }
  return {
    status: 400,
    error: new NavMapError('bad_request', `The request is not valid HTTP/1.1 (${code ?? 'unknown parse error'}); send a well-formed request such as GET /api/pcf/dataverse-navmap?v=1.`),
  };
}

/**
 * A complete HTTP/1.1 response in the contract's error shape, for writing straight to a socket that Express never
 * saw. It closes the connection: after a parse error the rest of the bytes on it cannot be trusted.
 */
export function rawErrorResponse({ status, error }: ClientErrorAnswer, extraHeaders: Readonly<Record<string, string>> = {}): Buffer {
  const body = errorBody(error);
  const headers = {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(body.length),
    'Cache-Control': 'no-store',
    ...extraHeaders,
    Connection: 'close',
  };
  const head = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)].join('\r\n');
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), body]);
}
