/**
 * What counts as a secret in the configuration: a key path naming a secret, password, connection string or bearer
 * token, and the user name and password of any URL. The one rule behind error messages, `maskConfig`, `check-config`
 * and the log redaction.
 */
const SECRET_KEY = /secret|password|connectionstring|bearertoken/i;
const URL_CREDENTIALS = /^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i;

/** The mask shown instead of a secret. */
export const MASK = '********';

/** True when the value at this configuration key path (`dataverse.auth.clientSecret`) is a secret. */
export function isSecretKey(path: string): boolean {
  return SECRET_KEY.test(path);
}

/** A URL with its user name and password replaced, so `https://user:pass@host` prints as `https://***@host`. */
export function maskUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, '$1***@');
}

/** `value` with every secret key's value masked and URL credentials hidden in every string, at any depth. */
export function maskSecrets<T>(value: T, path = ''): T {
  if (path !== '' && isSecretKey(path) && value !== undefined) return MASK as T;
  if (typeof value === 'string') return maskUrlCredentials(value) as T;
  if (Array.isArray(value)) return value.map((item) => maskSecrets(item, path)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskSecrets(item, path === '' ? key : `${path}.${key}`)])) as T;
  }
  return value;
}

/**
 * pino `redact` paths for a logger that may log requests and the configuration: credentials in request headers and
 * every secret key of the configuration under `config` (logged masked already; this is the second line).
 */
export function logRedactPaths(secretKeys: readonly string[]): string[] {
  return ['req.headers.authorization', 'req.headers.cookie', ...secretKeys.filter(isSecretKey).map((key) => `config.${key}`)];
}
