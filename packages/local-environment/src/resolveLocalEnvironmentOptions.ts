import { resolve } from 'node:path';
import { NavMapError } from '@sdap/navmap-sdk';
import { defaultDataDir } from './certificate/ensureLocalCertificate.js';
import { DEFAULT_FIDELITY, fidelityProblem, type EmulatorFidelity } from './dataverse/EmulatorFidelity.js';
import { isTotpSecret } from './identity/authenticatorCode.js';
import type { SignInPages } from './identity/createSignInRoutes.js';
import { urlHost } from './http/startListening.js';

export interface LocalEnvironmentOptions {
  /** Not configurable: the emulator's URL is derived from `host` and `port`. */
  readonly dataverseUrl?: never;
  /** Interface the Dataverse emulator, BFF and identity provider listen on. The admin endpoint always listens on 127.0.0.1. @default '127.0.0.1' */
  readonly host?: string;
  /**
   * Port of the Dataverse emulator; the BFF takes `port + 1`, the identity provider `port + 2` and the admin
   * endpoint `port + 3`. `0` picks four free ports. @default 0
   */
  readonly port?: number;
  /** Folder for uploaded files and the https certificate. @default `<os.tmpdir()>/navmap-local-environment` */
  readonly dataDir?: string;
  /** The directory tenant id in the identity provider's paths. @default '8e2f6b1c-6d8a-4f4e-9a51-0c3d2b7e9f10' */
  readonly tenantId?: string;
  /** How long an upload session lives without receiving a chunk (Graph's `expirationDateTime`). @default 3600 */
  readonly uploadSessionTtlSeconds?: number;
  /**
   * Fidelity switches of the Dataverse emulator (also `PATCH <adminUrl>/fidelity` at run time): refuse `or` in
   * relationship collection filters, and metadata lag without `Consistency: Strong`.
   * @default { refuseUnverifiedQueries: false, metadataLagMs: 0 }
   */
  readonly fidelity?: Partial<EmulatorFidelity>;
  /**
   * `entra`: the identity provider serves Entra ID's sign-in steps (account, password, authenticator code, "Stay
   * signed in?") on `https://login.localhost:<port + 2>`, a host on another site than the forms, as Entra ID's is;
   * this process then resolves `*.localhost` to loopback. `plain`: one sign-in form on `localhost`.
   * @default 'plain'
   */
  readonly signInPages?: SignInPages;
  /** Enrols the test user in TOTP multi-factor sign-in with this base32 secret (needs `signInPages: 'entra'`). */
  readonly totpSecret?: string;
  /** The BFF's scheme; `https` as a deployed BFF is (with the environment's certificate). @default 'http' */
  readonly bffProtocol?: 'http' | 'https';
  /**
   * Whether the identity provider is on the forms' site. `cross-site`: as Entra ID is (login.microsoftonline.com
   * against the org), so MSAL's hidden iframe (`ssoSilent`) is a third-party context: a browser that blocks
   * third-party cookies (Safari, Chrome set to block them, Edge InPrivate, Playwright's Chromium contexts) sends it
   * no session cookie and it answers `login_required`, while a popup (first party) keeps the session. With plain
   * pages the provider is then on `https://127.0.0.1:<port + 2>` against forms on `localhost`; with `entra` pages it is
   * on `login.localhost`, always another site. The provider's cookies are `SameSite=None; Secure`, as Entra ID's, so
   * a browser that allows third-party cookies still sends them.
   * @default 'cross-site' with `signInPages: 'entra'`, else 'same-site'
   */
  readonly identityProviderSite?: IdentityProviderSite;
  /**
   * Paths on the org registered as *Single-page application* redirect URIs of the control's app registration
   * (`navmap-pcf`), as an admin registers the solution's redirect page: `['/WebResources/sprk_/navmap/msalredirect.html']`
   * registers `<dataverseUrl>/WebResources/sprk_/navmap/msalredirect.html`. As in Entra ID, a redirect URI on the org
   * that is not registered is refused (`redirect_uri_mismatch`); other loopback origins (test pages, the pcf-start
   * harness) stay allowed, as an Entra ID registration of `http://localhost` allows any port. @default []
   */
  readonly controlRedirectPaths?: readonly string[];
}

/** Where the identity provider is, as a browser sees it from the forms: see `LocalEnvironmentOptions.identityProviderSite`. */
export type IdentityProviderSite = 'same-site' | 'cross-site';

const DEFAULT_TENANT_ID = '8e2f6b1c-6d8a-4f4e-9a51-0c3d2b7e9f10';

const invalidOption = NavMapError.invalidOption;

/** Validates the options once, at start, and fills in the defaults. */
export function resolveLocalEnvironmentOptions(options: LocalEnvironmentOptions) {
  if (typeof options !== 'object' || options === null) throw invalidOption('options', 'an object', options);
  if (options.dataverseUrl !== undefined) {
    throw invalidOption('dataverseUrl', 'left out (the emulator URL follows from `host` and `port`)', options.dataverseUrl);
  }
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host.trim() === '') throw invalidOption('host', 'a host name or IP address', host);
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_532) throw invalidOption('port', 'a whole number from 0 to 65532', port);
  if (options.dataDir !== undefined && (typeof options.dataDir !== 'string' || options.dataDir === '')) {
    throw invalidOption('dataDir', 'a folder path', options.dataDir);
  }
  const dataDir = resolve(options.dataDir ?? defaultDataDir());
  const tenantId = options.tenantId ?? DEFAULT_TENANT_ID;
  if (!/^[0-9a-f-]{36}$/.test(tenantId)) throw invalidOption('tenantId', 'a lower-case GUID', tenantId);
  const uploadSessionTtlSeconds = options.uploadSessionTtlSeconds ?? 3600;
  if (typeof uploadSessionTtlSeconds !== 'number' || !(uploadSessionTtlSeconds > 0) || uploadSessionTtlSeconds > 86_400) {
    throw invalidOption('uploadSessionTtlSeconds', 'a number of seconds above 0 and at most 86400', uploadSessionTtlSeconds);
  }
  const fidelityError = options.fidelity === undefined ? undefined : fidelityProblem(options.fidelity);
  if (fidelityError !== undefined) throw new NavMapError('invalid_config', `Option \`fidelity\`: ${fidelityError}`);
  const fidelity: EmulatorFidelity = { ...DEFAULT_FIDELITY, ...options.fidelity };
  const signInPages = options.signInPages ?? 'plain';
  if (signInPages !== 'plain' && signInPages !== 'entra') throw invalidOption('signInPages', "'plain' or 'entra'", signInPages);
  if (options.totpSecret !== undefined) {
    if (typeof options.totpSecret !== 'string' || !isTotpSecret(options.totpSecret)) {
      throw invalidOption('totpSecret', 'a base32 secret of at least 16 characters (A-Z, 2-7)', options.totpSecret);
    }
    if (signInPages !== 'entra') throw invalidOption('totpSecret', "left out unless `signInPages: 'entra'` (the plain sign-in has no code step)", options.totpSecret);
  }
  const bffProtocol = options.bffProtocol ?? 'http';
  if (bffProtocol !== 'http' && bffProtocol !== 'https') throw invalidOption('bffProtocol', "'http' or 'https'", bffProtocol);
  const identityProviderSite = options.identityProviderSite ?? (signInPages === 'entra' ? 'cross-site' : 'same-site');
  if (identityProviderSite !== 'same-site' && identityProviderSite !== 'cross-site') {
    throw invalidOption('identityProviderSite', "'same-site' or 'cross-site'", identityProviderSite);
  }
  if (identityProviderSite === 'same-site' && signInPages === 'entra') {
    throw invalidOption('identityProviderSite', "'cross-site' or left out with `signInPages: 'entra'` (its login.localhost is another site than the forms)", identityProviderSite);
  }
  if (identityProviderSite === 'cross-site' && signInPages === 'plain' && urlHost(host) !== 'localhost') {
    throw invalidOption('identityProviderSite', `'same-site' with a host that is not loopback ('cross-site' serves the provider on 127.0.0.1; host is ${host})`, identityProviderSite);
  }
  const controlRedirectPaths = options.controlRedirectPaths ?? [];
  if (!Array.isArray(controlRedirectPaths) || controlRedirectPaths.some((path) => typeof path !== 'string' || !path.startsWith('/'))) {
    throw invalidOption('controlRedirectPaths', "a list of paths on the org, each starting with '/'", controlRedirectPaths);
  }
  return { host, port, dataDir, tenantId, uploadSessionTtlSeconds, fidelity, signInPages, totpSecret: options.totpSecret, bffProtocol, identityProviderSite, controlRedirectPaths };
}
