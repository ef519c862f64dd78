// `node bench/lib/profile-top.mjs <file.cpuprofile> [n]`: the n (default 5) functions with the most self time,
// as shares of the busy (not idle) samples — the "top five" of a profile taken with BENCH_PROFILE.
import { readFileSync } from 'node:fs';

const [file, n = '5'] = process.argv.slice(2);
const { nodes, samples, timeDeltas } = JSON.parse(readFileSync(file, 'utf8'));
const frameOf = new Map(nodes.map((node) => [node.id, node.callFrame]));
const self = new Map();
let busy = 0;
let all = 0;
samples.forEach((id, i) => {
  const f = frameOf.get(id);
  all += timeDeltas[i];
  if (f.functionName === '(idle)' || f.functionName === '(program)') return;
  busy += timeDeltas[i];
  const where = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
  self.set(where, (self.get(where) ?? 0) + timeDeltas[i]);
});
console.log(`busy ${Math.round((100 * busy) / all)}% of ${(all / 1e6).toFixed(1)} s`);
for (const [where, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(n)))
  console.log(`${((100 * t) / busy).toFixed(1)}% ${where}`);
