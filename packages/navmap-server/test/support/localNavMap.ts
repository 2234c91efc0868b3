import { Writable } from 'node:stream';
import { startLocalEnvironment, type LocalEnvironmentOptions } from '@sdap/local-environment';
import { createServer, type CreateServerOptions, type NavMapServer } from '../../src/index.js';
import type { ServerConfig } from '../../src/config/configSchema.js';

export type LocalEnvironment = Awaited<ReturnType<typeof startLocalEnvironment>>;

export interface RequestCounts {
  metadata: number;
  records: number;
  upload: number;
  total: number;
}

/** The local environment plus the helpers every integration test needs. */
export interface Harness {
  readonly env: LocalEnvironment;
  readonly serverClient: { clientId: string; clientSecret: string };
  /** A real token from the local identity provider for the BFF audience, app role NavMap.Read. */
  callerToken(): Promise<string>;
  /** A real token from the local identity provider for Dataverse. */
  dataverseToken(): Promise<string>;
  admin(method: string, path: string, body?: unknown): Promise<Response>;
  counts(): Promise<RequestCounts>;
  /** Configuration for a NavMap server against this environment; overrides are merged one level deep. */
  config(overrides?: Partial<ServerConfig>): ServerConfig;
  /** Starts a NavMap server on 127.0.0.1:0; `logs` collects its JSON log lines. */
  start(overrides?: Partial<ServerConfig>, options?: CreateServerOptions): Promise<{ server: NavMapServer; url: string; logs: string[] }>;
  /** Closes the servers started since the last call. */
  closeServers(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the local environment (with the emulator's fidelity switches, if given) and the harness around it. */
export async function startHarness(fidelity?: LocalEnvironmentOptions['fidelity']): Promise<Harness> {
  const env = await startLocalEnvironment({ port: 0, ...(fidelity === undefined ? {} : { fidelity }) });
  const e2e = env.clients.find((client) => client.clientId === 'navmap-e2e');
  const server = env.clients.find((client) => client.clientId === 'navmap-server');
  if (e2e?.clientSecret === undefined || server?.clientSecret === undefined) {
    throw new Error('The local environment has no navmap-e2e / navmap-server confidential clients.');
  }
  const serverClient = { clientId: server.clientId, clientSecret: server.clientSecret };
  const running: NavMapServer[] = [];
  const tokens = new Map<string, Promise<string>>();
  const token = (clientId: string, secret: string, audience: string) => {
    const key = `${clientId} ${audience}`;
    if (!tokens.has(key)) tokens.set(key, env.getClientCredentialsToken(clientId, secret, audience));
    return tokens.get(key) as Promise<string>;
  };

  const harness: Harness = {
    env,
    serverClient,
    callerToken: () => token(e2e.clientId, e2e.clientSecret as string, env.bffAudience),
    dataverseToken: () => token(serverClient.clientId, serverClient.clientSecret, env.dataverseUrl),
    admin: (method, path, body) =>
      fetch(`${env.adminUrl}${path}`, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
      }),
    async counts() {
      return (await (await harness.admin('GET', '/requests')).json()) as RequestCounts;
    },
    config(overrides = {}) {
      const base: ServerConfig = {
        host: '127.0.0.1',
        port: 0,
        logLevel: 'info',
        dataverse: {
          url: env.dataverseUrl,
          auth: {
            kind: 'clientSecret',
            tenantId: env.tenantId,
            clientId: serverClient.clientId,
            clientSecret: serverClient.clientSecret,
            authorityHost: env.authorityHost,
          },
        },
        auth: { issuer: env.issuer, audience: env.bffAudience, requiredScopes: ['NavMap.Read'], requiredRoles: ['NavMap.Read'] },
        rateLimit: { enabled: false },
      };
      const merged: Record<string, unknown> = { ...base };
      for (const [key, value] of Object.entries(overrides)) {
        const current = merged[key];
        merged[key] =
          typeof value === 'object' && value !== null && !Array.isArray(value) && typeof current === 'object' && current !== null
            ? { ...current, ...value }
            : value;
      }
      return merged as ServerConfig;
    },
    async start(overrides = {}, options = {}) {
      const logs: string[] = [];
      const logDestination = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          logs.push(...chunk.toString().split('\n').filter((line) => line !== ''));
          callback();
        },
      });
      const navMap = createServer(harness.config(overrides), { logDestination, ...options });
      running.push(navMap);
      const { url } = await navMap.listen();
      return { server: navMap, url, logs };
    },
    async closeServers() {
      await Promise.all(running.splice(0).map((navMap) => navMap.close({ timeoutMs: 1_000 })));
    },
    async stop() {
      await harness.closeServers();
      await env.stop();
    },
  };
  return harness;
}

/** Decodes a JWT's payload (no verification), to build attack tokens from real claims. */
export function jwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
}

export function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` returns true or `timeoutMs` passes. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(50);
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
}
