// Builds only the workspace packages whose build is out of date, in dependency order, so `pnpm start` with
// nothing changed starts in seconds. `pnpm build` and `pnpm test` still build everything.
//
// A package is out of date when one of its build outputs is missing, or when any input is newer than
// the oldest of its outputs. Inputs: its src/ (tests, stories and test support left out: the build
// excludes them), package.json, its own and the shared build configs and tsconfigs, the lockfile, and
// the outputs of the workspace packages it depends on (the widget bundle inlines the SDK and protocol, so
// a rebuilt SDK makes the elements out of date too).
//
// Usage: node scripts/build-changed.mjs [--dry-run]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The packages in build order, each with the outputs its build writes last and its workspace deps. */
const PACKAGES = [
  { name: '@groupbuy/protocol', dir: 'packages/protocol', outputs: ['dist/index.js', 'dist/index.d.ts'], deps: [] },
  { name: '@groupbuy/server', dir: 'packages/server', outputs: ['dist/index.js', 'dist/main.js'], deps: ['packages/protocol'] },
  {
    name: '@groupbuy/sdk',
    dir: 'packages/sdk',
    outputs: ['dist/index.js', 'dist/transports/stomp.js', 'dist/transports/sse.js'],
    deps: ['packages/protocol'],
  },
  {
    name: '@groupbuy/elements',
    dir: 'packages/elements',
    outputs: ['dist/index.js', 'dist/groupbuy-chat.bundle.js', 'dist/groupbuy-chat.bundle.js.br', 'custom-elements.json'],
    deps: ['packages/protocol', 'packages/sdk'],
  },
];

const SHARED_INPUTS = ['tsconfig.json', 'rollup.config.mjs', 'pnpm-lock.yaml'];
const SKIPPED = /(\.test\.|\.stories\.|\/test-support\/)/;

/** Newest modification time (ms) of the files and folders under `path`, skipping tests. */
function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return SKIPPED.test(path) ? 0 : info.mtimeMs;
  // A folder's own time changes when a file in it is added, removed or renamed.
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Oldest output time, or null when an output is missing. */
function builtAt(pkg) {
  let oldest = Infinity;
  for (const out of pkg.outputs) {
    const file = join(root, pkg.dir, out);
    if (!existsSync(file)) return null;
    oldest = Math.min(oldest, statSync(file).mtimeMs);
  }
  return oldest;
}

function inputsChangedAt(pkg) {
  const dir = join(root, pkg.dir);
  const own = readdirSync(dir)
    .filter((f) => f === 'src' || f === 'package.json' || /^(rollup|tsconfig|vite)[\w.-]*\.(mjs|js|json)$/.test(f))
    .map((f) => newestMtime(join(dir, f)));
  const shared = SHARED_INPUTS.map((f) => newestMtime(join(root, f)));
  const deps = pkg.deps.map((d) => newestMtime(join(root, d, 'dist')));
  return Math.max(...own, ...shared, ...deps);
}

const dryRun = process.argv.includes('--dry-run');
const started = Date.now();
let built = 0;
for (const pkg of PACKAGES) {
  const at = builtAt(pkg);
  const changed = inputsChangedAt(pkg);
  if (at !== null && changed <= at) {
    console.log(`build-changed: ${pkg.name} is up to date`);
    continue;
  }
  console.log(`build-changed: building ${pkg.name} (${at === null ? 'no build yet' : 'sources changed since the last build'})`);
  built++;
  if (dryRun) continue;
  const result = spawnSync('pnpm', ['--filter', pkg.name, 'run', 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`build-changed: building ${pkg.name} failed`);
    process.exit(result.status ?? 1);
  }
}
console.log(`build-changed: ${built} of ${PACKAGES.length} packages built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
