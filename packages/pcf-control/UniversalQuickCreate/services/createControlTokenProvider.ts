// Types only: the control bundles the msal-browser the SDK resolves (a second copy would double the bundle).
import type { Configuration, IPublicClientApplication } from '@azure/msal-browser';
import { NavMapError, isNavMapError } from '@sdap/navmap-sdk';
import { createMsalTokenProvider, type MsalTokenProvider } from '@sdap/navmap-sdk/msal';

export interface ControlTokenProviderOptions {
  /** msal-browser's configuration; `auth.redirectUri` is the page whose bridge answers. */
  readonly configuration: Configuration & { readonly auth: { readonly redirectUri: string } };
  readonly scopes: readonly string[];
  /** The user's UPN for `loginHint`, read once; `undefined` signs in without a hint. */
  readonly loginHint: () => Promise<string | undefined>;
  /** Why the redirect page cannot answer (it is missing); `undefined` when it is there. */
  readonly findRedirectPageProblem: () => Promise<string | undefined>;
  /** An application to use instead of one the SDK creates from `configuration` (tests). */
  readonly msal?: IPublicClientApplication;
}

// MSAL's code when the redirect page's bridge never answered within `system.iframeBridgeTimeout` (10 s by default).
const BRIDGE_TIMED_OUT = 'timed_out';

const errorCodeOf = (error: unknown) => (error as { errorCode?: unknown } | null)?.errorCode;

/**
 * The control's token provider: the NavMap SDK's MSAL provider, created on the first token request once the login
 * hint is known, behind two checks that turn a deployment mistake into a message at once instead of MSAL's timeout:
 *
 * - before the first MSAL call, the redirect page answers 404 (checked again on each call until it is there);
 * - a silent request whose answer never reached the redirect page's bridge: Entra ID showed its error page in the
 *   hidden iframe instead of redirecting, which it does for a redirect URI the app registration does not list
 *   (AADSTS50011). A session blocked by third-party cookie rules still comes back (`login_required`), so this is the
 *   registration. From then on every call fails at once with the same message, until the form is reloaded.
 *
 * Both reject with `NavMapError('invalid_config')`, whose message names the web resource or the URL to register.
 */
export function createControlTokenProvider(options: ControlTokenProviderOptions): MsalTokenProvider {
  const redirectUri = options.configuration.auth.redirectUri;
  let unanswered: NavMapError | undefined;
  let redirectPageFound = false;
  let provider: Promise<MsalTokenProvider> | undefined;

  const createProvider = async () => {
    const loginHint = await options.loginHint();
    return createMsalTokenProvider({
      ...(options.msal ? { msal: options.msal } : { configuration: options.configuration }),
      scopes: options.scopes,
      ...(loginHint ? { loginHint } : {}),
      allowInteraction: false,
    });
  };

  /** The SDK's provider once the redirect page is known to be there; the login hint is read meanwhile. */
  const ready = async (): Promise<MsalTokenProvider> => {
    if (unanswered) throw unanswered;
    provider ??= createProvider().catch((error: unknown) => {
      provider = undefined;
      throw error;
    });
    if (!redirectPageFound) {
      const [problem] = await Promise.all([options.findRedirectPageProblem(), provider]);
      if (problem) throw new NavMapError('invalid_config', problem);
      redirectPageFound = true;
    }
    return provider;
  };

  async function getAccessToken(): Promise<string> {
    const tokens = await ready();
    try {
      return await tokens();
    } catch (error) {
      // The SDK's rejection carries MSAL's error of the silent request (ssoSilent) as its cause.
      if (isNavMapError(error) && errorCodeOf((error as { cause?: unknown }).cause) === BRIDGE_TIMED_OUT) {
        unanswered ??= new NavMapError(
          'invalid_config',
          `Sign-in did not come back to ${redirectUri}. Register ${redirectUri} as a Single-page application redirect URI on the app registration ${options.configuration.auth.clientId} (Microsoft Entra ID shows AADSTS50011 until it is), then reload the form.`,
          { cause: error },
        );
      }
      throw unanswered ?? error;
    }
  }

  async function signIn(): Promise<void> {
    await (await ready()).signIn();
  }

  return Object.assign(getAccessToken, { signIn });
}
