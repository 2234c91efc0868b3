import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { beforeAll, describe, expect, it } from 'vitest';
import { environment, useTestEnvironmentPerFile } from '../test/startTestEnvironment.js';

useTestEnvironmentPerFile();
let token: string;

beforeAll(async () => {
  token = await environment.getClientCredentialsToken('navmap-server', 'navmap-server-secret', environment.dataverseUrl);
});

/** A raw request, so headers can be larger or stranger than fetch allows. */
function raw(url: string, headers: Record<string, string>, method = 'GET', body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = url.startsWith('https:') ? httpsRequest : httpRequest;
    const outgoing = request(url, { method, headers }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

describe('bad input never crashes a service', () => {
  it('answers 431 to oversized headers and keeps serving', async () => {
    for (const base of [environment.dataverseUrl, environment.bffUrl]) {
      const response = await raw(`${base}/api/data/v9.2/WhoAmI`, { 'X-Padding': 'x'.repeat(64 * 1024) });
      expect(response.status).toBe(431);
    }
    expect((await raw(`${environment.dataverseUrl}/api/data/v9.2/WhoAmI`, { Authorization: `Bearer ${token}` })).status).toBe(200);
  });

  it('answers percent-encoding errors, odd methods and unknown paths with Dataverse errors', async () => {
    const badEscape = await raw(`${environment.dataverseUrl}/api/data/v9.2/EntityDefinitions(LogicalName=%27%E0%A4%A%27)`, { Authorization: `Bearer ${token}` });
    expect(badEscape.status).toBe(400);
    expect(JSON.parse(badEscape.body)).toMatchObject({ error: { code: '0x80060888' } });
    const deleteMetadata = await raw(`${environment.dataverseUrl}/api/data/v9.2/EntityDefinitions`, { Authorization: `Bearer ${token}` }, 'DELETE');
    expect(deleteMetadata.status).toBe(405);
    const putRecord = await raw(`${environment.dataverseUrl}/api/data/v9.2/accounts(d3e5a7c9-6c8e-4a9c-8e3a-7b9d1f3a5e51)`, { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, 'PUT', '{}');
    expect(putRecord.status).toBe(405);
    expect(JSON.parse(putRecord.body).error.message).toContain('does not emulate PUT');
    const outside = await raw(`${environment.dataverseUrl}/tools/diagnostics.aspx`, {});
    expect(outside.status).toBe(404);
    expect(JSON.parse(outside.body)).toMatchObject({ error: { code: '' } });
  });

  it('answers a binary body on create with the payload error', async () => {
    const response = await raw(
      `${environment.dataverseUrl}/api/data/v9.2/sprk_documents`,
      { Authorization: `Bearer ${token}`, 'Content-Type': 'application/octet-stream' },
      'POST',
      '\u0000\u0001\u0002',
    );
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: '0x80048d19' } });
  });

  it('answers CORS preflights without counting them', async () => {
    await environment.admin.reset();
    const preflight = await raw(`${environment.dataverseUrl}/api/data/v9.2/sprk_documents`, {
      Origin: 'http://localhost:5173',
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'authorization,content-type,prefer',
    }, 'OPTIONS');
    expect(preflight.status).toBe(204);
    expect(await environment.admin.requestCounts()).toMatchObject({ total: 0 });
  });
});
