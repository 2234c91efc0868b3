import type { TokenCredential } from '@azure/core-auth';
import { oneLine } from './oneLine.js';

/** Why the review could not sign in, in one line, with what to do; `code` is the `--json` error code. */
export interface SignInFailure {
  readonly code: 'not_signed_in' | 'sign_in_failed';
  readonly message: string;
}

const HOW_TO_SIGN_IN =
  'sign in with `az login` (or `azd auth login`, `Connect-AzAccount`), run where a managed identity is assigned, set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, or set NAVMAP_REVIEW_ACCESS_TOKEN (az account get-access-token --resource https://api.loganalytics.io --query accessToken -o tsv)';

function isUnavailable(error: unknown): boolean {
  const { name, errors } = (error ?? {}) as { name?: unknown; errors?: unknown };
  if (name === 'CredentialUnavailableError') return true;
  // DefaultAzureCredential throws this when every credential in its chain was unavailable.
  return name === 'AggregateAuthenticationError' && Array.isArray(errors) && errors.every((inner) => (inner as { name?: unknown } | null)?.name === 'CredentialUnavailableError');
}

/**
 * Asks the credential for a token of `scope` once, before any query: without a sign-in the query client would fail
 * every query with DefaultAzureCredential's multi-line chain error. Resolves with undefined when a token came.
 *
 * @example
 * const failure = await checkSignIn(new DefaultAzureCredential(), 'https://api.loganalytics.io/.default');
 * // { code: 'not_signed_in', message: 'not signed in to Azure: sign in with `az login` ...' }
 */
export async function checkSignIn(credential: TokenCredential, scope: string): Promise<SignInFailure | undefined> {
  try {
    const token = await credential.getToken(scope);
    if (token === null) return { code: 'not_signed_in', message: `not signed in to Azure (no token for ${scope}): ${HOW_TO_SIGN_IN}.` };
    return undefined;
  } catch (error) {
    if (isUnavailable(error)) return { code: 'not_signed_in', message: `not signed in to Azure: ${HOW_TO_SIGN_IN}.` };
    const firstLine = error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error);
    return { code: 'sign_in_failed', message: oneLine(`sign-in failed (${firstLine}): sign in again with \`az login\`, or check the AZURE_* settings or NAVMAP_REVIEW_ACCESS_TOKEN.`) };
  }
}
