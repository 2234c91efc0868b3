import { afterEach, describe, expect, it } from 'vitest';
import { startTestIssuer, type TestIssuer } from '@sdap/navmap-server/testing';
import { stack, useLocalStackPerFile } from '../support/localStackPerFile.js';

/**
 * Identity-provider outages must not be amplified into a flood of discovery and key-set fetches: one verification per
 * request, a cool-down on failed fetches, and the last good key set kept while a refetch fails.
 */
useLocalStackPerFile();
let issuer: TestIssuer;

afterEach(() => issuer?.close());

const NAVMAP = '/api/pcf/dataverse-navmap?v=1';

async function startWithIssuer(options: { now?: () => number } = {}) {
  issuer = await startTestIssuer();
  return stack.startServer(
    { auth: { issuer: issuer.issuer, audience: 'api://navmap-bff', requiredScopes: ['NavMap.Read'] }, rateLimit: { enabled: true, windowSeconds: 60, max: 10_000 } },
    options,
  );
}

describe('identity-provider outages', () => {
  it('reads the discovery document at most once per cool-down while it fails, verifying each request once', async () => {
    const { url, server } = await startWithIssuer();
    await server.warmed;
    issuer.fail('discovery');
    const junk = await issuer.sign({ oid: 'junk-caller' });
    const answers = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const response = await fetch(`${url}${NAVMAP}`, { headers: { Authorization: `Bearer ${junk}` } });
        return { status: response.status, retryAfter: response.headers.get('retry-after') };
      }),
    );
    expect(answers.every((answer) => answer.status === 503 && answer.retryAfter !== null)).toBe(true);
    expect(issuer.discoveryRequests()).toBeLessThanOrEqual(2);
    // Sequential callers during the cool-down cost nothing upstream either.
    for (let index = 0; index < 10; index += 1) await fetch(`${url}${NAVMAP}`, { headers: { Authorization: `Bearer ${junk}` } });
    expect(issuer.discoveryRequests()).toBeLessThanOrEqual(2);
  });

  it('keeps the last key set when a refetch fails: known keys still verify, unknown key ids get 401', async () => {
    let clock = Date.now();
    const { url, server } = await startWithIssuer({ now: () => clock });
    await server.warmed;
    const first = await fetch(`${url}${NAVMAP}`, { headers: { Authorization: `Bearer ${await issuer.sign({ oid: 'caller-1' })}` } });
    expect(first.status).toBe(200);
    issuer.fail('jwks');
    // Past the key set's age limit (10 minutes): the verifier tries to refetch, fails, keeps the keys it has.
    clock += 11 * 60_000;
    const jwksBefore = issuer.jwksRequests();
    const later = await issuer.sign({ oid: 'caller-2', iat: Math.floor(clock / 1000) }, { expiresIn: Math.floor(clock / 1000) + 3_600 });
    for (let index = 0; index < 5; index += 1) {
      const response = await fetch(`${url}${NAVMAP}`, { headers: { Authorization: `Bearer ${later}` } });
      expect(response.status).toBe(200);
    }
    await issuer.addKey('key-unpublished', { publish: false });
    const unknown = await issuer.sign({ oid: 'caller-3', iat: Math.floor(clock / 1000) }, { kid: 'key-unpublished', expiresIn: Math.floor(clock / 1000) + 3_600 });
    const refused = await fetch(`${url}${NAVMAP}`, { headers: { Authorization: `Bearer ${unknown}` } });
    expect(refused.status).toBe(401);
    expect(issuer.jwksRequests() - jwksBefore).toBeLessThanOrEqual(1);
  });
});
