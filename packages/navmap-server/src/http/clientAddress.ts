import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/** Which proxies in front of the server may name the client in `X-Forwarded-For`: Express's `trust proxy`. */
export type TrustProxy = (address: string, hop: number) => boolean;

/**
 * The config's `trustProxy` as Express compiles it: `true` trusts every hop, a number that many hops from the socket,
 * `false` none. The standalone app and its endpoint's fast path both use the result, so they see the same address.
 */
export function compileTrustProxy(setting: boolean | number): TrustProxy {
  if (setting === true) return () => true;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return proxyaddr.compile([]);
}

/**
 * The caller's address: Express's `request.ip` where Express set one (an embedding app's own `trust proxy` then
 * decides), else `X-Forwarded-For` read through `trust`.
 */
export function clientAddressOf(trust: TrustProxy): (request: IncomingMessage) => string | undefined {
  return (request) => (request as IncomingMessage & { ip?: string }).ip ?? proxyaddr(request, trust);
}
