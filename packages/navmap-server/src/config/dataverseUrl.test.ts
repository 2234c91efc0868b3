import { isNavMapError } from '@sdap/navmap-sdk';
import { describe, expect, it } from 'vitest';
import { resolveServerConfig } from './resolveServerConfig.js';

/** `dataverse.url` is the organisation origin and nothing else: a path, query, fragment or credentials are refused at start. */
const config = (url: string) => ({ dataverse: { url }, parents: ['sprk_matter'], auth: { issuer: 'https://login.microsoftonline.com/t/v2.0', audience: 'api://navmap-bff' } });

function refusal(url: string): string {
  try {
    resolveServerConfig(config(url));
  } catch (error) {
    if (isNavMapError(error) && error.code === 'invalid_config') return error.message;
    throw error;
  }
  throw new Error(`${url} was accepted`);
}

describe('dataverse.url', () => {
  it.each([
    'https://org.crm.dynamics.com/api/data/v9.2?x=1',
    'https://org.crm.dynamics.com/api/data/v9.2',
    'https://org.crm.dynamics.com/?x=1',
    'https://org.crm.dynamics.com/#main',
    'https://user:secret@org.crm.dynamics.com',
  ])('refuses %s at start, naming the key and the expected form', (url) => {
    const message = refusal(url);
    expect(message).toContain('`dataverse.url`');
    expect(message).toMatch(/organisation origin such as https:\/\/org\.crm\.dynamics\.com/);
    expect(message).not.toContain('secret');
  });

  it.each(['https://org.crm.dynamics.com', 'https://org.crm.dynamics.com/', 'http://127.0.0.1:5555'])('accepts the origin %s', (url) => {
    expect(resolveServerConfig(config(url)).dataverse.url).toBe(url);
  });
});
