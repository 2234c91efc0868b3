import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_PARENTS } from '@sdap/navmap-sdk/server';
import { CACHE_DEFAULTS, REFRESH_AHEAD_MAX_SECONDS, REFRESH_AHEAD_TTL_DIVISOR } from '../cache/cacheTiming.js';
import { SERVER_LIMITS } from '../limits.js';
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

  /** The default column of the row documenting `key` in a table. */
  function documentedDefault(key: string): string | undefined {
    const row = documentation.split('\n').find((line) => line.startsWith(`| \`${key}\` |`));
    return row?.split('|')[4]?.trim();
  }

  it.each(Object.entries(CACHE_DEFAULTS))('documents the default of `cache.%s` as the code has it', (key, value) => {
    expect(documentedDefault(`cache.${key}`)).toBe(`\`${value}\``);
  });

  it('documents the refresh lead as the code computes it', () => {
    expect(documentedDefault('cache.refreshAheadSeconds')).toBe(`\`min(${REFRESH_AHEAD_MAX_SECONDS}, ttlSeconds / ${REFRESH_AHEAD_TTL_DIVISOR})\``);
  });

  it('documents every server limit with the value the code has', () => {
    const limits = documentation.slice(documentation.indexOf('### Limits'));
    for (const value of [...Object.values(SERVER_LIMITS), MAX_PARENTS]) expect(limits).toContain(`| ${value} `);
  });
});
