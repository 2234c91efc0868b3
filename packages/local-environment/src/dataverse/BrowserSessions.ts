import { randomBytes } from 'node:crypto';

/** Name of the session cookie a signed-in model-driven app carries. */
export const DATAVERSE_SESSION_COOKIE = 'CrmOwinAuth';

/** Signed-in browser sessions: code in a model-driven form sends no token, only this cookie. */
export class BrowserSessions {
  private readonly sessions = new Map<string, { systemUserId: string; createdAt: number }>();

  create(systemUserId: string): string {
    const value = randomBytes(32).toString('base64url');
    this.sessions.set(value, { systemUserId, createdAt: Date.now() });
    return value;
  }

  /** The session's user, from a Cookie header, or undefined. */
  fromCookieHeader(header: string | undefined): { systemUserId: string } | undefined {
    if (!header) return undefined;
    for (const part of header.split(';')) {
      const [name, ...value] = part.trim().split('=');
      if (name === DATAVERSE_SESSION_COOKIE) {
        const session = this.sessions.get(value.join('='));
        if (session) return { systemUserId: session.systemUserId };
      }
    }
    return undefined;
  }

  clear(): void {
    this.sessions.clear();
  }
}
