import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { authenticatorCode } from './authenticatorCode.js';

export interface SignInTestUserOptions {
  /** Origin of the identity provider, `LocalEnvironment.authorityHost`. */
  readonly authorityHost: string;
  readonly tenantId: string;
  /** PEM to trust for this sign-in, `LocalEnvironment.caCertificatePath`. */
  readonly caCertificatePath: string;
  readonly username: string;
  readonly password: string;
  /** Scopes to request. @default ['openid', 'profile', 'offline_access', 'api://navmap-bff/NavMap.Read'] */
  readonly scopes?: readonly string[];
  /** A loopback redirect URI; nothing listens there, the code is read from the redirect. @default 'http://localhost/redirect' */
  readonly redirectUri?: string;
  /** @default 'navmap-pcf' */
  readonly clientId?: string;
  /** The base32 secret of the user's authenticator app, when the sign-in asks for a verification code. */
  readonly totpSecret?: string;
}

export interface UserTokens {
  readonly accessToken: string;
  readonly idToken: string;
  readonly refreshToken: string | undefined;
  readonly expiresIn: number;
  readonly scope: string;
}

/**
 * What the user types on a sign-in page, by the fields it asks for: the plain page's username and password, or one of
 * Entra ID's steps (account, password, authenticator code, "Stay signed in?" answered Yes).
 */
function signInFields(page: string, options: SignInTestUserOptions): Record<string, string> {
  const asks = (name: string) => page.includes(`name="${name}"`);
  if (asks('username')) return { username: options.username, password: options.password };
  if (asks('loginfmt')) return { loginfmt: options.username };
  if (asks('passwd')) return { passwd: options.password };
  if (asks('otc')) {
    if (options.totpSecret === undefined) throw new Error('The sign-in asks for a verification code: pass `totpSecret`, the secret of the user\'s authenticator app.');
    return { otc: authenticatorCode(options.totpSecret).generate() };
  }
  if (asks('LoginOptions')) return { LoginOptions: 'Yes' };
  throw new Error(`The sign-in page asks for fields this sign-in does not know: ${page.slice(0, 300)}`);
}

function failureOf(fields: Record<string, string>): string {
  if ('otc' in fields) return 'wrong verification code';
  if ('loginfmt' in fields) return 'unknown account';
  return 'wrong username or password';
}

interface RawResponse {
  readonly status: number;
  readonly location: string | undefined;
  readonly setCookies: readonly string[];
  readonly body: string;
}

function send(url: string, ca: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(url, { method: init.method ?? 'GET', headers: init.headers ?? {}, ca }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const setCookie = response.headers['set-cookie'] ?? [];
        resolve({
          status: response.statusCode ?? 0,
          location: response.headers.location,
          setCookies: setCookie,
          body: Buffer.concat(chunks).toString('utf8'),
        });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(init.body);
  });
}

/**
 * Signs the test user in without a browser: authorization code + PKCE through the provider's sign-in pages (the plain
 * form, or Entra ID's steps with the authenticator code), as a browser would (cookies, redirects), then redeems the code at the token endpoint. For tests that need a
 * delegated token (`scp`), e.g. of the PCF client for the BFF.
 *
 * @example
 * const tokens = await signInTestUser({ ...environment, ...environment.testUser });
 * fetch(url, { headers: { Authorization: `Bearer ${tokens.accessToken}` } });
 */
export async function signInTestUser(options: SignInTestUserOptions): Promise<UserTokens> {
  const ca = await readFile(options.caCertificatePath, 'utf8');
  const clientId = options.clientId ?? 'navmap-pcf';
  const redirectUri = options.redirectUri ?? 'http://localhost/redirect';
  const scopes = options.scopes ?? ['openid', 'profile', 'offline_access', 'api://navmap-bff/NavMap.Read'];
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const state = randomBytes(16).toString('base64url');
  const base = `${options.authorityHost}/${options.tenantId}`;
  const cookies = new Map<string, string>();
  const remember = (response: RawResponse) => {
    for (const line of response.setCookies) {
      const [pair = ''] = line.split(';');
      const [name = '', ...value] = pair.split('=');
      cookies.set(name.trim(), value.join('='));
    }
  };
  const cookieHeader = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');

  const authorize = new URL(`${base}/oauth2/v2.0/authorize`);
  authorize.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: scopes.join(' '),
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
  }).toString();

  let url = authorize.href;
  let code: string | undefined;
  for (let step = 0; step < 20 && code === undefined; step++) {
    let response = await send(url, ca, { headers: { Cookie: cookieHeader() } });
    remember(response);
    // A sign-in page: fill in its form as the user would and post it, page after page, until a redirect.
    while (response.status === 200 && response.body.includes('<form')) {
      const action = /action="([^"]+)"/.exec(response.body)?.[1];
      if (!action) throw new Error('The sign-in page has no form action.');
      const fields = signInFields(response.body, options);
      const actionUrl = new URL(action.replace(/&#38;/g, '&'), url).href;
      response = await send(actionUrl, ca, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookieHeader() },
        body: new URLSearchParams(fields).toString(),
      });
      remember(response);
      const alert = /role="alert"[^>]*>([^<]*)</.exec(response.body)?.[1];
      if (response.status === 200 && alert !== undefined) {
        throw new Error(`Sign-in failed (${failureOf(fields)}): ${alert.replace(/&#39;/g, "'").trim()}`);
      }
      url = actionUrl;
    }
    if (response.location === undefined) throw new Error(`The authorization flow stopped at ${url} with HTTP ${response.status}: ${response.body.slice(0, 300)}`);
    const next = new URL(response.location, url);
    if (next.href.startsWith(redirectUri)) {
      if (next.searchParams.get('error')) throw new Error(`Authorization failed: ${next.searchParams.get('error')} ${next.searchParams.get('error_description') ?? ''}`);
      if (next.searchParams.get('state') !== state) throw new Error('The authorization response carries the wrong state.');
      code = next.searchParams.get('code') ?? undefined;
      break;
    }
    url = next.href;
  }
  if (code === undefined) throw new Error('The authorization flow did not return a code.');

  const token = await send(`${base}/oauth2/v2.0/token`, ca, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: redirectUri, code_verifier: verifier }).toString(),
  });
  const body = JSON.parse(token.body) as Record<string, unknown>;
  if (token.status !== 200 || typeof body.access_token !== 'string') {
    throw new Error(`The token endpoint refused the code: ${String(body.error)} ${String(body.error_description ?? '')}`);
  }
  return {
    accessToken: body.access_token,
    idToken: String(body.id_token),
    refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : undefined,
    expiresIn: Number(body.expires_in),
    scope: String(body.scope ?? ''),
  };
}
