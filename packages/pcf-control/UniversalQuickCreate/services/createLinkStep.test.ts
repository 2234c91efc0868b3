import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNavMapClient, type NavMapClientEvent } from '@sdap/navmap-sdk/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HostRecord } from '../host/readHostRecord';
import type { DriveItem } from '../upload/uploadFile';
import { createLinkStep, type RecordCreator } from './createLinkStep';

const MATTER_ID = '3a785f76-c773-f011-b4cb-6045bdd8b757';
const matter: HostRecord = { kind: 'saved', entityName: 'sprk_matter', id: `{${MATTER_ID.toUpperCase()}}` };
const stored: DriveItem = { id: '01ITEM', name: 'A.pdf', size: 3, webUrl: 'https://contoso.sharepoint.com/A.pdf', parentReference: { driveId: 'b!drive' } };
const file = new File(['abc'], 'A.pdf', { type: 'application/pdf' });

// The NavMap endpoint on a real socket; `navProperty` is what it serves for sprk_matter now (a test renames it).
let navProperty = 'sprk_Matter';
let server: Server;
let baseUrl = '';
let environmentCount = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    // Each test's client has its own base path /<org>/, which names the environment the map is for.
    const environment = `https://${(request.url ?? '/').split('/')[1]}.crm.dynamics.com`;
    response.setHeader('Content-Type', 'application/json');
    response.end(
      JSON.stringify({
        version: '1',
        environment,
        childEntity: 'sprk_document',
        generatedAt: new Date().toISOString(),
        parents: { sprk_matter: { entitySet: 'sprk_matters', lookupAttribute: 'sprk_matter', navProperty, collectionNavProperty: 'sprk_matter_document' } },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Dataverse's create as the reference describes it: only the exact-case navigation property binds. */
function dataverse(): RecordCreator & { createRecord: ReturnType<typeof vi.fn> } {
  return {
    createRecord: vi.fn(async (_entity: string, data: Record<string, unknown>) => {
      const key = Object.keys(data).find((name) => name.endsWith('@odata.bind')) ?? '';
      if (key !== 'sprk_Matter@odata.bind') {
        throw Object.assign(new Error(`An undeclared property '${key.replace('@odata.bind', '')}' which only has property annotations in the payload but no property value was found in the payload.`), { errorCode: 0x80048d19, status: 400 });
      }
      return { id: '{B1C2D3E4-0000-0000-0000-000000000001}', entityType: 'sprk_document' };
    }),
  };
}

function linkStepFor(webAPI: RecordCreator, host: HostRecord = matter) {
  const events: NavMapClientEvent[] = [];
  const logger = { log: vi.fn(), warn: vi.fn(), error: vi.fn() };
  // A new environment per test: clients on one page share their map per environment.
  const org = `org${++environmentCount}`;
  const environment = `https://${org}.crm.dynamics.com`;
  const navMap = createNavMapClient({
    baseUrl: `${baseUrl}/${org}`,
    getAccessToken: () => 'token',
    environment,
    storage: 'memory',
    onEvent: (event) => events.push(event),
    logger,
  });
  const link = createLinkStep({
    navMap,
    webAPI: () => webAPI,
    host: () => host,
    containerIdOf: async () => 'b!container-1',
    clientUrl: () => environment,
    logger,
  });
  return { link, events, logger, environment, navMap };
}

describe('createLinkStep', () => {
  it('creates the sprk_document with the reference columns and the bind from the NavMap, and reports DocumentCreated', async () => {
    navProperty = 'sprk_Matter';
    const webAPI = dataverse();
    const { link, events, logger, environment } = linkStepFor(webAPI);

    const linked = await link(file, stored, '  Signed contract ');

    expect(linked).toEqual({
      recordId: 'b1c2d3e4-0000-0000-0000-000000000001',
      recordUrl: `${environment}/main.aspx?etn=sprk_document&id=b1c2d3e4-0000-0000-0000-000000000001&pagetype=entityrecord`,
    });
    expect(webAPI.createRecord).toHaveBeenCalledExactlyOnceWith('sprk_document', {
      sprk_documentname: 'A.pdf',
      sprk_filename: 'A.pdf',
      sprk_filesize: 3,
      sprk_mimetype: 'application/pdf',
      sprk_hasfile: true,
      sprk_graphdriveid: 'b!drive',
      sprk_graphitemid: '01ITEM',
      sprk_filepath: 'https://contoso.sharepoint.com/A.pdf',
      sprk_containerid: 'b!container-1',
      sprk_description: 'Signed contract',
      'sprk_Matter@odata.bind': `/sprk_matters(${MATTER_ID})`,
    });
    expect(events.find((event) => event.name === 'DocumentCreated')).toMatchObject({ parentEntity: 'sprk_matter', source: 'server', retried: false });
    expect(logger.log).toHaveBeenCalledWith(`[DocumentRecordService] Using server metadata for 'sprk_matter': sprk_Matter@odata.bind (map from server)`);
    expect(logger.log).toHaveBeenCalledWith(`[UniversalQuickCreate] Created sprk_document b1c2d3e4-0000-0000-0000-000000000001 for sprk_matter with 'sprk_Matter@odata.bind'`);
  });

  it('reloads the map from the server and retries once when Dataverse refuses the bind (0x80048d19)', async () => {
    const webAPI = dataverse();
    const { link, events, navMap } = linkStepFor(webAPI);
    navProperty = 'sprk_matter';
    await navMap.load(); // the map the browser holds has the wrong case
    navProperty = 'sprk_Matter'; // the server has re-read the metadata since

    await expect(link(file, stored, '')).resolves.toMatchObject({ recordId: 'b1c2d3e4-0000-0000-0000-000000000001' });

    expect(webAPI.createRecord.mock.calls.map(([, data]) => Object.keys(data as object).find((key) => key.endsWith('@odata.bind')))).toEqual([
      'sprk_matter@odata.bind',
      'sprk_Matter@odata.bind',
    ]);
    expect(events.find((event) => event.name === 'DocumentCreated')).toMatchObject({ retried: true });
  });

  it('reports DocumentCreateFailed with Dataverse\'s hex code and passes the refusal to the row', async () => {
    navProperty = 'sprk_Matter';
    const refused = Object.assign(new Error('Principal user is missing prvCreatesprk_document privilege.'), { errorCode: 0x80040220, status: 403 });
    const webAPI = { createRecord: vi.fn(async () => Promise.reject(refused)) };
    const { link, events, logger } = linkStepFor(webAPI);

    await expect(link(file, stored, '')).rejects.toBe(refused);

    expect(webAPI.createRecord).toHaveBeenCalledOnce();
    expect(events.find((event) => event.name === 'DocumentCreateFailed')).toMatchObject({
      parentEntity: 'sprk_matter',
      errorCode: '0x80040220',
      message: 'Principal user is missing prvCreatesprk_document privilege.',
      source: 'server',
      retried: false,
    });
    expect(logger.error).toHaveBeenCalledWith(expect.stringContaining("with 'sprk_Matter@odata.bind' failed: Principal user is missing"));
  });

  it('reports unsupported_parent for a table the NavMap does not have, without calling Dataverse', async () => {
    const webAPI = dataverse();
    const { link, events } = linkStepFor(webAPI, { kind: 'saved', entityName: 'lead', id: MATTER_ID });
    await expect(link(file, stored, '')).rejects.toMatchObject({ code: 'unsupported_parent' });
    expect(webAPI.createRecord).not.toHaveBeenCalled();
    expect(events.find((event) => event.name === 'DocumentCreateFailed')).toMatchObject({ parentEntity: 'lead', errorCode: 'unsupported_parent' });
  });

  it('refuses an unsaved record', async () => {
    const { link } = linkStepFor(dataverse(), { kind: 'unsaved', entityName: 'sprk_matter' });
    await expect(link(file, stored, '')).rejects.toThrow('Save the record before adding documents.');
  });
});
