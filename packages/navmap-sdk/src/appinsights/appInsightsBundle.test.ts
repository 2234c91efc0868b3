import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('the ./appinsights entry', () => {
  it('bundles without any code of @microsoft/applicationinsights-web, ky or idb-keyval', async () => {
    const result = await build({
      entryPoints: [fileURLToPath(new URL('./index.ts', import.meta.url))],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((input) => input.includes('src/appinsights/createAppInsightsEventSink.ts'))).toBe(true);
    const packages = new Set(inputs.flatMap((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? []));
    expect([...packages]).toEqual([]);
    expect(inputs.filter((input) => /src\/server\/|src\/client\/createNavMapClient|^node:/.test(input))).toEqual([]);
  });
});
