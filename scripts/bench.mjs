// `pnpm bench [--quick] [--only=N,M] [--readme] [--no-build]`: builds (not with --quick), then runs the load benchmarks
// (bench/, separate generator and server processes) and, unless --quick or --only, the in-process
// micro-benchmarks of the packages that have a `bench` script (server, sdk).
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2).filter((a) => a !== '--');
const own = new Set(['--no-build']);
const benchArgs = args.filter((a) => !own.has(a));
const run = (cmd, argv) => spawnSync(cmd, argv, { stdio: 'inherit' }).status ?? 1;

// --quick does not build: the harness runs the server from source whenever its dist is older than it.
if (!args.includes('--no-build') && !args.includes('--quick') && run('pnpm', ['run', 'build']) !== 0) {
  console.error('build failed: the load benchmarks run the server from its source (tsx) where dist is missing');
}
let status = run('pnpm', ['--filter', '@groupbuy/bench', 'run', 'bench', ...benchArgs]);
if (!args.includes('--quick') && !args.some((a) => a.startsWith('--only='))) {
  status ||= run('pnpm', ['-r', '--filter', './packages/*', '--workspace-concurrency=1', '--no-sort', '--if-present', 'run', 'bench']);
}
process.exit(status);
