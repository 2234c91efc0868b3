import express, { type Request, type Response } from 'express';
import type Provider from 'oidc-provider';
import { verifyAuthenticatorCode } from './authenticatorCode.js';
import { accountPage, passwordPage, plainSignInPage, staySignedInPage, verificationCodePage, type EntraSignInError } from './entraSignInPages.js';

/** Which sign-in pages the identity provider serves. */
export type SignInPages = 'plain' | 'entra';

export interface SignInRoutesOptions {
  readonly provider: Provider;
  /** `/<tenantId>`: where the provider is mounted; the sign-in pages are at `<mount>/login/<interaction uid>`. */
  readonly mount: string;
  readonly testUser: { readonly username: string; readonly password: string; readonly totpSecret?: string };
  /** The test user's subject (`sub`, `oid`). */
  readonly testUserSubject: string;
  readonly pages: SignInPages;
}

/** How far one sign-in (one interaction) got through the Entra-shaped steps. */
interface SignInProgress {
  readonly expiresAt: number;
  username?: string;
  passwordVerified?: boolean;
  codeVerified?: boolean;
}

const FORM_BODY = express.urlencoded({ extended: false, limit: '16kb' });

function field(request: Request, name: string): string | undefined {
  const value = (request.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

function sameAccount(a: string, b: string): boolean {
  // Entra ID matches user principal names without regard to case.
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * The interaction pages of the identity provider: the sign-in (plain, or Entra ID's steps with the test user's
 * authenticator code when it is enrolled), then consent, which first-party clients get without a page.
 */
export function createSignInRoutes(options: SignInRoutesOptions): express.Router {
  const { provider, mount, testUser, testUserSubject, pages } = options;
  const router = express.Router();
  const progressByInteraction = new Map<string, SignInProgress>();
  const interactionPath = `${mount}/login/:uid`;
  const stepAction = (uid: string, step: string) => `${mount}/login/${uid}/${step}`;

  const progressOf = (uid: string, expiresAtSeconds: number): SignInProgress => {
    const now = Date.now();
    for (const [key, progress] of progressByInteraction) if (progress.expiresAt < now) progressByInteraction.delete(key);
    let progress = progressByInteraction.get(uid);
    if (!progress) {
      progress = { expiresAt: expiresAtSeconds * 1000 };
      progressByInteraction.set(uid, progress);
    }
    return progress;
  };

  const cannotContinue = (response: Response, error: unknown) =>
    response.status(400).type('text').send(`The sign-in could not continue: ${(error as Error).message}. Start again from the application.`);

  const html = (response: Response, body: string) => response.status(200).type('html').setHeader('Cache-Control', 'no-store').send(body);

  router.get(interactionPath, async (request: Request, response: Response) => {
    try {
      const interaction = await provider.interactionDetails(request, response);
      if (interaction.prompt.name === 'login') {
        const loginHint = typeof interaction.params.login_hint === 'string' ? interaction.params.login_hint : undefined;
        html(
          response,
          pages === 'entra'
            ? accountPage(stepAction(interaction.uid, 'account'), loginHint === undefined ? {} : { loginHint })
            : plainSignInPage(`${mount}/login/${interaction.uid}`),
        );
        return;
      }
      // First-party clients: consent is granted without a page, as an admin-consented Entra ID app.
      const { details } = interaction.prompt;
      const accountId = interaction.session?.accountId ?? testUserSubject;
      const clientId = String(interaction.params.client_id);
      const grant = (interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined) ?? new provider.Grant({ accountId, clientId });
      const missingScope = details.missingOIDCScope as string[] | undefined;
      const missingClaims = details.missingOIDCClaims as string[] | undefined;
      const missingResourceScopes = details.missingResourceScopes as Record<string, string[]> | undefined;
      if (missingScope) grant.addOIDCScope(missingScope.join(' '));
      if (missingClaims) grant.addOIDCClaims(missingClaims);
      for (const [indicator, scopes] of Object.entries(missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
      const grantId = await grant.save();
      await provider.interactionFinished(request, response, { consent: { grantId } }, { mergeWithLastSubmission: true });
    } catch (error) {
      cannotContinue(response, error);
    }
  });

  // The plain page: username and password in one form.
  router.post(interactionPath, FORM_BODY, async (request: Request, response: Response) => {
    try {
      const interaction = await provider.interactionDetails(request, response);
      if (pages !== 'plain') throw new Error('this sign-in takes its steps one at a time; the form posted is not one of them');
      if (field(request, 'username') !== testUser.username || field(request, 'password') !== testUser.password) {
        html(response, plainSignInPage(`${mount}/login/${interaction.uid}`, 'The username or password is incorrect.'));
        return;
      }
      await provider.interactionFinished(request, response, { login: { accountId: testUserSubject, amr: ['pwd'] } }, { mergeWithLastSubmission: false });
    } catch (error) {
      cannotContinue(response, error);
    }
  });

  if (pages !== 'entra') return router;

  router.post(`${interactionPath}/account`, FORM_BODY, async (request: Request, response: Response) => {
    try {
      const interaction = await provider.interactionDetails(request, response);
      const username = (field(request, 'loginfmt') ?? '').trim();
      if (!sameAccount(username, testUser.username)) {
        html(response, accountPage(stepAction(interaction.uid, 'account'), { loginHint: username, error: 'AADSTS50034' }));
        return;
      }
      const progress = progressOf(interaction.uid, interaction.exp);
      progress.username = testUser.username;
      progress.passwordVerified = false;
      progress.codeVerified = false;
      html(response, passwordPage(stepAction(interaction.uid, 'password'), { username: testUser.username }));
    } catch (error) {
      cannotContinue(response, error);
    }
  });

  router.post(`${interactionPath}/password`, FORM_BODY, async (request: Request, response: Response) => {
    try {
      const interaction = await provider.interactionDetails(request, response);
      const progress = progressOf(interaction.uid, interaction.exp);
      if (progress.username === undefined) throw new Error('the password came before the account name');
      if (field(request, 'passwd') !== testUser.password) {
        html(response, passwordPage(stepAction(interaction.uid, 'password'), { username: progress.username, error: 'AADSTS50126' }));
        return;
      }
      progress.passwordVerified = true;
      html(
        response,
        testUser.totpSecret === undefined
          ? staySignedInPage(stepAction(interaction.uid, 'kmsi'), { username: progress.username })
          : verificationCodePage(stepAction(interaction.uid, 'otc'), { username: progress.username }),
      );
    } catch (error) {
      cannotContinue(response, error);
    }
  });

  router.post(`${interactionPath}/otc`, FORM_BODY, async (request: Request, response: Response) => {
    try {
      const interaction = await provider.interactionDetails(request, response);
      const progress = progressOf(interaction.uid, interaction.exp);
      if (!progress.passwordVerified || progress.username === undefined || testUser.totpSecret === undefined) {
        throw new Error('the verification code came before a verified password');
      }
      const code = (field(request, 'otc') ?? '').replace(/\s+/g, '');
      const error: EntraSignInError | undefined = code === '' ? 'NoOtpCode' : verifyAuthenticatorCode(testUser.totpSecret, code) ? undefined : 'OathCodeIncorrect';
      if (error !== undefined) {
        html(response, verificationCodePage(stepAction(interaction.uid, 'otc'), { username: progress.username, error }));
        return;
      }
      progress.codeVerified = true;
      html(response, staySignedInPage(stepAction(interaction.uid, 'kmsi'), { username: progress.username }));
    } catch (error) {
      cannotContinue(response, error);
    }
  });

  router.post(`${interactionPath}/kmsi`, FORM_BODY, async (request: Request, response: Response) => {
    try {
      const interaction = await provider.interactionDetails(request, response);
      const progress = progressOf(interaction.uid, interaction.exp);
      const multiFactor = testUser.totpSecret !== undefined;
      if (!progress.passwordVerified || (multiFactor && !progress.codeVerified)) {
        throw new Error(multiFactor ? 'the sign-in skipped the verification code' : 'the sign-in skipped the password');
      }
      progressByInteraction.delete(interaction.uid);
      // "Yes" keeps a persistent session cookie; "No" a cookie that ends with the browser, as Entra ID's ESTSAUTH does.
      const remember = field(request, 'LoginOptions') === 'Yes';
      await provider.interactionFinished(
        request,
        response,
        { login: { accountId: testUserSubject, remember, amr: multiFactor ? ['pwd', 'mfa'] : ['pwd'] } },
        { mergeWithLastSubmission: false },
      );
    } catch (error) {
      cannotContinue(response, error);
    }
  });

  return router;
}
