// One build recipe for the libraries: ESM + .d.ts per entry point, dependencies left external so
// each package ships only its own code. `--environment PKG:<name>` picks the package (run from it).
import typescript from '@rollup/plugin-typescript';
import { readFileSync } from 'node:fs';

const entries = {
  protocol: ['src/index.ts'],
  server: ['src/index.ts', 'src/main.ts', 'src/core.ts'],
  sdk: ['src/index.ts', 'src/transports/stomp.ts', 'src/transports/socket-io.ts', 'src/transports/ws.ts', 'src/transports/sse.ts'],
};

const pkgName = process.env.PKG;
if (!pkgName || !entries[pkgName]) throw new Error(`set PKG to one of ${Object.keys(entries).join(', ')}`);
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const deps = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies });
const external = (id) => id.startsWith('node:') || deps.some((d) => id === d || id.startsWith(`${d}/`));

export default {
  input: entries[pkgName],
  output: { dir: 'dist', format: 'es', sourcemap: true, preserveModules: true, preserveModulesRoot: 'src' },
  external,
  plugins: [typescript({ tsconfig: './tsconfig.build.json' })],
};
