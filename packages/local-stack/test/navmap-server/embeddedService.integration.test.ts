import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNavMapService, type NavMapService } from '@sdap/navmap-server';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { stack, useLocalStackPerFile } from '../support/localStackPerFile.js';
import { startFakeDataverse, type FakeDataverse } from '../support/startFakeDataverse.js';

/**
 * A BFF that embeds the endpoint: `createNavMapService` from the standalone server's configuration, mounted into a
 * plain Express 5 app, reads Dataverse as the standalone server does (a forced refresh with `Consistency: Strong`).
 */
useLocalStackPerFile();
let dataverse: FakeDataverse;
let service: NavMapService;
let bff: Server;

afterEach(async () => {
  service?.close();
  await new Promise((resolve) => bff?.close(resolve));
  await dataverse?.close();
});

async function mount(): Promise<string> {
  dataverse = await startFakeDataverse(stack.environment.dataverseUrl, () => stack.dataverseToken());
  service = createNavMapService(stack.serverConfig({ dataverse: { url: dataverse.url, auth: { kind: 'none' } }, logLevel: 'silent' }));
  const app = express();
  app.get('/api/other', (_request, response) => void response.json({ other: true }));
  app.use(service.router);
  bff = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return `http://127.0.0.1:${(bff.address() as AddressInfo).port}`;
}

describe('createNavMapService mounted in a plain Express 5 app', () => {
  it('answers the map and reads Dataverse with Consistency: Strong on a forced refresh (Cache-Control: no-cache)', async () => {
    const url = await mount();
    expect(await service.warm()).toBe(true);
    const warmReads = dataverse.requests.length;
    expect(warmReads).toBeGreaterThan(0);
    expect(dataverse.requests.every((request) => request.consistency === undefined)).toBe(true);

    const headers = { Authorization: `Bearer ${await stack.callerToken()}` };
    const cached = await fetch(`${url}/api/pcf/dataverse-navmap?v=1`, { headers });
    expect(cached.status).toBe(200);
    expect(cached.headers.get('x-navmap-source')).toBe('cache');
    expect(dataverse.requests.length).toBe(warmReads);

    const forced = await fetch(`${url}/api/pcf/dataverse-navmap?v=1`, { headers: { ...headers, 'Cache-Control': 'no-cache' } });
    expect(forced.status).toBe(200);
    expect(forced.headers.get('x-navmap-source')).toBe('dataverse');
    const forcedReads = dataverse.requests.slice(warmReads);
    expect(forcedReads.length).toBeGreaterThan(0);
    expect(forcedReads.every((request) => request.consistency === 'Strong')).toBe(true);
    // The host's own routes are untouched; other methods on the endpoint get 405.
    expect(await (await fetch(`${url}/api/other`)).json()).toEqual({ other: true });
    expect((await fetch(`${url}/api/pcf/dataverse-navmap?v=1`, { method: 'POST' })).status).toBe(405);
  });
});
