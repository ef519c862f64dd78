// `pnpm --filter @groupbuy/react size`: what this package adds on top of the SDK and the elements a page
// already has — dist/index.js bundled and minified by esbuild with react, the SDK, the elements and the
// protocol left external (so @lit/react and our own code count), then gzipped.
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const result = await build({
  entryPoints: [new URL('../dist/index.js', import.meta.url).pathname],
  bundle: true,
  minify: true,
  write: false,
  format: 'esm',
  platform: 'browser',
  external: ['react', 'react-dom', '@groupbuy/sdk', '@groupbuy/sdk/*', '@groupbuy/elements', '@groupbuy/protocol'],
  logLevel: 'silent',
});
const code = result.outputFiles[0].contents;
console.log(
  `@groupbuy/react: ${code.length} bytes minified, ${gzipSync(code).length} bytes gzipped (on top of react, the SDK and the elements)`,
);
