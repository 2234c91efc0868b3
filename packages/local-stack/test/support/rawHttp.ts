// Shared test support, used by the raw-socket integration tests in test/navmap-server/ (hostile HTTP, abuse, fuzzing, shutdown).
import { connect, type Socket } from 'node:net';

/** One HTTP/1.1 response as read off a socket, with nothing normalized away. */
export interface RawResponse {
  readonly status: number;
  /** Header names in lower case; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The whole response as received (status line, headers, body). */
  readonly raw: string;
}

/** How a request over a raw socket ended. */
export type RawOutcome =
  | { readonly kind: 'answered'; readonly response: RawResponse; readonly closedAfter: boolean }
  | { readonly kind: 'closed'; readonly error?: string }
  | { readonly kind: 'hang' };

function parseHead(head: string): { status: number; headers: Record<string, string> } {
  const [statusLine = '', ...lines] = head.split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? Number.NaN);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return { status, headers };
}

/** The length of the first complete response in `buffer`, or undefined while it is incomplete. */
function completeLength(buffer: Buffer, bodyless: boolean, ended: boolean): { length: number; response: RawResponse } | undefined {
  const headEnd = buffer.indexOf('\r\n\r\n');
  if (headEnd < 0) return undefined;
  const head = buffer.subarray(0, headEnd).toString('latin1');
  const { status, headers } = parseHead(head);
  const bodyStart = headEnd + 4;
  let bodyEnd: number | undefined;
  let body: Buffer;
  if (bodyless || status === 204 || status === 304 || (status >= 100 && status < 200)) {
    bodyEnd = bodyStart;
    body = Buffer.alloc(0);
  } else if (headers['content-length'] !== undefined) {
    const end = bodyStart + Number(headers['content-length']);
    if (buffer.length < end) return undefined;
    bodyEnd = end;
    body = buffer.subarray(bodyStart, end);
  } else if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
    const chunks: Buffer[] = [];
    let at = bodyStart;
    for (;;) {
      const lineEnd = buffer.indexOf('\r\n', at);
      if (lineEnd < 0) return undefined;
      const size = Number.parseInt(buffer.subarray(at, lineEnd).toString('latin1'), 16);
      if (size === 0) {
        const trailerEnd = buffer.indexOf('\r\n\r\n', lineEnd);
        if (trailerEnd < 0 && buffer.length < lineEnd + 4) return undefined;
        bodyEnd = trailerEnd < 0 ? lineEnd + 4 : trailerEnd + 4;
        break;
      }
      if (buffer.length < lineEnd + 2 + size + 2) return undefined;
      chunks.push(buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
    body = Buffer.concat(chunks);
  } else {
    if (!ended) return undefined;
    bodyEnd = buffer.length;
    body = buffer.subarray(bodyStart);
  }
  return { length: bodyEnd, response: { status, headers, body: body.toString('utf8'), raw: buffer.subarray(0, bodyEnd).toString('latin1') } };
}

/**
 * A client connection that writes exactly the bytes it is given: for requests `fetch` refuses to send (lower-case
 * methods, control characters, oversized headers, keep-alive timing across a shutdown).
 */
export class RawConnection {
  readonly socket: Socket;
  #buffer = Buffer.alloc(0);
  #ended = false;
  #error: string | undefined;
  #waiters: (() => void)[] = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    const wake = () => {
      for (const waiter of this.#waiters.splice(0)) waiter();
    };
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      wake();
    });
    socket.on('end', () => {
      this.#ended = true;
      wake();
    });
    socket.on('close', () => {
      this.#ended = true;
      wake();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.#error = error.code ?? error.message;
      this.#ended = true;
      wake();
    });
  }

  static open(port: number, host = '127.0.0.1'): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, host);
      socket.once('connect', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  /** True once the server closed (or reset) the connection. */
  get ended(): boolean {
    return this.#ended;
  }

  write(bytes: string | Buffer): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  /** Writes `bytes` (if any) and reads one response, or how the connection ended instead. */
  async exchange(bytes: string | Buffer | undefined, { timeoutMs = 5_000, bodyless = false } = {}): Promise<RawOutcome> {
    if (bytes !== undefined) this.write(bytes);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const complete = completeLength(this.#buffer, bodyless, this.#ended);
      if (complete !== undefined && complete.response.status >= 100 && complete.response.status < 200) {
        // An interim answer (100 Continue): the final one follows.
        this.#buffer = this.#buffer.subarray(complete.length);
        continue;
      }
      if (complete !== undefined) {
        this.#buffer = this.#buffer.subarray(complete.length);
        // Let a close that follows the answer at once be seen.
        await new Promise((resolve) => setTimeout(resolve, 5));
        return { kind: 'answered', response: complete.response, closedAfter: this.#ended && this.#buffer.length === 0 };
      }
      if (this.#ended) return { kind: 'closed', ...(this.#error === undefined ? {} : { error: this.#error }) };
      const left = deadline - Date.now();
      if (left <= 0) return { kind: 'hang' };
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

/** One request on its own connection. */
export async function rawExchange(port: number, bytes: string | Buffer, options: { timeoutMs?: number; bodyless?: boolean } = {}): Promise<RawOutcome> {
  const connection = await RawConnection.open(port);
  try {
    return await connection.exchange(bytes, options);
  } finally {
    connection.close();
  }
}
