import { describe, expect, it } from 'vitest';
import { sdapSeed, type SeedRecord } from '../dataverse/sdapSeed.js';
import { startTestEnvironment } from '../../test/startTestEnvironment.js';

const driveId = (sdapSeed.records.sprk_matter[0] as SeedRecord).containerId;

describe('upload session expiry', () => {
  it('answers an expired session as Graph does, 404 itemNotFound, on the chunk endpoint and the uploadUrl', async () => {
    const shortLived = await startTestEnvironment({ uploadSessionTtlSeconds: 0.2 });
    try {
      const bffToken = await shortLived.getClientCredentialsToken('navmap-e2e', 'navmap-e2e-secret', shortLived.bffAudience);
      const headers = { Authorization: `Bearer ${bffToken}` };
      const created = await fetch(`${shortLived.bffUrl}/api/obo/drives/${driveId}/upload-session?path=late-${Date.now()}.bin`, { method: 'POST', headers });
      const { uploadUrl, expirationDateTime } = (await created.json()) as { uploadUrl: string; expirationDateTime: string };
      await new Promise((resolve) => setTimeout(resolve, Date.parse(expirationDateTime) - Date.now() + 50));

      const chunk = await fetch(`${shortLived.bffUrl}/api/obo/upload-session/chunk`, {
        method: 'PUT',
        headers: { ...headers, 'Upload-Session-Url': uploadUrl, 'Content-Range': 'bytes 0-2/3' },
        body: new Uint8Array([1, 2, 3]),
      });
      expect(chunk.status).toBe(404);
      expect(((await chunk.json()) as { code: string }).code).toBe('itemNotFound');
      const status = await fetch(uploadUrl, { headers });
      expect(status.status).toBe(404);
      expect(((await status.json()) as { code: string }).code).toBe('itemNotFound');
    } finally {
      await shortLived.stop();
    }
  });

  it('refuses an upload session lifetime that is not a positive number of seconds', async () => {
    await expect(startTestEnvironment({ uploadSessionTtlSeconds: 0 })).rejects.toThrow(/`uploadSessionTtlSeconds`/);
  });
});

