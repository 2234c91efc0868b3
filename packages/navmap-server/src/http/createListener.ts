import { createServer as createHttpServer, maxHeaderSize, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { Server as NetServer, type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { NAVMAP_ENDPOINT_PATH, NavMapError } from '@sdap/navmap-sdk';
import type { ResolvedServerConfig } from '../config/resolveServerConfig.js';
import { SERVER_LIMITS } from '../limits.js';
import { answerClientError, rawErrorResponse, type ClientErrorAnswer } from './answerClientError.js';
import { errorAnswer } from './answerNavMapRequest.js';
import type { NavMapMetrics } from './createNavMapMetrics.js';

/** The response Node is writing on a connection now (its internal `_httpMessage`); later pipelined ones wait behind it. */
type ConnectionSocket = Duplex & { _httpMessage?: ServerResponse | null; [PIPELINED]?: number };
const PIPELINED = Symbol('navmap.pipelinedRequests');

/**
 * A request listener that closes a connection with more than `maxPipelinedRequests` requests waiting behind the one
 * being answered: Node runs the handler of every pipelined request at once, so a client that writes thousands in one
 * packet and never reads would otherwise get them all worked on. Requests on their own (the usual case) cost one
 * comparison.
 */
function boundPipelining(handler: RequestListener): RequestListener {
  return (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket as unknown as ConnectionSocket;
    if (socket.destroyed) return;
    if (socket._httpMessage !== response) {
      const waiting = (socket[PIPELINED] ?? 0) + 1;
      if (waiting > SERVER_LIMITS.maxPipelinedRequests) {
        socket.destroy();
        return;
      }
      socket[PIPELINED] = waiting;
      response.once('close', () => {
        socket[PIPELINED] = (socket[PIPELINED] ?? 1) - 1;
      });
    }
    handler(request, response);
  };
}

/** True when a request line in `packet` (the bytes Node refused) is longer than the URL limit. */
function isUrlTooLong(packet: Buffer | undefined): boolean {
  if (packet === undefined) return false;
  const lineEnd = packet.indexOf('\r\n');
  return lineEnd < 0 ? packet.length > SERVER_LIMITS.maxUrlBytes : lineEnd > SERVER_LIMITS.maxUrlBytes;
}

/**
 * An `http.Server` for an app with the server's limits: header and request timeouts, keep-alive, requests per
 * connection, pipelining, and answers in the contract's shape for what Node refuses before the app sees it (parse
 * errors, CONNECT, an `Expect` other than 100-continue).
 */
export function createListener(handler: RequestListener, config: ResolvedServerConfig, metrics: NavMapMetrics): Server {
  const limits = {
    headersTimeoutSeconds: config.http.headersTimeoutSeconds,
    requestTimeoutSeconds: config.http.requestTimeoutSeconds,
    maxHeaderBytes: maxHeaderSize,
  };
  const server = createHttpServer(
    {
      headersTimeout: config.http.headersTimeoutSeconds * 1000,
      requestTimeout: config.http.requestTimeoutSeconds * 1000,
      keepAliveTimeout: config.http.keepAliveTimeoutSeconds * 1000,
      // Node checks the two timeouts above only this often (30 s by default), which let slow clients hold sockets
      // for a minute and a half.
      connectionsCheckingInterval: Math.min(1_000, config.http.headersTimeoutSeconds * 500),
      // Node's own check answers an empty 400; the app answers it in the contract's shape.
      requireHostHeader: false,
    },
    boundPipelining(handler),
  );
  server.maxRequestsPerSocket = SERVER_LIMITS.maxRequestsPerSocket;
  // Past maxRequestsPerSocket Node would answer an empty 503: the client ignored `Connection: close`.
  server.on('dropRequest', (_request: IncomingMessage, socket: Duplex) => socket.destroy());
  server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex) => {
    let answer = answerClientError(error.code, limits);
    if (answer !== undefined && error.code === 'HPE_HEADER_OVERFLOW' && isUrlTooLong(error.rawPacket)) {
      answer = { status: 414, error: new NavMapError('bad_request', `The request URL is longer than ${SERVER_LIMITS.maxUrlBytes} bytes.`) };
    }
    answerParseError(answer, socket as ConnectionSocket, metrics);
  });
  // Without a listener Node drops a CONNECT request's connection without a word.
  server.on('connect', (_request, socket: Socket) => {
    metrics.httpRequests.inc({ route: 'other', status: '405' });
    const error = new NavMapError('bad_request', `CONNECT is not supported; the NavMap is served at GET ${NAVMAP_ENDPOINT_PATH}.`);
    socket.end(rawErrorResponse({ status: 405, error }, { Allow: 'GET, HEAD' }));
  });
  // Node's own 417 has an empty body.
  server.on('checkExpectation', (_request: IncomingMessage, response: ServerResponse) => {
    const answer = errorAnswer(new NavMapError('bad_request', 'The Expect header can only be 100-continue; send the request without it.'), 417);
    response.writeHead(answer.status, { ...answer.headers, Connection: 'close' }).end(answer.body);
  });
  return server;
}

/**
 * What Node's parser refused: answered in the contract's shape, unless an earlier request on the connection is still
 * being answered. Its answer must come first and nothing may follow it (the client would read the error as the answer
 * to the earlier request), so the connection then closes after that answer, without one for the refused bytes.
 */
function answerParseError(answer: ClientErrorAnswer | undefined, socket: ConnectionSocket, metrics: NavMapMetrics): void {
  const pending = socket._httpMessage;
  if (answer === undefined || !socket.writable) {
    socket.destroy();
    return;
  }
  if (pending !== undefined && pending !== null) {
    // After the earlier answer: end, and a client that never reads it must not hold the socket.
    const close = () => {
      socket.end();
      setTimeout(() => socket.destroy(), 1_000).unref();
    };
    if (pending.writableFinished) close();
    else {
      if (!pending.headersSent) pending.shouldKeepAlive = false;
      pending.once('finish', close);
      pending.once('close', () => socket.destroy());
    }
    return;
  }
  metrics.httpRequests.inc({ route: 'other', status: String(answer.status) });
  socket.end(rawErrorResponse(answer));
  // A client that never reads its answer must not hold the socket.
  setTimeout(() => socket.destroy(), 1_000).unref();
}

/** Listens on `port`/`host`; resolves with a URL a client on this machine can use. */
export function listenOn(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve(`http://${shownHost === '0.0.0.0' || shownHost === '[::]' ? '127.0.0.1' : shownHost}:${address.port}`);
    });
  });
}

/**
 * Stops accepting and waits until the server's connections have ended. `http.Server#close()` would also close idle
 * keep-alive connections at once (Node >= 19), and a client whose next request was already on its way then meets a
 * reset; `net.Server#close()` only stops accepting, so idle connections end at the keep-alive timeout the server
 * announced (`Keep-Alive: timeout=N`), and requests arriving meanwhile are answered with `Connection: close`.
 */
export function drain(server: Server, timeoutMs: number): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), timeoutMs);
    force.unref();
    NetServer.prototype.close.call(server, () => {
      clearTimeout(force);
      // Stops http.Server's timeout checks; no connection is left to close.
      server.close();
      resolve();
    });
  });
}
