import { afterEach, describe, expect, it, vi } from 'vitest';
import type { IInputs } from '../generated/ManifestTypes';
import { readControlConfig, type ControlConfig } from './readControlConfig';

const FORM = 'https://contoso.crm.dynamics.com/main.aspx?appid=1&pagetype=entityrecord';

/** A PCF context with these property values and, when given, the form's `context.page.getClientUrl()`. */
function contextWith(values: Record<string, string | number | null>, pageClientUrl?: string) {
  const parameters = Object.fromEntries(Object.entries(values).map(([name, raw]) => [name, { raw }]));
  return {
    parameters: { bffBaseUrl: { raw: 'https://bff.contoso.com' }, bffScope: { raw: 'api://bff/user_impersonation' }, clientId: { raw: 'client' }, authority: { raw: 'https://login.microsoftonline.com/contoso' }, ...parameters },
    ...(pageClientUrl ? { page: { getClientUrl: () => pageClientUrl } } : {}),
  } as unknown as ComponentFramework.Context<IInputs>;
}

const read = (context: ComponentFramework.Context<IInputs>) => readControlConfig(context) as ControlConfig & { problem?: string };

describe('readControlConfig', () => {
  afterEach(() => vi.unstubAllGlobals());

  it("defaults the redirect URI to the solution's redirect page on the form's org", () => {
    vi.stubGlobal('window', { location: new URL(FORM) });
    const config = read(contextWith({}, 'https://contoso.crm.dynamics.com/'));
    expect(config.problem).toBeUndefined();
    expect(config.msalRedirectUri).toBe('https://contoso.crm.dynamics.com/WebResources/sprk_/navmap/msalredirect.html');
    expect(config.msalRedirectUriIsDefault).toBe(true);
  });

  it('takes the org URL from Xrm when the form gives no context.page, else the page origin', () => {
    vi.stubGlobal('window', { location: new URL(FORM) });
    vi.stubGlobal('Xrm', { Utility: { getGlobalContext: () => ({ getClientUrl: () => 'https://contoso.crm4.dynamics.com' }) } });
    expect(read(contextWith({})).msalRedirectUri).toBe('https://contoso.crm4.dynamics.com/WebResources/sprk_/navmap/msalredirect.html');
    vi.stubGlobal('Xrm', undefined);
    expect(read(contextWith({})).msalRedirectUri).toBe('https://contoso.crm.dynamics.com/WebResources/sprk_/navmap/msalredirect.html');
  });

  it('uses msalRedirectUri when set, absolute or relative to the form', () => {
    vi.stubGlobal('window', { location: new URL(FORM) });
    const absolute = read(contextWith({ msalRedirectUri: ' https://auth.contoso.com/bridge.html ' }, 'https://contoso.crm.dynamics.com'));
    expect([absolute.msalRedirectUri, absolute.msalRedirectUriIsDefault]).toEqual(['https://auth.contoso.com/bridge.html', false]);
    expect(read(contextWith({ msalRedirectUri: '/WebResources/new_/bridge.html' })).msalRedirectUri).toBe('https://contoso.crm.dynamics.com/WebResources/new_/bridge.html');
  });

  it('names containerIdColumn when it is not a logical name', () => {
    vi.stubGlobal('window', { location: new URL(FORM) });
    expect(read(contextWith({ containerIdColumn: 'sprk_ContainerId' })).problem).toBe(
      'The control property "containerIdColumn" must be a column logical name; it is "sprk_ContainerId".',
    );
  });
});
