import { describe, expect, it } from 'vitest';
import { navMapEnvironment } from './navMapEnvironment.js';

describe('navMapEnvironment', () => {
  it('names a Dataverse URL by its origin: lower-case host, no path, no trailing slash, no default port', () => {
    expect(navMapEnvironment('https://Org.crm.dynamics.com/api/data/v9.2/')).toBe('https://org.crm.dynamics.com');
    expect(navMapEnvironment(' https://org.crm.dynamics.com:443/ ')).toBe('https://org.crm.dynamics.com');
    expect(navMapEnvironment('http://127.0.0.1:5555/')).toBe('http://127.0.0.1:5555');
  });

  it('keeps any other value as given', () => {
    expect(navMapEnvironment('contoso-prod')).toBe('contoso-prod');
    expect(navMapEnvironment('urn:org:contoso')).toBe('urn:org:contoso');
  });
});
