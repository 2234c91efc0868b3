import {
  InteractionRequiredAuthError,
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
  /**
   * The signed-in user's UPN, the hint for `ssoSilent`. In Dataverse it is `systemuser.domainname`; PCF's
   * `context.userSettings.userName` is the user's full name, not a UPN.
   */
  readonly loginHint?: string;
  /** Open a popup when the silent paths fail. Off by default: the control never blocks on a prompt. @default false */
  readonly allowInteraction?: boolean;
}

/**
 * A `getAccessToken` for `createNavMapClient` and the control's uploads, and `signIn()` for when it rejects with
 * `interaction_required`.
 */
export interface MsalTokenProvider {
  (): Promise<string>;
  /**
   * Opens MSAL's popup for the scopes and remembers the account, so the next call gets a token silently. Call it only
   * from a user's click: a click is a user gesture, which popup blockers allow. A second call while a popup is open
   * replaces it (the user closed the first one: MSAL cannot tell), and the first call rejects.
   *
   * @throws {NavMapError} `interaction_required` when the popup was closed, blocked or sign-in failed, with a message
   * for the user.
   */
  signIn(): Promise<void>;
}

// What the identity provider answers a silent request that only the user can satisfy (no session in the hidden
// iframe, as with third-party cookies blocked: msal-browser#2537), and MSAL's own "no cached token for this account".
const INTERACTION_CODES = new Set(['login_required', 'interaction_required', 'consent_required', 'no_tokens_found', 'monitor_window_timeout']);

function needsInteraction(error: unknown): boolean {
  return error instanceof InteractionRequiredAuthError || INTERACTION_CODES.has(String((error as { errorCode?: unknown } | null)?.errorCode));
}

/** Why the popup gave no token, in the user's words. */
function describePopupFailure(error: unknown): string {
  const code = (error as { errorCode?: unknown } | null)?.errorCode;
  // msal-browser 5 hears from the popup through a BroadcastChannel and cannot see it close (a cross-origin COOP page
  // severs the opener's handle): a closed popup ends as timed_out after `system.popupBridgeTimeout` (60 s).
  if (code === 'user_cancelled' || code === 'timed_out') return 'The sign-in window was closed, or sign-in did not finish in time.';
  if (code === 'interaction_in_progress_cancelled') return 'A newer sign-in replaced this one.';
  if (code === 'popup_window_error' || code === 'empty_window_error') return 'The browser blocked the sign-in window: allow pop-ups for this site, then sign in again.';
  return `Sign-in failed: ${describe(error)}`;
}

function describe(error: unknown): string {
  const code = (error as { errorCode?: unknown } | null)?.errorCode;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && code !== '' && !message.includes(code) ? `${code}: ${message}` : message;
}

/**
 * A `getAccessToken` for `createNavMapClient` on `@azure/msal-browser`: `acquireTokenSilent` for the active (or first)
 * account, then `ssoSilent` with the login hint, then a popup only when `allowInteraction` is true. Otherwise it
 * rejects at once, and the client falls back to its cache or bundled map: with `NavMapError('interaction_required')`
 * when the identity provider needs the user (call `signIn()` from a click, then try again), else `unauthorized`.
 *
 * @throws {NavMapError} `invalid_config` at creation for bad options.
 * @example
 * const getAccessToken = createMsalTokenProvider({
 *   configuration: { auth: { clientId, authority: 'https://login.microsoftonline.com/<tenant>' } },
 *   scopes: ['api://navmap-bff/NavMap.Read'],
 *   loginHint: upn, // systemuser.domainname
 * });
 * const client = createNavMapClient({ baseUrl, getAccessToken, environment });
 * signInButton.onclick = () => getAccessToken.signIn().then(retryUpload, showReason);
 */
export function createMsalTokenProvider(options: MsalTokenProviderOptions): MsalTokenProvider {
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

  const initialized = async (): Promise<IPublicClientApplication> => {
    try {
      return await application();
    } catch (error) {
      throw new NavMapError('unauthorized', `MSAL could not be initialized: ${describe(error)}`, { cause: error });
    }
  };
  const use = (app: IPublicClientApplication, result: AuthenticationResult): string => {
    if (result.account) app.setActiveAccount(result.account);
    return result.accessToken;
  };
  const signedInAccount = (app: IPublicClientApplication): AccountInfo | undefined => app.getActiveAccount() ?? app.getAllAccounts()[0];
  const withHint = (hint: string | undefined) => ({ scopes: requestScopes, ...(hint ? { loginHint: hint } : {}) });

  async function getAccessToken(): Promise<string> {
    const failures: string[] = [];
    const app = await initialized();
    let interactionRequired = false;
    let lastError: unknown; // the rejection's cause: MSAL's error of the last path tried

    const account = signedInAccount(app);
    if (account) {
      try {
        return use(app, await app.acquireTokenSilent({ scopes: requestScopes, account }));
      } catch (error) {
        failures.push(`acquireTokenSilent: ${describe(error)}`);
      }
    } else {
      failures.push('acquireTokenSilent: no signed-in account');
    }
    const hint = loginHint ?? account?.username;
    try {
      return use(app, await app.ssoSilent(withHint(hint)));
    } catch (error) {
      failures.push(`ssoSilent: ${describe(error)}`);
      interactionRequired = needsInteraction(error);
      lastError = error;
    }
    if (allowInteraction) {
      try {
        return use(app, await app.acquireTokenPopup(withHint(hint)));
      } catch (error) {
        failures.push(`acquireTokenPopup: ${describe(error)}`);
        lastError = error;
      }
    }
    throw new NavMapError(
      interactionRequired && !allowInteraction ? 'interaction_required' : 'unauthorized',
      `No token for ${requestScopes.join(' ')} without interaction${allowInteraction ? ' or with a popup' : ''}: ${failures.join('; ')}.`,
      { cause: lastError },
    );
  }

  async function signIn(): Promise<void> {
    const app = await initialized();
    try {
      use(app, await app.acquireTokenPopup({ ...withHint(loginHint ?? signedInAccount(app)?.username), overrideInteractionInProgress: true }));
    } catch (error) {
      throw new NavMapError('interaction_required', describePopupFailure(error), { cause: error });
    }
  }

  return Object.assign(getAccessToken, { signIn });
}
