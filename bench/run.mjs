// The load benchmark runner: `pnpm bench [--quick] [--only=1,3] [--readme]`. Each scenario is a module
// scenarios/<n>-<name>.mjs exporting `run({ quick, report, log })`; results go to results/latest.json
// ({ date, machine, commit, results }) and are printed as a markdown table (with --readme also written into
// the README's "Benchmarks" section between its bench markers).
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { BENCH_DIR, PINNED, SERVER_BUILT, pinSelf } from './lib/proc.mjs';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const only = argv
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',')
  .map(Number);
const writeReadme = argv.includes('--readme');

pinSelf();
// A client promise a scenario dropped (a socket that timed out after the step moved on) must not end the whole run.
process.on('unhandledRejection', (err) => console.log(`  (unhandled in a scenario: ${err instanceof Error ? err.message : String(err)})`));
const results = [];
const log = (line) => console.log(`  ${line}`);
const report = (r) => {
  results.push(r);
  log(
    `${r.case}: ${fmt(r.value)} ${r.unit}${r.p99 !== undefined ? `, p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms` : ''}${r.ratio !== undefined ? `, ×${r.ratio.toFixed(2)} vs ${r.baseline}` : ''}`,
  );
};
const fmt = (v) =>
  v === undefined || v === null || Number.isNaN(v) ? '–' : Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : +v.toPrecision(3);

const files = readdirSync(join(BENCH_DIR, 'scenarios'))
  .filter((f) => /^\d+-.*\.mjs$/.test(f))
  .sort((a, b) => parseInt(a) - parseInt(b));
const t0 = performance.now();
for (const f of files) {
  const n = parseInt(f);
  if (only && !only.includes(n)) continue;
  const mod = await import(join(BENCH_DIR, 'scenarios', f));
  console.log(`\nScenario ${n}: ${mod.title ?? f}${quick ? ' (quick)' : ''}`);
  const s0 = performance.now();
  const load0 = loadavg()[0];
  const first = results.length;
  try {
    await mod.run({ quick, report, log });
  } catch (err) {
    log(`FAILED: ${err instanceof Error ? err.stack : String(err)}`);
    results.push({ scenario: n, case: 'failed', value: null, unit: '', note: String(err instanceof Error ? err.message : err) });
  }
  // Other work on the machine moves p99s: each result carries the 1-minute load average around its scenario.
  const load = `${load0.toFixed(1)}→${loadavg()[0].toFixed(1)}`;
  for (const r of results.slice(first)) r.loadavg = load;
  log(`(${((performance.now() - s0) / 1000).toFixed(1)} s, load average ${load} on ${cpus().length} cores)`);
}

const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: BENCH_DIR }).toString().trim();
  } catch {
    return 'unknown';
  }
})();
const machine = `${cpus()[0]?.model.trim()} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${PINNED ? 'generator on core 0, server on core 1 (taskset)' : 'not pinned'}, server ${SERVER_BUILT ? 'dist' : 'source via tsx'}`;
const out = { date: new Date().toISOString(), machine, commit, quick, seconds: Math.round((performance.now() - t0) / 1000), results };
// BENCH_OUT=<file>: a trial run's results go there instead of over the last full run's.
const outFile = process.env.BENCH_OUT ?? join(BENCH_DIR, 'results', quick ? 'latest-quick.json' : 'latest.json');
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, `${JSON.stringify(out, null, 2)}\n`);

const pct = (v) => (v === undefined ? '–' : `${Math.round(v * 100)}%`);
const rows = results.map(
  (r) =>
    `| ${r.scenario} | ${r.case} | ${fmt(r.value)} ${r.unit} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${pct(r.serverCpu)} | ${fmt(r.rssMB)} | ${r.ratio === undefined ? '–' : `×${r.ratio.toFixed(2)} vs ${r.baseline}`} | ${r.loadavg ?? ''} | ${r.note ?? ''} |`,
);
const table = [
  `Run ${out.date} on ${machine}, commit \`${commit}\`${quick ? ' (`--quick`)' : ''}, ${out.seconds} s.`,
  '',
  '| # | case | result | p50 ms | p99 ms | server CPU | server RSS MB | ratio | load avg | notes |',
  '|---|---|---|---|---|---|---|---|---|---|',
  ...rows,
].join('\n');
console.log(`\n${table}\n`);
if (writeReadme) {
  const readme = join(BENCH_DIR, '..', 'README.md');
  const text = readFileSync(readme, 'utf8');
  const re = /(<!-- bench:start -->\n)[\s\S]*?(\n<!-- bench:end -->)/;
  if (re.test(text)) writeFileSync(readme, text.replace(re, `$1${table}$2`));
  else console.log('README has no <!-- bench:start --> / <!-- bench:end --> markers; table not written.');
}
// Sockets a failed scenario left open must not keep the runner alive.
process.exit(0);
