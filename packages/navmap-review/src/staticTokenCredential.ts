import type { AccessToken, TokenCredential } from '@azure/core-auth';

/**
 * A TokenCredential that returns one access token it was given, for the scopes the query client asks for. Used only
 * when NAVMAP_REVIEW_ACCESS_TOKEN is set: a token from `az account get-access-token --resource https://api.loganalytics.io`
 * on a machine without another sign-in, or the tests' token for their local query API.
 */
export class StaticTokenCredential implements TokenCredential {
  readonly #token: string;
  readonly #expiresOnTimestamp: number;

  constructor(token: string, expiresOn: Date = new Date(Date.now() + 60 * 60 * 1000)) {
    if (token.trim() === '') throw new Error('The access token is empty.');
    this.#token = token.trim();
    this.#expiresOnTimestamp = expiresOn.getTime();
  }

  getToken(): Promise<AccessToken> {
    return Promise.resolve({ token: this.#token, expiresOnTimestamp: this.#expiresOnTimestamp, tokenType: 'Bearer' });
  }
}
