/**
 * The pages of Microsoft Entra ID's converged sign-in, as a test drives them: the same steps (account, password,
 * authenticator code, "Stay signed in?"), the same field names (`loginfmt`, `passwd`, `otc`), button ids
 * (`idSIButton9`, `idSubmit_SAOTCC_Continue`, `idBtn_Back`), checkbox (`KmsiCheckboxField`) and error elements
 * (`usernameError`, `passwordError`, `idSpan_SAOTCC_Error_OTC`) with Entra ID's own wording. Plain HTML forms: no
 * script is needed to sign in.
 */

/** The errors Entra ID shows on its sign-in pages, by the code its sign-in log records. */
export const ENTRA_SIGN_IN_ERRORS = {
  /** No such account in the tenant. */
  AADSTS50034: 'This username may be incorrect. Make sure you typed it correctly. Otherwise, contact your admin.',
  /** Wrong password (or wrong account). */
  AADSTS50126: "Your account or password is incorrect. If you don't remember your password, reset it now.",
  /** A wrong code from the authenticator app (the MFA result `OathCodeIncorrect`). */
  OathCodeIncorrect: "You didn't enter the expected verification code. Please try again.",
  /** The code field was left empty. */
  NoOtpCode: 'Enter the code to help us verify your identity.',
} as const;

export type EntraSignInError = keyof typeof ENTRA_SIGN_IN_ERRORS;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { margin: 0; font-family: 'Segoe UI', system-ui, sans-serif; background: #f2f2f2; color: #1b1b1b; }
  .inner { max-width: 440px; margin: 80px auto; background: #fff; padding: 44px; box-shadow: 0 2px 6px rgba(0,0,0,.2); }
  .row { margin: 16px 0; }
  input[type=email], input[type=password], input[type=tel] { width: 100%; border: 0; border-bottom: 1px solid #666; padding: 6px 0; font-size: 15px; }
  input[type=submit] { min-width: 108px; padding: 4px 12px; font-size: 15px; background: #0067b8; color: #fff; border: 0; }
  input#idBtn_Back { background: #ccc; color: #000; }
  [role=alert] { color: #e81123; }
  #displayName { font-size: 15px; }
</style></head>
<body><div class="inner" data-tenant-branding="NavMap local environment">${body}</div></body></html>`;
}

function errorBlock(id: string, error: EntraSignInError | undefined): string {
  return error === undefined ? '' : `<div id="${id}" role="alert" data-error="${error}">${escapeHtml(ENTRA_SIGN_IN_ERRORS[error])}</div>`;
}

/** Step 1: the account name. */
export function accountPage(action: string, options: { loginHint?: string; error?: EntraSignInError } = {}): string {
  return layout(
    'Sign in to your account',
    `<div role="heading" aria-level="1">Sign in</div>
<form method="post" action="${escapeHtml(action)}" novalidate>
  ${errorBlock('usernameError', options.error)}
  <div class="row"><input type="email" name="loginfmt" id="i0116" maxlength="113" aria-label="Enter your email, phone, or Skype." placeholder="Email, phone, or Skype" autocomplete="username" value="${escapeHtml(options.loginHint ?? '')}"></div>
  <div class="row"><input type="submit" id="idSIButton9" value="Next"></div>
</form>`,
  );
}

/** Step 2: the password of the account named in step 1. */
export function passwordPage(action: string, options: { username: string; error?: EntraSignInError }): string {
  return layout(
    'Sign in to your account',
    `<div id="displayName" title="${escapeHtml(options.username)}">${escapeHtml(options.username)}</div>
<div role="heading" aria-level="1">Enter password</div>
<form method="post" action="${escapeHtml(action)}" novalidate>
  ${errorBlock('passwordError', options.error)}
  <div class="row"><input type="password" name="passwd" id="i0118" aria-label="Enter the password for ${escapeHtml(options.username)}" placeholder="Password" autocomplete="current-password"></div>
  <div class="row"><input type="submit" id="idSIButton9" value="Sign in"></div>
</form>`,
  );
}

/** Step 3 (users enrolled in multi-factor sign-in): the code the authenticator app shows. */
export function verificationCodePage(action: string, options: { username: string; error?: EntraSignInError }): string {
  return layout(
    'Sign in to your account',
    `<div id="displayName" title="${escapeHtml(options.username)}">${escapeHtml(options.username)}</div>
<div role="heading" aria-level="1" id="idDiv_SAOTCC_Title">Enter code</div>
<div id="idDiv_SAOTCC_Description">Enter the code displayed in the authenticator app on your mobile device</div>
<form method="post" action="${escapeHtml(action)}" novalidate>
  ${errorBlock('idSpan_SAOTCC_Error_OTC', options.error)}
  <div class="row"><input type="tel" name="otc" id="idTxtBx_SAOTCC_OTC" maxlength="6" inputmode="numeric" autocomplete="one-time-code" aria-label="Code" placeholder="Code"></div>
  <div class="row"><input type="submit" id="idSubmit_SAOTCC_Continue" value="Verify"></div>
</form>`,
  );
}

/** Step 4: "Stay signed in?" Yes keeps the session across browser restarts, No makes it end with the browser. */
export function staySignedInPage(action: string, options: { username: string }): string {
  return layout(
    'Sign in to your account',
    `<div id="displayName" title="${escapeHtml(options.username)}">${escapeHtml(options.username)}</div>
<div role="heading" aria-level="1">Stay signed in?</div>
<div>Do this to reduce the number of times you are asked to sign in.</div>
<form method="post" action="${escapeHtml(action)}" novalidate>
  <div class="row"><label><input type="checkbox" name="DontShowAgain" id="KmsiCheckboxField" value="true"> Don't show this again</label></div>
  <div class="row">
    <input type="submit" id="idBtn_Back" name="LoginOptions" value="No">
    <input type="submit" id="idSIButton9" name="LoginOptions" value="Yes">
  </div>
</form>`,
  );
}

/** The form of the identity provider's plain sign-in (no multi-factor), used unless Entra-shaped pages are asked for. */
export function plainSignInPage(action: string, error?: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in - NavMap local environment</title></head>
<body>
<h1>Sign in</h1>
${error ? `<p role="alert" id="error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}">
  <label>Username <input id="username" name="username" autocomplete="username" required></label>
  <label>Password <input id="password" name="password" type="password" autocomplete="current-password" required></label>
  <button id="sign-in" type="submit">Sign in</button>
</form>
</body></html>`;
}
