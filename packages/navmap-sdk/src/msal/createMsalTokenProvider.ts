import {
  PublicClientApplication,
  type AccountInfo,
  type AuthenticationResult,
  type Configuration,
  type IPublicClientApplication,
} from '@azure/msal-browser';
import { NavMapError } from '../contract/NavMapError.js';

export interface MsalTokenProviderOptions {
  /** An application the control already has. Give this or `configuration`. */
  readonly msal?: IPublicClientApplication;
  /** Configuration for a new `PublicClientApplication`, created and initialized on first use. */
  readonly configuration?: Configuration;
  /** Scopes of the BFF, for example `['api://navmap-bff/NavMap.Read']`. */
  readonly scopes: readonly string[];
  /** The signed-in user's UPN (PCF: `context.userSettings.userName`), the hint for `ssoSilent`. */
  readonly loginHint?: string;
  /** Open a popup when the silent paths fail. Off by default: the control never blocks on a prompt. @default false */
  readonly allowInteraction?: boolean;
}

function describe(error: unknown): string {
  const code = (error as { errorCode?: unknown } | null)?.errorCode;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && code !== '' && !message.includes(code) ? `${code}: ${message}` : message;
}

/**
 * A `getAccessToken` for `createNavMapClient` on `@azure/msal-browser`: `acquireTokenSilent` for the active (or first)
 * account, then `ssoSilent` with the login hint, then a popup only when `allowInteraction` is true. Otherwise it
 * rejects at once with `NavMapError('unauthorized')` and the client falls back to its cache or bundled map.
 *
 * @throws {NavMapError} `invalid_config` at creation for bad options.
 * @example
 * const getAccessToken = createMsalTokenProvider({
 *   configuration: { auth: { clientId, authority: 'https://login.microsoftonline.com/<tenant>' } },
 *   scopes: ['api://navmap-bff/NavMap.Read'],
 *   loginHint: context.userSettings.userName,
 * });
 * const client = createNavMapClient({ baseUrl, getAccessToken, environment });
 */
export function createMsalTokenProvider(options: MsalTokenProviderOptions): () => Promise<string> {
  if (typeof options !== 'object' || options === null) throw NavMapError.invalidOption('options', 'an object');
  const { msal, configuration, scopes, loginHint, allowInteraction = false } = options;
  if ((msal === undefined) === (configuration === undefined)) {
    throw NavMapError.invalidOption('msal', 'given, or else `configuration` (exactly one of them)');
  }
  if (msal !== undefined && (typeof msal !== 'object' || msal === null || typeof msal.acquireTokenSilent !== 'function')) {
    throw NavMapError.invalidOption('msal', 'a PublicClientApplication');
  }
  if (!Array.isArray(scopes) || scopes.length === 0 || !scopes.every((scope) => typeof scope === 'string' && scope !== '')) {
    throw NavMapError.invalidOption('scopes', 'a non-empty array of scope strings such as ["api://navmap-bff/NavMap.Read"]');
  }
  if (loginHint !== undefined && (typeof loginHint !== 'string' || loginHint === '')) {
    throw NavMapError.invalidOption('loginHint', 'a non-empty string (the user principal name)');
  }
  if (typeof allowInteraction !== 'boolean') throw NavMapError.invalidOption('allowInteraction', 'a boolean');
  const requestScopes = [...scopes];

  let ready: Promise<IPublicClientApplication> | undefined;
  const application = (): Promise<IPublicClientApplication> =>
    (ready ??= (async () => {
      const instance = msal ?? new PublicClientApplication(configuration as Configuration);
      await instance.initialize(); // a no-op when the control already initialized it
      return instance;
    })().catch((error: unknown) => {
      ready = undefined;
      throw error;
    }));

  return async function getAccessToken(): Promise<string> {
    const failures: string[] = [];
    let app: IPublicClientApplication;
    try {
      app = await application();
    } catch (error) {
      throw new NavMapError('unauthorized', `MSAL could not be initialized: ${describe(error)}`, { cause: error });
    }
    const use = (result: AuthenticationResult): string => {
      if (result.account) app.setActiveAccount(result.account);
      return result.accessToken;
    };

    const account: AccountInfo | undefined = app.getActiveAccount() ?? app.getAllAccounts()[0];
    if (account) {
      try {
        return use(await app.acquireTokenSilent({ scopes: requestScopes, account }));
      } catch (error) {
        failures.push(`acquireTokenSilent: ${describe(error)}`);
      }
    } else {
      failures.push('acquireTokenSilent: no signed-in account');
    }
    const hint = loginHint ?? account?.username;
    try {
      return use(await app.ssoSilent({ scopes: requestScopes, ...(hint ? { loginHint: hint } : {}) }));
    } catch (error) {
      failures.push(`ssoSilent: ${describe(error)}`);
    }
    if (allowInteraction) {
      try {
        return use(await app.acquireTokenPopup({ scopes: requestScopes, ...(hint ? { loginHint: hint } : {}) }));
      } catch (error) {
        failures.push(`acquireTokenPopup: ${describe(error)}`);
      }
    }
    throw new NavMapError(
      'unauthorized',
      `No token for ${requestScopes.join(' ')} without interaction${allowInteraction ? ' or with a popup' : ''}: ${failures.join('; ')}.`,
    );
  };
}
