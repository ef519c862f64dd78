// Two builds of @groupbuy/elements:
//  1. dist/**: ESM modules + .d.ts for bundlers (Lit and @groupbuy/* stay external, one file per module).
//  2. dist/groupbuy-chat.bundle.js: one minified file with Lit, the SDK core and the STOMP (and plain
//     WebSocket) transports, for a shop page's single <script type="module">.
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

const external = (id) => /^(lit|@lit|@groupbuy)(\/|$)/.test(id);

// Socket.IO's client is the largest transport and shop pages use STOMP: the bundle answers with a clear
// error instead of carrying it. The ESM build loads it on demand as usual.
const SOCKET_IO_STUB = '\0groupbuy-socket-io-stub';
const bundleTransports = {
  name: 'groupbuy-bundle-transports',
  resolveId(id) {
    return id === '@groupbuy/sdk/socket.io' ? SOCKET_IO_STUB : null;
  },
  load(id) {
    if (id !== SOCKET_IO_STUB) return null;
    return `export function socketIoTransport() {
      throw new Error('groupbuy-chat.bundle.js carries the "stomp" and "ws" transports; load @groupbuy/elements as ESM for "socket.io".');
    }`;
  },
};

export default [
  {
    input: ['src/index.ts', 'src/define/groupbuy-chat.ts', 'src/define/participant-list.ts'],
    output: {
      dir: 'dist',
      format: 'es',
      sourcemap: true,
      preserveModules: true,
      preserveModulesRoot: 'src',
      // The decorator helper (tslib's __decorate, tree-shaken) ships inside the package, not as a dependency.
      entryFileNames: (chunk) => (chunk.name.includes('node_modules/') ? 'internal/tslib.js' : '[name].js'),
    },
    external,
    plugins: [typescript({ tsconfig: './tsconfig.build.json' })],
  },
  {
    input: 'src/bundle.ts',
    output: { file: 'dist/groupbuy-chat.bundle.js', format: 'es', sourcemap: true, inlineDynamicImports: true },
    plugins: [
      bundleTransports,
      // `browser`: no Node-only modules; no `development` condition: Lit's production build.
      nodeResolve({ browser: true, exportConditions: ['browser'] }),
      typescript({ tsconfig: './tsconfig.build.json', declaration: false, declarationMap: false, outDir: 'dist' }),
      terser({ ecma: 2020, module: true, compress: { passes: 2 }, format: { comments: false } }),
    ],
  },
];
