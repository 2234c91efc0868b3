import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NAVMAP_HTTP_STATUS, NavMapError, isNavMapError, navMapErrorCodes, type NavMapErrorCode } from '@sdap/navmap-sdk';
import { createNavMapClient } from '@sdap/navmap-sdk/client';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NavMapCache } from '../cache/NavMapCache.js';
import { createNavMapRouter } from './createNavMapRouter.js';

// The verifier fails with whatever the test sets here; the server answers it as the contract says.
let failure: unknown;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  const app = express();
  const cache = new NavMapCache({ load: () => Promise.reject(new Error('not reached')) });
  app.use(createNavMapRouter({ cache, verifier: { verify: () => Promise.reject(failure) } }));
  server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** What the browser client makes of the server's answer: the code of the server layer's failure. */
async function codeTheClientReads(thrown: unknown): Promise<{ status: number | undefined; code: NavMapErrorCode }> {
  failure = thrown;
  const client = createNavMapClient({
    baseUrl,
    getAccessToken: () => 'token',
    environment: 'https://org.crm.dynamics.com',
    storage: 'memory',
    logger: { log() {}, warn() {}, error() {} },
  });
  const error = await client.load().then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  if (!isNavMapError(error) || !isNavMapError(error.cause)) throw new Error(`expected a NavMapError with a cause, got ${String(error)}`);
  return { status: error.cause.details.status, code: error.cause.code };
}

describe('the wire contract between navmap-server and the browser client', () => {
  it('agrees on the status of every code: the client reads back the code the server sent', async () => {
    for (const code of navMapErrorCodes) {
      const read = await codeTheClientReads(new NavMapError(code, `failed with ${code}`));
      const status = (NAVMAP_HTTP_STATUS as Partial<Record<NavMapErrorCode, number>>)[code];
      // A code without a status of its own travels as 503 and reads as server_unavailable.
      expect(read.code).toBe(status === undefined ? 'server_unavailable' : code);
      expect(read.status).toBe(status ?? 503);
    }
  });

  it('answers a failure that is not a NavMapError with 500, which the client reads as server_unavailable', async () => {
    expect(await codeTheClientReads(new TypeError('bug'))).toEqual({ status: 500, code: 'server_unavailable' });
  });
});
