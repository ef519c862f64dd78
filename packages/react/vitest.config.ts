import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { defineConfig } from 'vitest/config';

// Every test runs twice, once against React 18 and once against React 19: each project points `react`
// and `react-dom` at one version. React 18 comes as a pair of its own (test-support/react-18) so that its
// react-dom loads React 18 and not the 19 this package also links.
const require = createRequire(import.meta.url);
const pair18 = dirname(require.resolve('react-18-pair/package.json'));
const fromPair = createRequire(`${pair18}/package.json`);

/** The install folders of react and react-dom for one major version. */
const VERSIONS = {
  '18': { react: dirname(fromPair.resolve('react/package.json')), dom: dirname(fromPair.resolve('react-dom/package.json')) },
  '19': { react: dirname(require.resolve('react-19/package.json')), dom: dirname(require.resolve('react-dom-19/package.json')) },
};

export default defineConfig({
  test: {
    projects: Object.entries(VERSIONS).map(([major, dirs]) => ({
      resolve: {
        alias: [
          { find: /^react-dom(\/.*)?$/, replacement: `${dirs.dom}$1` },
          { find: /^react(\/.*)?$/, replacement: `${dirs.react}$1` },
        ],
      },
      test: {
        name: `react-${major}`,
        // Hook tests say `@vitest-environment jsdom` in their first lines; the rest (SSR, browser drivers) run in Node.
        environment: 'node',
        include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
        // The wrapper tests bundle their page with the same React (esbuild aliases).
        env: { GROUPBUY_REACT_MAJOR: major, GROUPBUY_REACT_DIR: dirs.react, GROUPBUY_REACT_DOM_DIR: dirs.dom },
        // Each test starts a real server (and the wrapper tests a real Chromium); none asserts a timing.
        testTimeout: 60_000,
        hookTimeout: 60_000,
      },
    })),
  },
});
