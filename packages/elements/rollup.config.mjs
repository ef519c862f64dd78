// Two builds of @groupbuy/elements:
//  1. dist/**: ESM modules + .d.ts for bundlers (Lit and @groupbuy/* stay external, one file per module).
//  2. dist/groupbuy-chat.bundle.js: the minified entry for a shop page's single <script type="module">
//     (Lit, the SDK core, both elements), loading the STOMP and plain WebSocket transports as
//     content-hashed chunks from dist/chunks/. Its URL is stable (servers revalidate it); a chunk's name
//     changes with its content (servers cache it for a year). Every .js and .map is written beside its
//     .gz and .br so a server sends compressed bytes without compressing per request.
import { rmSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import minifyHTML from '@lit-labs/rollup-plugin-minify-html-literals';

// The ESM build leaves its dependencies (Lit, @groupbuy/*, the markdown chunk's dompurify and snarkdown) to the
// consumer's bundler; the single-file bundle below carries them.
const dependencies = Object.keys(JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')).dependencies);
const external = (id) => /^@lit(\/|$)/.test(id) || dependencies.some((name) => id === name || id.startsWith(`${name}/`));

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

// Precompression at build time, at the highest levels: it runs once per build, not once per request.
const precompress = {
  name: 'groupbuy-precompress',
  // Old hashed chunks would pile up in dist/chunks/ build after build.
  generateBundle(options) {
    rmSync(join(options.dir, 'chunks'), { recursive: true, force: true });
  },
  writeBundle(options, bundle) {
    for (const fileName of Object.keys(bundle)) {
      if (!/\.(js|map)$/.test(fileName)) continue;
      const path = join(options.dir, fileName);
      const bytes = readFileSync(path);
      writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }));
      writeFileSync(
        `${path}.br`,
        brotliCompressSync(bytes, {
          params: {
            [zlibConstants.BROTLI_PARAM_QUALITY]: zlibConstants.BROTLI_MAX_QUALITY,
            [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT,
            [zlibConstants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
          },
        }),
      );
    }
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
    input: { 'groupbuy-chat.bundle': 'src/bundle.ts' },
    output: {
      dir: 'dist',
      format: 'es',
      sourcemap: true,
      entryFileNames: '[name].js',
      // The entry's own code becomes a shared chunk (the transports import from it); name it for what it is.
      chunkFileNames: (chunk) => (chunk.name === 'bundle' ? 'chunks/groupbuy-chat-[hash].js' : 'chunks/[name]-[hash].js'),
    },
    plugins: [
      bundleTransports,
      // `browser`: no Node-only modules; no `development` condition: Lit's production build.
      nodeResolve({ browser: true, exportConditions: ['browser'] }),
      typescript({ tsconfig: './tsconfig.build.json', declaration: false, declarationMap: false, outDir: 'dist' }),
      // The html`` and css`` literals lose their indentation, comments and optional markup (after
      // TypeScript, so the minifier reads plain JavaScript); a broken template fails the build.
      minifyHTML({ failOnError: true }),
      terser({ ecma: 2020, module: true, compress: { passes: 3 }, format: { comments: false } }),
      precompress,
    ],
  },
];
