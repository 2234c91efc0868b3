// Shared test support, used by the integration tests in test/navmap-server/ that need Dataverse to answer badly.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the fake answers one Dataverse request instead of passing it on; `undefined` passes it on. */
export type DataverseOverride = (request: { readonly url: string; readonly headers: IncomingHttpHeaders }, response: ServerResponse) => boolean | undefined;

/** A Dataverse stand-in on loopback (plain http): passes requests on to the emulator unless told to answer itself. */
export interface FakeDataverse {
  /** `http://127.0.0.1:<port>`: use as `dataverse.url` with `auth: { kind: 'none' }`. */
  readonly url: string;
  /** Every request it received, oldest first: path and the `Consistency` header. */
  readonly requests: { readonly url: string; readonly consistency: string | undefined }[];
  /** Answers requests with `override` (until `passThrough()`); it returns false to pass a request on. */
  answer(override: DataverseOverride): void;
  passThrough(): void;
  close(): Promise<void>;
}

/**
 * A loopback Dataverse for hostile answers: by default it forwards each request to the local Dataverse emulator with
 * the emulator's token, so the first map is real; `answer()` then replaces the emulator with what a test needs (a huge
 * body, a 500 with a long message, a slow answer).
 */
export async function startFakeDataverse(upstream: string, token: () => Promise<string>): Promise<FakeDataverse> {
  let override: DataverseOverride | undefined;
  const requests: { url: string; consistency: string | undefined }[] = [];
  const server: Server = createServer((request, response) => {
    const url = request.url ?? '/';
    const consistency = request.headers.consistency;
    requests.push({ url, consistency: typeof consistency === 'string' ? consistency : undefined });
    if (override?.({ url, headers: request.headers }, response) === true) return;
    void (async () => {
      try {
        const upstreamResponse = await fetch(`${upstream}${url}`, {
          headers: {
            Authorization: `Bearer ${await token()}`,
            Accept: 'application/json',
            ...(typeof consistency === 'string' ? { Consistency: consistency } : {}),
          },
        });
        const body = Buffer.from(await upstreamResponse.arrayBuffer());
        response.writeHead(upstreamResponse.status, { 'Content-Type': upstreamResponse.headers.get('content-type') ?? 'application/json' });
        response.end(body);
      } catch (error) {
        response.writeHead(502).end(String(error));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    answer(next) {
      override = next;
    },
    passThrough() {
      override = undefined;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
