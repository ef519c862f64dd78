// Storybook for @groupbuy/elements. Its packages live in packages/elements (run it through the root
// scripts `pnpm storybook` / `pnpm build-storybook`), so framework and addons are resolved from there.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const fromElements = createRequire(join(root, 'packages/elements/package.json'));
const packageDir = (name: string): string => dirname(fromElements.resolve(`${name}/package.json`));

// Stories run on the workspace sources: no build needed, and memory.ts changes show at once.
const sources: Record<string, string> = {
  '@groupbuy/protocol': 'packages/protocol/src/index.ts',
  '@groupbuy/sdk/memory': 'packages/sdk/src/transports/memory.ts',
  '@groupbuy/sdk/stomp': 'packages/sdk/src/transports/stomp.ts',
  '@groupbuy/sdk/socket.io': 'packages/sdk/src/transports/socket-io.ts',
  '@groupbuy/sdk/ws': 'packages/sdk/src/transports/ws.ts',
  '@groupbuy/sdk': 'packages/sdk/src/index.ts',
};

const config = {
  stories: ['../packages/elements/src/**/*.stories.ts'],
  framework: { name: packageDir('@storybook/web-components-vite'), options: {} },
  addons: [packageDir('@storybook/addon-a11y')],
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  async viteFinal(viteConfig: { resolve?: { alias?: unknown } } & Record<string, unknown>) {
    const alias = Object.entries(sources).map(([find, path]) => ({
      find: new RegExp(`^${find.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`),
      replacement: join(root, path),
    }));
    const existing = viteConfig.resolve?.alias;
    return {
      ...viteConfig,
      // Storybook's and Lit's packages are installed in packages/elements; bare imports resolve from there.
      root: join(root, 'packages/elements'),
      resolve: {
        ...viteConfig.resolve,
        alias: [...alias, ...(Array.isArray(existing) ? existing : Object.entries(existing ?? {}).map(([find, replacement]) => ({ find, replacement })))],
      },
      // esbuild follows each file's tsconfig (packages/*/tsconfig.json → the root one): legacy decorators.
      build: { ...(viteConfig['build'] as object), chunkSizeWarningLimit: 2000 },
    };
  },
};

export default config;
