import { describe, expect, it, vi } from 'vitest';
import { readUserPrincipalName, type UserLookupContext } from './readUserPrincipalName';

const USER_ID = '{3A785F76-C773-F011-B4CB-6045BDD8B757}';

function contextAnswering(answer: () => Promise<ComponentFramework.WebApi.Entity>, userSettings: { userId?: string } = { userId: USER_ID }) {
  const retrieveRecord = vi.fn(answer);
  const context: UserLookupContext = { userSettings, webAPI: { retrieveRecord } };
  return { context, retrieveRecord };
}

describe('readUserPrincipalName', () => {
  it("reads systemuser.domainname for the user's normalized id", async () => {
    const { context, retrieveRecord } = contextAnswering(async () => ({ domainname: 'megan@contoso.com' }));
    await expect(readUserPrincipalName(context, new Map())).resolves.toBe('megan@contoso.com');
    expect(retrieveRecord).toHaveBeenCalledExactlyOnceWith('systemuser', '3a785f76-c773-f011-b4cb-6045bdd8b757', '?$select=domainname');
  });

  it('reads it once per page for every caller', async () => {
    const lookups = new Map<string, Promise<string | undefined>>();
    const first = contextAnswering(async () => ({ domainname: 'megan@contoso.com' }));
    const second = contextAnswering(async () => ({ domainname: 'other@contoso.com' }));
    await expect(readUserPrincipalName(first.context, lookups)).resolves.toBe('megan@contoso.com');
    await expect(readUserPrincipalName(second.context, lookups)).resolves.toBe('megan@contoso.com');
    expect(first.retrieveRecord).toHaveBeenCalledOnce();
    expect(second.retrieveRecord).not.toHaveBeenCalled();
  });

  it.each([
    ['no domainname', async () => ({})],
    ['an empty domainname', async () => ({ domainname: ' ' })],
    ['an on-premises DOMAIN\\user', async () => ({ domainname: 'CONTOSO\\megan' })],
    ['a failed read', () => Promise.reject(Object.assign(new Error('Principal user is missing prvReadUser'), { errorCode: 0x80040220 }))],
  ])('signs in without a hint for %s', async (_case, answer) => {
    const { context } = contextAnswering(answer);
    await expect(readUserPrincipalName(context, new Map())).resolves.toBeUndefined();
  });

  it('does not read anything when the user id is missing or not a GUID', async () => {
    for (const userSettings of [{}, { userId: 'megan' }]) {
      const { context, retrieveRecord } = contextAnswering(async () => ({ domainname: 'megan@contoso.com' }), userSettings);
      await expect(readUserPrincipalName(context, new Map())).resolves.toBeUndefined();
      expect(retrieveRecord).not.toHaveBeenCalled();
    }
  });
});
