import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('the ./client entry', () => {
  it('bundles for the browser without server code, MSAL or Node built-ins', async () => {
    const result = await build({
      entryPoints: [fileURLToPath(new URL('./index.ts', import.meta.url))],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser', // a node: import would fail to resolve here
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((input) => input.includes('src/client/createNavMapClient.ts'))).toBe(true);
    expect(inputs.filter((input) => /src\/server\/|@azure\/msal|^node:/.test(input))).toEqual([]);
    const packages = new Set(inputs.flatMap((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? []));
    expect([...packages].sort()).toEqual(['idb-keyval']); // valibot stays on the server side: parseNavMapResponse is hand-written for size
  });
});
