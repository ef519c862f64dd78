// Component tests in real Chromium (Debian's /usr/bin/chromium through playwright-core).
// Workspace packages resolve to their TypeScript sources, so the tests run against what is in the tree
// without a build; only the reference server (for the network tests) runs from its build.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { chromiumLaunchOptions } from '../../scripts/chromium.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = resolve(here, '../..');

// Bare workspace imports → source files, as URLs under rootDir (the repository).
const SOURCES = {
  '@groupbuy/protocol': '/packages/protocol/src/index.ts',
  '@groupbuy/sdk': '/packages/sdk/src/index.ts',
  '@groupbuy/sdk/stomp': '/packages/sdk/src/transports/stomp.ts',
  '@groupbuy/sdk/socket.io': '/packages/sdk/src/transports/socket-io.ts',
  '@groupbuy/sdk/ws': '/packages/sdk/src/transports/ws.ts',
  '@groupbuy/sdk/sse': '/packages/sdk/src/transports/sse.ts',
  // The real server core in the page: @groupbuy/testing on the server's browser-safe entry.
  '@groupbuy/testing': '/packages/testing/src/index.ts',
  '@groupbuy/server/core': '/packages/server/src/core.ts',
};

/** Serves workspace packages from source. */
function workspaceSources() {
  return {
    name: 'groupbuy-workspace-sources',
    resolveImport({ source }) {
      return SOURCES[source];
    },
  };
}

/**
 * Starts the reference server (@groupbuy/server, dev mode, temp SQLite) next to the test runner and tells
 * the browser where it is at `/__groupbuy/server.json`. Tests that need real network behaviour use it.
 */
function referenceServer() {
  let server;
  let dir;
  return {
    name: 'groupbuy-reference-server',
    async serverStart({ config }) {
      let startServer, silentLogger;
      try {
        ({ startServer, silentLogger } = await import('@groupbuy/server'));
      } catch (err) {
        throw new Error(`@groupbuy/server is not built; run \`pnpm --filter @groupbuy/server build\` first (${err.message})`, {
          cause: err,
        });
      }
      dir = mkdtempSync(join(tmpdir(), 'groupbuy-wtr-'));
      server = await startServer({
        port: 0,
        host: '127.0.0.1',
        databaseUrl: join(dir, 'chat.db'),
        jwtSecret: 'web-test-runner-secret-0123456789abcdef',
        dev: true,
        allowedOrigins: [`http://${config.hostname}:${config.port}`, `http://127.0.0.1:${config.port}`],
        logger: silentLogger,
      });
    },
    async serverStop() {
      await server?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
    serve(context) {
      if (context.path === '/__groupbuy/server.json') {
        return { body: JSON.stringify({ url: server.url }), type: 'json' };
      }
      if (context.path === '/__groupbuy/drop-connections') {
        server.dropConnections();
        return { body: '{"ok":true}', type: 'json' };
      }
      return undefined;
    },
  };
}

// Touch-screen behaviour (coarse pointer, no hover) runs in a phone-like browser context of its own.
const TOUCH_TESTS = 'src/**/*.touch.test.ts';

export default {
  rootDir: repoRoot,
  files: ['src/**/*.test.ts', `!${TOUCH_TESTS}`],
  groups: [
    {
      name: 'touch',
      files: TOUCH_TESTS,
      browsers: [
        playwrightLauncher({
          product: 'chromium',
          launchOptions: chromiumLaunchOptions,
          createBrowserContext: ({ browser }) =>
            browser.newContext({ hasTouch: true, isMobile: true, viewport: { width: 390, height: 844 } }),
        }),
      ],
    },
  ],
  // `browser`: engine.io-client swaps its Node modules (ws) for browser ones. No `development` condition:
  // under it socket.io-parser loads its CommonJS `debug` build, which a browser cannot import.
  nodeResolve: { browser: true, exportConditions: ['browser'] },
  concurrency: 1,
  testFramework: { config: { timeout: 15000 } },
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: chromiumLaunchOptions,
      // The invite button copies its link (issue 12): the tests read the real clipboard back.
      createBrowserContext: ({ browser }) => browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] }),
    }),
  ],
  plugins: [
    workspaceSources(),
    referenceServer(),
    // esbuild reads the file as is (no `extends`): the root one carries the legacy-decorator settings.
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: join(repoRoot, 'tsconfig.json') }),
  ],
};
