import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NavMapResponse } from '@sdap/navmap-sdk';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIssuer, type TestIssuer } from '../testing/startTestIssuer.js';
import { TokenVerifier } from '../auth/TokenVerifier.js';
import { NavMapCache } from '../cache/NavMapCache.js';
import { createNavMapRouter } from './createNavMapRouter.js';

const map: NavMapResponse = {
  version: '1',
  environment: 'https://org.crm.dynamics.com',
  childEntity: 'sprk_document',
  generatedAt: '2026-11-28T10:00:00.000Z',
  parents: { contact: { entitySet: 'contacts', lookupAttribute: 'sprk_contact', navProperty: 'sprk_Contact', collectionNavProperty: 'sprk_contact_document' } },
  errors: {},
};

let issuer: TestIssuer;
let server: Server;
let url: string;
let cache: NavMapCache;

beforeAll(async () => {
  issuer = await startTestIssuer();
  cache = new NavMapCache({ load: () => Promise.resolve(map) });
  const verifier = new TokenVerifier({ issuer: issuer.issuer, audience: 'api://navmap-bff', requiredScopes: ['NavMap.Read'] });
  // An existing BFF with its own routes and middleware; the NavMap router is mounted next to them.
  const app = express();
  app.use(express.json());
  app.get('/api/obo/ping', (_request, response) => {
    response.json({ pong: true });
  });
  app.use(createNavMapRouter({ cache, verifier, corsOrigins: ['https://org.crm.dynamics.com'] }));
  app.use((_request, response) => {
    response.status(404).send('bff 404');
  });
  server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  cache.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await issuer.close();
});

describe('createNavMapRouter mounted into an existing Express app', () => {
  it('serves the NavMap and leaves the app routes and 404 handler alone', async () => {
    const response = await fetch(`${url}/api/pcf/dataverse-navmap?v=1`, { headers: { Authorization: `Bearer ${await issuer.sign()}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-navmap-source')).toBe('dataverse');
    expect(await response.json()).toEqual(map);
    expect(await (await fetch(`${url}/api/obo/ping`)).json()).toEqual({ pong: true });
    const missing = await fetch(`${url}/api/pcf/other`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('bff 404');
  });

  it('answers 401 for a missing token and keeps CORS headers for the allowed origin', async () => {
    const response = await fetch(`${url}/api/pcf/dataverse-navmap`, { headers: { Origin: 'https://org.crm.dynamics.com' } });
    expect(response.status).toBe(401);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://org.crm.dynamics.com');
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
  });

  it('allows Cache-Control in a CORS preflight, for the browser client\'s reload past the caches', async () => {
    const response = await fetch(`${url}/api/pcf/dataverse-navmap`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://org.crm.dynamics.com', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization,cache-control' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase().split(',')).toContain('cache-control');
  });

  it('refuses bad options at creation, naming the option', () => {
    expect(() => createNavMapRouter({} as never)).toThrow(/`cache`/);
    expect(() => createNavMapRouter({ cache, verifier: {} } as never)).toThrow(/`verifier`/);
  });
});
