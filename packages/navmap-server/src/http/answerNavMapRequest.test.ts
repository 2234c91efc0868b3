import { NavMapError, type NavMapResponse } from '@sdap/navmap-sdk';
import { describe, expect, it } from 'vitest';
import { serializeNavMap, type NavMapLookup } from '../cache/NavMapCache.js';
import type { VerifiedCaller } from '../auth/TokenVerifier.js';
import { answerNavMapRequest, errorAnswer, etagMatches, wantsNoCache } from './answerNavMapRequest.js';

const map: NavMapResponse = {
  version: '1',
  environment: 'https://org.crm.dynamics.com',
  childEntity: 'sprk_document',
  generatedAt: '2026-11-28T10:00:00.000Z',
  parents: {},
  errors: {},
};
const entry = serializeNavMap(map, Date.now(), 300_000);
const caller = { id: 'user-1' } as VerifiedCaller;

const context = (lookup: () => Promise<NavMapLookup>, verify: () => Promise<VerifiedCaller> = () => Promise.resolve(caller)) => ({
  cache: { get: lookup },
  verifier: { verify },
});
const hit = () => Promise.resolve<NavMapLookup>({ entry, origin: 'cache', secondsLeft: 120 });
const request = { version: undefined, authorization: 'Bearer x', ifNoneMatch: undefined };

describe('answerNavMapRequest', () => {
  it('answers 200 with the cached bytes, the ETag, the seconds left and the source', async () => {
    const answer = await answerNavMapRequest(request, context(hit));
    expect(answer.status).toBe(200);
    expect(answer.body).toBe(entry.body);
    expect(answer.headers).toMatchObject({
      ETag: entry.etag,
      'Cache-Control': 'private, max-age=120',
      'X-NavMap-Source': 'cache',
      'Content-Type': 'application/json; charset=utf-8',
    });
  });

  it('answers 304 without a body when If-None-Match matches', async () => {
    const answer = await answerNavMapRequest({ ...request, ifNoneMatch: `W/"other", ${entry.etag}` }, context(hit));
    expect(answer).toMatchObject({ status: 304, body: undefined, headers: { ETag: entry.etag } });
  });

  it('answers 400 with the supported versions for an unknown v, and treats an absent v as 1', async () => {
    const answer = await answerNavMapRequest({ ...request, version: '2' }, context(hit));
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body?.toString() ?? '')).toEqual({
      error: { code: 'unsupported_version', message: expect.stringContaining('supported versions: 1') as string },
    });
    expect((await answerNavMapRequest({ ...request, version: '1' }, context(hit))).status).toBe(200);
    expect((await answerNavMapRequest({ ...request, version: '' }, context(hit))).status).toBe(200);
  });

  it('answers 401 with WWW-Authenticate before looking at the map', async () => {
    let looked = false;
    const answer = await answerNavMapRequest(
      request,
      context(
        () => {
          looked = true;
          return hit();
        },
        () => Promise.reject(new NavMapError('unauthorized', 'The access token has expired.')),
      ),
    );
    expect(answer.status).toBe(401);
    expect(answer.headers['WWW-Authenticate']).toBe('Bearer error="invalid_token", error_description="The access token has expired."');
    expect(JSON.parse(answer.body?.toString() ?? '')).toEqual({ error: { code: 'unauthorized', message: 'The access token has expired.' } });
    expect(looked).toBe(false);
  });

  it('answers 403 for a missing scope and 503 with Retry-After when no map exists', async () => {
    const forbidden = await answerNavMapRequest(request, context(hit, () => Promise.reject(new NavMapError('forbidden', 'no scope'))));
    expect(forbidden.status).toBe(403);
    const unavailable = await answerNavMapRequest(
      request,
      context(() => Promise.reject(new NavMapError('server_unavailable', 'No NavMap', { retryAfterSeconds: 7 }))),
    );
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers['Retry-After']).toBe('7');
  });

  it('lets a bug escape as 500 instead of hiding it behind a contract code', async () => {
    const answer = await answerNavMapRequest(request, context(() => Promise.reject(new TypeError('boom'))));
    expect(answer.status).toBe(500);
  });
});

describe('Cache-Control: no-cache', () => {
  const forcedLookup = () => Promise.resolve<NavMapLookup>({ entry, origin: 'dataverse', secondsLeft: 300 });
  const counting = () => {
    const calls = { get: 0, refreshNow: 0 };
    return {
      calls,
      context: {
        cache: {
          get: () => ((calls.get += 1), hit()),
          refreshNow: () => ((calls.refreshNow += 1), forcedLookup()),
        },
        verifier: { verify: () => Promise.resolve(caller) },
      },
    };
  };

  it('asks the cache for a map read now, and says so in X-NavMap-Source', async () => {
    const { calls, context: forcing } = counting();
    const answer = await answerNavMapRequest({ ...request, cacheControl: 'max-age=0, no-cache' }, forcing);
    expect(calls).toEqual({ get: 0, refreshNow: 1 });
    expect(answer.headers['X-NavMap-Source']).toBe('dataverse');
  });

  it('ignores no-cache on a conditional request (fetch adds it to every If-None-Match request by itself)', async () => {
    const { calls, context: forcing } = counting();
    const answer = await answerNavMapRequest({ ...request, cacheControl: 'no-cache', ifNoneMatch: entry.etag }, forcing);
    expect(answer.status).toBe(304);
    expect(calls).toEqual({ get: 1, refreshNow: 0 });
    await answerNavMapRequest({ ...request, cacheControl: 'max-age=0' }, forcing);
    expect(calls).toEqual({ get: 2, refreshNow: 0 });
  });

  it('reads the directive list of the header', () => {
    expect(wantsNoCache('no-cache')).toBe(true);
    expect(wantsNoCache('max-age=0, No-Cache')).toBe(true);
    expect(wantsNoCache('no-store')).toBe(false);
    expect(wantsNoCache('no-cache-please')).toBe(false);
    expect(wantsNoCache(undefined)).toBe(false);
  });
});

describe('errorAnswer', () => {
  it('answers rate_limited with 429 and not_found with 404, each with its own code', () => {
    const limited = errorAnswer(new NavMapError('rate_limited', 'Too many requests.', { retryAfterSeconds: 12 }));
    expect(limited.status).toBe(429);
    expect(limited.headers['Retry-After']).toBe('12');
    expect(JSON.parse(limited.body?.toString() ?? '')).toMatchObject({ error: { code: 'rate_limited' } });
    const missing = errorAnswer(new NavMapError('not_found', 'Not found.'));
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body?.toString() ?? '')).toMatchObject({ error: { code: 'not_found' } });
  });
});

describe('etagMatches', () => {
  it('matches exact, listed, weak and * values only', () => {
    expect(etagMatches('"a"', '"a"')).toBe(true);
    expect(etagMatches('"b", "a"', '"a"')).toBe(true);
    expect(etagMatches('W/"a"', '"a"')).toBe(true);
    expect(etagMatches('*', '"a"')).toBe(true);
    expect(etagMatches('"b"', '"a"')).toBe(false);
    expect(etagMatches(undefined, '"a"')).toBe(false);
    expect(etagMatches('a', '"a"')).toBe(false);
  });
});
