import { normalizeGuid } from '@sdap/navmap-sdk';

/** What the lookup needs of the PCF context: `userSettings.userId` and `webAPI.retrieveRecord`. */
export interface UserLookupContext {
  readonly userSettings?: { readonly userId?: string };
  readonly webAPI: Pick<ComponentFramework.WebApi, 'retrieveRecord'>;
}

/** One lookup per user and page: every control instance on the page shares it. */
const pageLookups = new Map<string, Promise<string | undefined>>();

/**
 * The signed-in user's user principal name, MSAL's `loginHint`: `systemuser.domainname`. PCF's
 * `userSettings.userName` is the user's full name, not a UPN. Resolves `undefined`, never rejects, when there is none
 * (an account that is not an Entra ID user, an on-premises `DOMAIN\user`) or the read fails: sign-in then goes on
 * without a hint.
 *
 * @example
 * const loginHint = await readUserPrincipalName(context); // 'megan@contoso.com'
 */
export function readUserPrincipalName(context: UserLookupContext, lookups: Map<string, Promise<string | undefined>> = pageLookups): Promise<string | undefined> {
  let userId: string;
  try {
    userId = normalizeGuid(context.userSettings?.userId); // PCF gives '{UPPER-CASE-GUID}'
  } catch {
    return Promise.resolve(undefined);
  }
  let lookup = lookups.get(userId);
  if (!lookup) {
    lookup = context.webAPI.retrieveRecord('systemuser', userId, '?$select=domainname').then(
      (user) => {
        const name = typeof user.domainname === 'string' ? user.domainname.trim() : '';
        return name.includes('@') ? name : undefined;
      },
      () => undefined,
    );
    lookups.set(userId, lookup);
  }
  return lookup;
}
