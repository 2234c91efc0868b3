import { requireSavedHost, type HostRecord, type SavedHostRecord } from '../host/readHostRecord';
import { uploadFile as sendFile, type DriveItem, type UploadFileOptions } from '../upload/uploadFile';

export interface UploadStepOptions {
  readonly bffBaseUrl: string;
  readonly uploadSessionThresholdBytes: number;
  readonly getAccessToken: () => Promise<string>;
  /** The form's record now (it changes when an unsaved record is saved). */
  readonly host: () => HostRecord;
  readonly containerIdOf: (record: SavedHostRecord) => Promise<string>;
  /** @default uploadFile (XMLHttpRequest to the BFF upload API) */
  readonly uploadFile?: (options: UploadFileOptions) => Promise<DriveItem>;
}

/** Stores one file in the SharePoint Embedded container of the form's record, through the BFF. */
export function createUploadStep(options: UploadStepOptions) {
  const uploadFile = options.uploadFile ?? sendFile;
  return async (file: File, onProgress: (sentBytes: number) => void): Promise<DriveItem> => {
    const record = requireSavedHost(options.host());
    return uploadFile({
      bffBaseUrl: options.bffBaseUrl,
      getAccessToken: options.getAccessToken,
      containerId: await options.containerIdOf(record),
      file,
      thresholdBytes: options.uploadSessionThresholdBytes,
      onProgress: (sent) => onProgress(sent),
    });
  };
}
