// SDK benchmarks: the client's hot path (merging stored messages into a session's ordered list), each
// against a baseline in the same run, reported as ratios. Run with `pnpm bench` (builds first).
import { MessageList } from '../dist/message-list.js';

const N = 20_000;
const msg = (seq) => ({
  id: `m${seq}`,
  roomId: 'r',
  seq,
  type: 'CHAT',
  sender: { userId: `u${seq % 7}`, name: 'U' },
  content: `message ${seq}`,
  createdAt: '2030-01-01T00:00:00.000Z',
});
const inOrder = Array.from({ length: N }, (_, i) => msg(i + 1));
// Live traffic from several instances: each message at most 8 places from where it belongs.
const jittered = [...inOrder];
for (let i = 0; i < N; i += 8) jittered.splice(i, 8, ...jittered.slice(i, i + 8).reverse());

function time(fn, rounds = 9) {
  fn(); // warm-up
  const t = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return t.sort((a, b) => a - b)[Math.floor(rounds / 2)];
}

const results = [];
const report = (name, candidate, baseline) =>
  results.push({ name, candidate_ms: +candidate.toFixed(2), baseline_ms: +baseline.toFixed(2), ratio: +(candidate / baseline).toFixed(3) });

const insertAll = (list) => () => {
  const l = new MessageList();
  for (const m of list) l.insert(m, 'u1');
};
report(`insert ${N} messages arriving out of order (±8) vs in order`, time(insertAll(jittered)), time(insertAll(inOrder)));

// What a widget does: read the ordered view after every message (the view is cached until a change).
const insertAndView = () => {
  const l = new MessageList();
  for (const m of inOrder.slice(0, 2000)) {
    l.insert(m, 'u1');
    l.view();
  }
};
const insertOnly = () => {
  const l = new MessageList();
  for (const m of inOrder.slice(0, 2000)) l.insert(m, 'u1');
};
report('2000 live messages, view() after each vs insert only', time(insertAndView), time(insertOnly));

// A reconnect replays what was already there: duplicates must be cheap.
const dupes = () => {
  const l = new MessageList();
  for (const m of inOrder) l.insert(m, 'u1');
  for (const m of inOrder) l.insert(m, 'u1');
};
report(`insert ${N} then the same ${N} again (replay overlap) vs once`, time(dupes), time(insertAll(inOrder)));

console.log('\n@groupbuy/sdk benchmarks (ratio = candidate / baseline, same run)\n');
console.table(results);
