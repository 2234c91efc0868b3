import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** POSTs a form (the OAuth token endpoint's format), trusting `ca` for https, and reads the whole answer. */
export function postForm(url: string, form: URLSearchParams, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolvePost, reject) => {
    const target = new URL(url);
    const body = form.toString();
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(
      target,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) },
        ...(target.protocol === 'https:' ? { ca } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolvePost({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
