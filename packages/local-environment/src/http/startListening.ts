import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A server listening on its port, and how to close it without waiting for keep-alive connections. */
export interface ListeningServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Listens on `port` (0: a free one) and tracks sockets so `close()` ends keep-alive connections at once. */
export function startListening(server: Server, port: number, host: string): Promise<ListeningServer> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const close = () =>
    new Promise<void>((resolveClose) => {
      if (!server.listening) return resolveClose();
      server.close(() => resolveClose());
      for (const socket of sockets) socket.destroy();
    });
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolveListen({ port: (server.address() as AddressInfo).port, close });
    });
  });
}

/** The host name to advertise: `localhost` for loopback binds, as the certificate and MSAL's knownAuthorities use it. */
export function urlHost(host: string): string {
  if (host === '127.0.0.1' || host === '::1' || host === 'localhost' || host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}
