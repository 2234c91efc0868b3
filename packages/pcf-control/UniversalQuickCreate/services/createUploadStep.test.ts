import { describe, expect, it, vi } from 'vitest';
import type { HostRecord } from '../host/readHostRecord';
import type { DriveItem, UploadFileOptions } from '../upload/uploadFile';
import { createContainerLookup, type RecordReader } from './createContainerLookup';
import { createUploadStep } from './createUploadStep';

const matter: HostRecord = { kind: 'saved', entityName: 'sprk_matter', id: '3a785f76-c773-f011-b4cb-6045bdd8b757' };
const stored: DriveItem = { id: '01ITEM', name: 'A.pdf', size: 3, parentReference: { driveId: 'b!drive' } };

/** A webAPI whose parent records carry the container column as Dataverse returns it. */
function recordsWith(containerColumn: string, value: unknown) {
  return { retrieveRecord: vi.fn<RecordReader['retrieveRecord']>(async () => ({ [containerColumn]: value })) };
}

function stepFor(host: HostRecord, webAPI: RecordReader, uploadFile = vi.fn(async (_options: UploadFileOptions) => stored)) {
  const upload = createUploadStep({
    bffBaseUrl: 'https://bff.contoso.com',
    uploadSessionThresholdBytes: 4 * 1024 * 1024,
    getAccessToken: async () => 'token',
    host: () => host,
    containerIdOf: createContainerLookup(() => webAPI, 'sprk_containerid'),
    uploadFile,
  });
  return { upload, uploadFile };
}

describe('createUploadStep', () => {
  it('stores the file in the container of the form record, through the BFF, with the threshold and the token provider', async () => {
    const webAPI = recordsWith('sprk_containerid', 'b!container-1');
    const { upload, uploadFile } = stepFor(matter, webAPI);
    const progress: number[] = [];
    await expect(upload(new File(['abc'], 'A.pdf'), (sent) => progress.push(sent))).resolves.toEqual(stored);

    expect(webAPI.retrieveRecord).toHaveBeenCalledExactlyOnceWith('sprk_matter', matter.kind === 'saved' ? matter.id : '', '?$select=sprk_containerid');
    const options = uploadFile.mock.calls[0]?.[0];
    expect(options).toMatchObject({ bffBaseUrl: 'https://bff.contoso.com', containerId: 'b!container-1', thresholdBytes: 4 * 1024 * 1024 });
    expect(options?.file.name).toBe('A.pdf');
    await expect(options?.getAccessToken()).resolves.toBe('token');
    options?.onProgress?.(2, 3);
    expect(progress).toEqual([2]);
  });

  it('reads the container once per record for several files', async () => {
    const webAPI = recordsWith('sprk_containerid', 'b!container-1');
    const { upload, uploadFile } = stepFor(matter, webAPI);
    await Promise.all([upload(new File(['a'], 'A.pdf'), () => undefined), upload(new File(['b'], 'B.pdf'), () => undefined)]);
    expect(webAPI.retrieveRecord).toHaveBeenCalledOnce();
    expect(uploadFile).toHaveBeenCalledTimes(2);
  });

  it('says the record has no container, naming the column, and asks again on the next attempt', async () => {
    const webAPI = recordsWith('sprk_containerid', '  ');
    const { upload, uploadFile } = stepFor(matter, webAPI);
    const attempt = () => upload(new File(['a'], 'A.pdf'), () => undefined);
    await expect(attempt()).rejects.toThrow('This sprk_matter has no SharePoint Embedded container (column sprk_containerid is empty). Ask an administrator to provision one.');
    webAPI.retrieveRecord.mockResolvedValueOnce({ sprk_containerid: 'b!provisioned' });
    await expect(attempt()).resolves.toEqual(stored);
    expect(webAPI.retrieveRecord).toHaveBeenCalledTimes(2);
    expect(uploadFile.mock.calls[0]?.[0].containerId).toBe('b!provisioned');
  });

  it('refuses an unsaved record before reading anything or sending a byte', async () => {
    const webAPI = recordsWith('sprk_containerid', 'b!container-1');
    const { upload, uploadFile } = stepFor({ kind: 'unsaved', entityName: 'sprk_matter' }, webAPI);
    await expect(upload(new File(['a'], 'A.pdf'), () => undefined)).rejects.toThrow('Save the record before adding documents.');
    expect(webAPI.retrieveRecord).not.toHaveBeenCalled();
    expect(uploadFile).not.toHaveBeenCalled();
  });

  it('passes the upload API failure to the row unchanged', async () => {
    const refused = new Error('Upload failed with HTTP 413: Payload Too Large');
    const { upload } = stepFor(matter, recordsWith('sprk_containerid', 'b!c'), vi.fn(async () => Promise.reject(refused)));
    await expect(upload(new File(['a'], 'A.pdf'), () => undefined)).rejects.toBe(refused);
  });
});
