// Storybook for @groupbuy/elements. Its packages live in packages/elements (run it through the root
// scripts `pnpm storybook` / `pnpm build-storybook`), so framework and addons are resolved from there.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const fromElements = createRequire(join(root, 'packages/elements/package.json'));
const packageDir = (name: string): string => dirname(fromElements.resolve(`${name}/package.json`));

// Stories run on the workspace sources: no build needed, and changes show at once. Their server is the real
// core in the page (@groupbuy/testing on @groupbuy/server/core, which imports no Node built-in).
const sources: Record<string, string> = {
  '@groupbuy/protocol': 'packages/protocol/src/index.ts',
  '@groupbuy/testing': 'packages/testing/src/index.ts',
  '@groupbuy/server/core': 'packages/server/src/core.ts',
  '@groupbuy/sdk/sse': 'packages/sdk/src/transports/sse.ts',
  '@groupbuy/sdk/stomp': 'packages/sdk/src/transports/stomp.ts',
  '@groupbuy/sdk/socket.io': 'packages/sdk/src/transports/socket-io.ts',
  '@groupbuy/sdk/ws': 'packages/sdk/src/transports/ws.ts',
  '@groupbuy/sdk': 'packages/sdk/src/index.ts',
};

// The elements' custom-elements.json, analysed from the sources when Storybook starts (the committed docs
// and this read the same analyzer run, scripts/gen-elements-docs.mjs): autodocs pages and a control for
// every attribute come from it, so Storybook needs no prior build.
const MANIFEST_ID = 'virtual:groupbuy-custom-elements';
interface Manifest {
  modules?: Array<{ declarations?: Array<{ members?: Array<{ privacy?: string; static?: boolean }> }> }>;
}
function customElementsManifest() {
  return {
    name: 'groupbuy-custom-elements',
    resolveId(id: string) {
      return id === MANIFEST_ID ? `\0${MANIFEST_ID}` : null;
    },
    async load(id: string) {
      if (id !== `\0${MANIFEST_ID}`) return null;
      const { analyze } = (await import(join(root, 'scripts/gen-elements-docs.mjs'))) as { analyze: () => Promise<Manifest> };
      const manifest = await analyze();
      // The docs page is for the page author: the element's internals (private state, controllers) stay out.
      for (const mod of manifest.modules ?? []) {
        for (const decl of mod.declarations ?? []) {
          decl.members = decl.members?.filter((m) => m.privacy !== 'private' && m.privacy !== 'protected' && !m.static);
        }
      }
      return `export default ${JSON.stringify(manifest)};`;
    },
  };
}

/** One Vite alias: an import specifier (or pattern) and the path it resolves to. */
interface ViteAlias {
  find: string | RegExp;
  replacement: string;
}

const config = {
  stories: ['../packages/elements/src/**/*.stories.ts'],
  framework: { name: packageDir('@storybook/web-components-vite'), options: {} },
  addons: [packageDir('@storybook/addon-a11y'), packageDir('@storybook/addon-docs')],
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  async viteFinal(viteConfig: { resolve?: { alias?: ViteAlias[] | Record<string, string> } } & Record<string, unknown>) {
    const alias = Object.entries(sources).map(([find, path]) => ({
      find: new RegExp(`^${find.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`),
      replacement: join(root, path),
    }));
    const existing = viteConfig.resolve?.alias;
    return {
      ...viteConfig,
      // Storybook's and Lit's packages are installed in packages/elements; bare imports resolve from there.
      root: join(root, 'packages/elements'),
      plugins: [...((viteConfig['plugins'] as unknown[] | undefined) ?? []), customElementsManifest()],
      resolve: {
        ...viteConfig.resolve,
        alias: [
          ...alias,
          ...(Array.isArray(existing) ? existing : Object.entries(existing ?? {}).map(([find, replacement]) => ({ find, replacement }))),
        ],
      },
      // esbuild follows each file's tsconfig (packages/*/tsconfig.json → the root one): legacy decorators.
      build: { ...(viteConfig['build'] as object), chunkSizeWarningLimit: 2000 },
    };
  },
};

export default config;
