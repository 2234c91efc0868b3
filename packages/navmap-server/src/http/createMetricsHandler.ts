import { createHash, timingSafeEqual } from 'node:crypto';
import { NavMapError } from '@sdap/navmap-sdk';
import type { RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import { bearerToken as readBearerToken } from '@sdap/navmap-sdk';
import { errorAnswer } from './answerNavMapRequest.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * `GET /metrics`: the Prometheus text, to `Authorization: Bearer <bearerToken>` only when a token is configured. The
 * comparison is over digests in constant time, so the answer's timing says nothing about the secret.
 *
 * @example
 * app.get('/metrics', createMetricsHandler(metrics.registry, { bearerToken: config.metrics.bearerToken }));
 */
export function createMetricsHandler(registry: Registry, { bearerToken }: { bearerToken?: string | undefined }): RequestHandler {
  const expected = bearerToken === undefined ? undefined : digest(bearerToken);
  return async (request, response) => {
    if (expected !== undefined) {
      const presented = readBearerToken(request.headers.authorization);
      if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
        const answer = errorAnswer(
          new NavMapError('unauthorized', 'The metrics need `Authorization: Bearer <metrics.bearerToken>`.', { status: 401 }),
        );
        response.writeHead(answer.status, answer.headers).end(answer.body);
        return;
      }
    }
    response.type(registry.contentType).send(await registry.metrics());
  };
}
