import dns from 'node:dns';

/** The host of the identity provider's Entra-shaped sign-in: a `login.` name, as Entra ID's `login.microsoftonline.com`. */
export const SIGN_IN_HOST = 'login.localhost';

const patched = Symbol.for('navmap.localhostNames');

function isLocalhostName(hostname: unknown): hostname is string {
  return typeof hostname === 'string' && hostname.toLowerCase().endsWith('.localhost');
}

/**
 * Makes this Node process resolve `*.localhost` names (such as `login.localhost`) to loopback, as RFC 6761 asks and
 * as Chromium already does; glibc's resolver answers ENOTFOUND for them. Affects `dns.lookup`, which `http`,
 * `https`, `net` and `fetch` use; other names resolve as before. Idempotent.
 *
 * @example
 * resolveLocalhostNames();
 * await fetch('https://login.localhost:7073/.well-known/openid-configuration');
 */
export function resolveLocalhostNames(): void {
  const target = dns as typeof dns & { [patched]?: true };
  if (target[patched]) return;
  const lookup = dns.lookup;
  target.lookup = function lookupLocalhostNames(hostname: string, ...rest: unknown[]) {
    return (lookup as (...args: unknown[]) => void).call(dns, isLocalhostName(hostname) ? 'localhost' : hostname, ...rest);
  } as typeof dns.lookup;
  const lookupPromise = dns.promises.lookup;
  dns.promises.lookup = function lookupLocalhostNamesPromise(hostname: string, ...rest: unknown[]) {
    return (lookupPromise as (...args: unknown[]) => unknown).call(dns.promises, isLocalhostName(hostname) ? 'localhost' : hostname, ...rest);
  } as typeof dns.promises.lookup;
  target[patched] = true;
}
