import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  expiresAt: number | undefined;
}

/**
 * oidc-provider storage in memory, one store per provider. Sessions, grants and codes live as long as the
 * environment: a restart signs everyone out, as intended for a local stand-in.
 */
export function createMemoryAdapter(): AdapterFactory {
  const entries = new Map<string, Entry>();
  const byGrant = new Map<string, Set<string>>();
  const lookup = (key: string | undefined): AdapterPayload | undefined => {
    if (key === undefined) return undefined;
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry.payload;
  };
  const uids = new Map<string, string>();
  const userCodes = new Map<string, string>();

  return (name: string): Adapter => {
    const key = (id: string) => `${name}:${id}`;
    return {
      async upsert(id, payload, expiresIn) {
        entries.set(key(id), { payload, expiresAt: expiresIn === undefined ? undefined : Date.now() + expiresIn * 1000 });
        if (payload.grantId) {
          const keys = byGrant.get(payload.grantId) ?? new Set<string>();
          keys.add(key(id));
          byGrant.set(payload.grantId, keys);
        }
        if (payload.uid) uids.set(payload.uid, key(id));
        if (payload.userCode) userCodes.set(payload.userCode, key(id));
      },
      async find(id) {
        return lookup(key(id));
      },
      async findByUid(uid) {
        return lookup(uids.get(uid));
      },
      async findByUserCode(userCode) {
        return lookup(userCodes.get(userCode));
      },
      async consume(id) {
        const payload = lookup(key(id));
        if (payload) payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        entries.delete(key(id));
      },
      async revokeByGrantId(grantId) {
        for (const grantKey of byGrant.get(grantId) ?? []) entries.delete(grantKey);
        byGrant.delete(grantId);
      },
    };
  };
}
