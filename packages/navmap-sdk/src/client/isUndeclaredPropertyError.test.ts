import { describe, expect, it } from 'vitest';
import { isUndeclaredPropertyError } from './isUndeclaredPropertyError.js';

const message = "An undeclared property 'sprk_matter' which only has property annotations in the payload but no property value was found in the payload.";

describe('isUndeclaredPropertyError', () => {
  it('recognizes a PCF context.webAPI rejection by its unsigned errorCode', () => {
    expect(0x80048d19).toBe(2147781913);
    expect(isUndeclaredPropertyError({ errorCode: 2147781913, message: 'x' })).toBe(true);
  });

  it('recognizes the signed form, the hex code and the message', () => {
    expect(isUndeclaredPropertyError({ errorCode: -2147185383 })).toBe(true);
    expect(isUndeclaredPropertyError(Object.assign(new Error('x'), { code: '0x80048D19' }))).toBe(true);
    expect(isUndeclaredPropertyError(new Error(message))).toBe(true);
  });

  it('recognizes a Web API error body and a wrapped cause', () => {
    expect(isUndeclaredPropertyError({ status: 400, error: { code: '0x80048d19', message } })).toBe(true);
    expect(isUndeclaredPropertyError(new Error('create failed', { cause: { errorCode: 2147781913 } }))).toBe(true);
  });

  it('refuses other errors, other statuses and non-objects', () => {
    expect(isUndeclaredPropertyError({ errorCode: 2147746336, message: 'missing privilege' })).toBe(false);
    expect(isUndeclaredPropertyError({ status: 500, code: '0x80048d19' })).toBe(false);
    expect(isUndeclaredPropertyError(new TypeError('x is undefined'))).toBe(false);
    expect(isUndeclaredPropertyError('0x80048d19')).toBe(false);
    expect(isUndeclaredPropertyError(null)).toBe(false);
  });
});
