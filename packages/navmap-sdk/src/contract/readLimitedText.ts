import { NAVMAP_LIMITS, type NavMapLimit } from './navMapLimits.js';
import { NavMapError } from './NavMapError.js';

/**
 * A response body as text, read as a stream and cancelled at `NAVMAP_LIMITS[limit]` bytes: fetch decompresses gzip
 * itself, so neither `Content-Length` nor `response.json()` bounds the memory a small compressed body can take.
 *
 * @throws {NavMapError} `invalid_response` naming the limit; a failed read (the connection closed early, an abort)
 * passes through as it is.
 */
export async function readLimitedText(response: Response, limit: NavMapLimit, what: string): Promise<string> {
  const maxBytes = NAVMAP_LIMITS[limit];
  const reader = response.body?.getReader();
  if (reader === undefined) return '';
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      void reader.cancel().catch(() => undefined);
      throw new NavMapError('invalid_response', `${what} is larger than ${maxBytes} bytes (limit \`${limit}\`).`);
    }
    text += decoder.decode(value, { stream: true });
  }
}
