import { createRequire } from 'node:module';
import type { Plugin } from 'esbuild';

const resolve = createRequire(import.meta.url).resolve;

/**
 * An esbuild plugin for browser scripts that run beside the page's React UMD builds: `react` and `react-dom` become
 * `window.React` and `window.ReactDOM`, and `react/jsx-runtime` is React 17.0.2's own jsx-runtime over that React
 * (the UMD builds have no jsx-runtime, which Fluent's compiled code imports).
 */
export const hostReactGlobalsPlugin: Plugin = {
  name: 'host-react-globals',
  setup(build) {
    build.onResolve({ filter: /^react(-dom)?$/ }, (args) => ({ path: args.path, namespace: 'host-react-global' }));
    build.onResolve({ filter: /^react\/jsx-runtime$/ }, () => ({ path: resolve('react17/cjs/react-jsx-runtime.production.min.js') }));
    build.onLoad({ filter: /.*/, namespace: 'host-react-global' }, (args) => ({
      contents: `module.exports = window.${args.path === 'react' ? 'React' : 'ReactDOM'};`,
      loader: 'js',
    }));
  },
};
