/** A response from the BFF upload API, body parsed when it is JSON. */
export interface UploadResponse {
  readonly status: number;
  readonly body: unknown;
}

export interface SendRequestOptions {
  readonly method: 'PUT' | 'POST';
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: Blob;
  /** Bytes of this request's body sent so far. */
  readonly onProgress?: (sentBytes: number) => void;
  readonly signal?: AbortSignal;
}

/** Thrown when the network fails or the request is aborted; HTTP errors come back as responses. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
}

/**
 * One HTTP request with upload progress. fetch() reports no upload progress in browsers, XMLHttpRequest does.
 */
export function sendRequest(options: SendRequestOptions): Promise<UploadResponse> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open(options.method, options.url);
    for (const [name, value] of Object.entries(options.headers)) request.setRequestHeader(name, value);
    if (options.onProgress) {
      const report = options.onProgress;
      request.upload.addEventListener('progress', (event) => report(event.loaded));
    }
    request.addEventListener('load', () => {
      let body: unknown = request.responseText;
      if ((request.getResponseHeader('Content-Type') ?? '').includes('json') && request.responseText) {
        try {
          body = JSON.parse(request.responseText);
        } catch {
          // keep the text: the caller reports it
        }
      }
      resolve({ status: request.status, body });
    });
    request.addEventListener('error', () => reject(new NetworkError(`Could not reach ${new URL(options.url).origin}.`)));
    request.addEventListener('abort', () => reject(new NetworkError('The upload was cancelled.')));
    options.signal?.addEventListener('abort', () => request.abort(), { once: true });
    request.send(options.body ?? null);
  });
}
