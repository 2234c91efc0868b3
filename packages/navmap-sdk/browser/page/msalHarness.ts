/**
 * The page side of the MSAL tests: a real PublicClientApplication (msal-browser 5) and the BUILT
 * `@sdap/navmap-sdk/msal` provider. The application's own methods are wrapped only to record which of them ran.
 */
import { PublicClientApplication, type Configuration } from '@azure/msal-browser';
import { createNavMapClient } from '@sdap/navmap-sdk/client';
import { createMsalTokenProvider, type MsalTokenProviderOptions } from '@sdap/navmap-sdk/msal';
import { serializeError, type SerializedError } from './harness.js';

type ProviderOptions = Omit<MsalTokenProviderOptions, 'msal' | 'configuration'>;
type Outcome<T> = { ok: true; value: T } | { ok: false; error: SerializedError };

const calls: { method: string; outcome: 'token' | 'error' }[] = [];
let application: PublicClientApplication | undefined;

async function attempt<T>(operation: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await operation() };
  } catch (error) {
    return { ok: false, error: serializeError(error) };
  }
}

function record(instance: PublicClientApplication): void {
  for (const method of ['acquireTokenSilent', 'ssoSilent', 'acquireTokenPopup'] as const) {
    const original = instance[method].bind(instance) as (request: never) => Promise<unknown>;
    Object.assign(instance, {
      [method]: async (request: never) => {
        try {
          const result = await original(request);
          calls.push({ method, outcome: 'token' });
          return result;
        } catch (error) {
          calls.push({ method, outcome: 'error' });
          throw error;
        }
      },
    });
  }
}

function app(): PublicClientApplication {
  if (!application) throw new Error('call msalHarness.init() first');
  return application;
}

export const msalHarness = {
  calls,
  async init(configuration: Configuration): Promise<void> {
    application = new PublicClientApplication(configuration);
    await application.initialize();
    record(application);
  },
  /** Interactive sign-in (auth code + PKCE in a popup); the test drives the identity provider's form. */
  async signIn(scopes: string[]): Promise<string> {
    const result = await app().loginPopup({ scopes });
    if (result.account) app().setActiveAccount(result.account);
    return result.account?.username ?? '';
  },
  accounts: (): number => app().getAllAccounts().length,
  token: (options: ProviderOptions): Promise<Outcome<string>> =>
    attempt(() => createMsalTokenProvider({ msal: app(), ...options })()),
  /** The provider's `signIn()` (the popup), then a token from the same provider. */
  signInThenToken: (options: ProviderOptions): Promise<Outcome<string>> =>
    attempt(async () => {
      const provider = createMsalTokenProvider({ msal: app(), ...options });
      await provider.signIn();
      return provider();
    }),
  tokenFromConfiguration: (configuration: Configuration, options: ProviderOptions): Promise<Outcome<string>> =>
    attempt(() => createMsalTokenProvider({ configuration, ...options })()),
  /** A NavMap client whose getAccessToken is the MSAL provider. */
  loadNavMap: (client: { baseUrl: string; environment: string; fallback?: unknown }, options: ProviderOptions) =>
    attempt(async () => {
      const navMap = createNavMapClient({ ...client, storage: 'memory', getAccessToken: createMsalTokenProvider({ msal: app(), ...options }) });
      const result = await navMap.load();
      return { source: result.source, navProperty: navMap.getNavEntry('sprk_matter')?.navProperty };
    }),
};

export type MsalHarness = typeof msalHarness;

(globalThis as Record<string, unknown>).msalHarness = msalHarness;
