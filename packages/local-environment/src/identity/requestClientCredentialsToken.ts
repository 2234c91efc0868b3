import { postForm } from '../http/postForm.js';

/**
 * Gets an access token for `audience` with a real client-credentials POST to `tokenEndpoint`, trusting
 * `certificate` (the local identity provider's) for this call only.
 */
export async function requestClientCredentialsToken(
  tokenEndpoint: string,
  certificate: string,
  clientId: string,
  clientSecret: string,
  audience: string,
): Promise<string> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: clientSecret,
    scope: `${audience.replace(/\/+$/, '')}/.default`,
  });
  const response = await postForm(tokenEndpoint, form, certificate);
  let body: { access_token?: unknown; error?: unknown; error_description?: unknown };
  try {
    body = JSON.parse(response.body) as typeof body;
  } catch {
    throw new Error(`The token endpoint answered ${response.status} with a body that is not JSON.`);
  }
  if (response.status !== 200 || typeof body.access_token !== 'string') {
    throw new Error(`The token endpoint refused client '${clientId}' for '${audience}': ${String(body.error)} ${String(body.error_description ?? '')}`.trim());
  }
  return body.access_token;
}
