// Processes under test: each peer runs in its own child process, pinned to its own core when there are two
// or more, and is measured from the outside (/proc/<pid>/stat and /proc/<pid>/status), never from within.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
const NCPU = cpus().length;
const CLK_TCK = 100; // Linux USER_HZ
export const PINNED = NCPU >= 2 && existsSync('/usr/bin/taskset');
export const GENERATOR_CORE = 0;
export const SERVER_CORE = 1;

/** Pins this process (the load generator) to core 0, so servers under test get core 1 alone. */
export function pinSelf() {
  if (!PINNED) return;
  execFileSync('taskset', ['-acp', String(GENERATOR_CORE), String(process.pid)], { stdio: 'ignore' });
}

/**
 * Runs `start` (which launches a process, e.g. a browser) with this process on every core, then pins it
 * back: what `start` spawns keeps every core, as on a shopper's machine, and so do its own children.
 */
export async function unpinnedWhile(start) {
  if (!PINNED) return start();
  execFileSync('taskset', ['-acp', `0-${NCPU - 1}`, String(process.pid)], { stdio: 'ignore' });
  try {
    return await start();
  } finally {
    pinSelf();
  }
}

const newest = (dir) => {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith('.ts')) t = Math.max(t, statSync(join(e.parentPath ?? e.path, e.name)).mtimeMs);
  }
  return t;
};
const serverDist = join(BENCH_DIR, '..', 'packages', 'server', 'dist', 'index.js');
/**
 * Whether @groupbuy/server's build is current (dist newer than every source file of server and protocol);
 * otherwise the server under test runs from its TypeScript source through tsx, so a bench always measures
 * the code as it is now.
 */
export const SERVER_BUILT =
  existsSync(serverDist) &&
  statSync(serverDist).mtimeMs >=
    Math.max(newest(join(BENCH_DIR, '..', 'packages', 'server', 'src')), newest(join(BENCH_DIR, '..', 'packages', 'protocol', 'src')));

/**
 * Starts `peers/<name>.mjs` in a child process pinned to the server core; it prints `READY <port>` once
 * listening. Resolves with { port, pid, stop }.
 */
export function startPeer(name, env = {}) {
  const nodeArgs = ['--max-old-space-size=4096'];
  if (name.startsWith('groupbuy') && !SERVER_BUILT) nodeArgs.push('--conditions=@groupbuy/source', '--import', 'tsx');
  // BENCH_PROFILE=<dir>: a CPU profile of each server child, written when stop() ends it with SIGTERM.
  const profile = process.env.BENCH_PROFILE;
  if (profile) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${profile}`);
  const script = join(BENCH_DIR, 'peers', `${name}.mjs`);
  const [cmd, args] = PINNED
    ? ['taskset', ['-c', String(SERVER_CORE), process.execPath, ...nodeArgs, script]]
    : [process.execPath, [...nodeArgs, script]];
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'], cwd: BENCH_DIR });
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (d) => {
      buf += d;
      const m = /READY (\d+)/.exec(buf);
      if (!m) return;
      child.stdout.off('data', onData);
      child.stdout.resume();
      resolve({
        port: Number(m[1]),
        pid: child.pid,
        exited: child.exitCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r())),
        stop: () =>
          new Promise((r) => {
            if (child.exitCode !== null) return r();
            child.once('exit', () => r());
            child.kill(profile ? 'SIGTERM' : 'SIGKILL');
          }),
      });
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`peer ${name} exited (${code}) before it was ready`)));
  });
}

/** CPU seconds (user + system) the process has used so far. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / CLK_TCK; // fields 14 and 15: utime, stime
}

/** Resident set size in bytes. */
export function rssBytes(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

/** Measures CPU use of `pid` (a fraction of one core) between start() and stop(). */
export function cpuMeter(pid) {
  let c0 = cpuSeconds(pid);
  let t0 = performance.now();
  return {
    reset() {
      c0 = cpuSeconds(pid);
      t0 = performance.now();
    },
    read: () => (cpuSeconds(pid) - c0) / ((performance.now() - t0) / 1000),
  };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** p-th percentile (0–100) of a numeric array (sorted in place). */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  values.sort((a, b) => a - b);
  return values[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];
}

/** Runs `fn(i)` for i in [0, n) with at most `limit` at once. */
export async function pool(n, limit, fn) {
  const out = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, limit) }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await fn(i);
      }
    }),
  );
  return out;
}
