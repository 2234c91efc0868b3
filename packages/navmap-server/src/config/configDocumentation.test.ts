import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { serverConfigSchema } from './configSchema.js';
import { CONFIG_ENVIRONMENT_VARIABLES } from './loadConfig.js';

/** docs/configuration.md must name every configuration key and every environment variable the server reads. */
const documentation = readFileSync(new URL('../../../../docs/configuration.md', import.meta.url), 'utf8');

interface SchemaNode {
  readonly type: string;
  readonly entries?: Readonly<Record<string, SchemaNode>>;
  readonly wrapped?: SchemaNode;
  readonly options?: readonly SchemaNode[];
}

/** Every key path of a valibot object schema: nested objects and the members of variants; arrays are leaves. */
function configKeys(node: SchemaNode, prefix = ''): string[] {
  if (node.wrapped !== undefined) return configKeys(node.wrapped, prefix);
  if (node.type === 'variant' && node.options !== undefined) {
    return [...new Set(node.options.flatMap((option) => configKeys(option, prefix)))];
  }
  if (node.entries !== undefined) {
    return Object.entries(node.entries).flatMap(([key, child]) => {
      const path = prefix === '' ? key : `${prefix}.${key}`;
      const nested = configKeys(child, path);
      return nested.length === 0 ? [path] : nested;
    });
  }
  return [];
}

const keys = configKeys(serverConfigSchema as unknown as SchemaNode);
const variables = [...Object.keys(CONFIG_ENVIRONMENT_VARIABLES), 'NAVMAP_CONFIG'];

describe('docs/configuration.md', () => {
  it('is checked against the whole schema (the walk reaches nested and variant keys)', () => {
    expect(keys).toEqual(
      expect.arrayContaining([
        'port',
        'parents',
        'cache.ttlSeconds',
        'dataverse.auth.kind',
        'dataverse.auth.clientSecret',
        'telemetry.applicationInsightsConnectionString',
      ]),
    );
    expect(variables).toContain('APPLICATIONINSIGHTS_CONNECTION_STRING');
  });

  it.each(keys)('documents the key `%s`', (key) => {
    expect(documentation.includes(`\`${key}\``), `docs/configuration.md does not mention \`${key}\``).toBe(true);
  });

  it.each(variables)('documents the environment variable %s', (name) => {
    expect(documentation.includes(`\`${name}\``), `docs/configuration.md does not mention \`${name}\``).toBe(true);
  });

  it('maps every environment variable to a key of the schema', () => {
    for (const { key } of Object.values(CONFIG_ENVIRONMENT_VARIABLES)) expect(keys).toContain(key);
  });
});
