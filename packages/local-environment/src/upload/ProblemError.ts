import type { Request, Response } from 'express';

/** An RFC 7807 problem the upload API answers; `code` is Graph's error code (`itemNotFound`, `invalidRange`, ...). */
export class ProblemError extends Error {
  override readonly name = 'ProblemError' as const;
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
    readonly code?: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** A 400 problem with `code`, the upload API's most common answer. */
export function badRequest(message: string, code: string): ProblemError {
  return new ProblemError(400, 'Bad Request', message, code);
}

/** Writes a problem as `application/problem+json`, with `instance` the request path. */
export function sendProblem(response: Response, request: Request, error: ProblemError): void {
  for (const [name, value] of Object.entries(error.headers)) response.setHeader(name, value);
  response
    .status(error.status)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: `https://httpstatuses.io/${error.status}`,
        title: error.title,
        status: error.status,
        detail: error.message,
        instance: request.originalUrl.split('?')[0],
        ...(error.code === undefined ? {} : { code: error.code }),
      }),
    );
}

/** Turns what a route or body parser threw into the problem to answer. */
export function toProblem(error: unknown): ProblemError {
  if (error instanceof ProblemError) return error;
  const status = (error as { status?: unknown }).status;
  if (status === 413) return new ProblemError(413, 'Payload Too Large', 'The body is larger than this endpoint accepts.', 'payloadTooLarge');
  if (error instanceof URIError || (status === 400 && /decode param/i.test((error as Error).message))) {
    return badRequest('The file path contains an invalid percent-encoding.', 'invalidPath');
  }
  if (typeof status === 'number' && status >= 400 && status < 500) return new ProblemError(status, 'Bad Request', (error as Error).message, 'invalidRequest');
  return new ProblemError(500, 'Internal Server Error', 'The upload failed; see the server log.', 'generalException');
}
