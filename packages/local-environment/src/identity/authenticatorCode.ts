import { Secret, TOTP } from 'otpauth';

/** Base32 as authenticator apps take a secret (RFC 4648, padding optional, spaces ignored). */
const BASE32 = /^[A-Z2-7]+=*$/i;

/** True when `secret` is a base32 TOTP secret of at least 80 bits, as Entra ID shows when an authenticator app is registered. */
export function isTotpSecret(secret: string): boolean {
  const compact = secret.replace(/\s+/g, '');
  return BASE32.test(compact) && compact.replace(/=+$/, '').length >= 16;
}

/** The TOTP an authenticator app computes from a secret: RFC 6238, SHA-1, 6 digits, 30-second steps (Entra ID's OATH software tokens). */
export function authenticatorCode(secret: string): TOTP {
  return new TOTP({ secret: Secret.fromBase32(secret.replace(/\s+/g, '')), algorithm: 'SHA1', digits: 6, period: 30 });
}

/** Whether `code` is the current code of `secret`, allowing one step of clock skew either way as Entra ID does. */
export function verifyAuthenticatorCode(secret: string, code: string): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  return authenticatorCode(secret).validate({ token: code, window: 1 }) !== null;
}
