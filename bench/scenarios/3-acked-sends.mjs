// Scenario 3 — acked sends: STOMP SEND with a receipt (the RECEIPT comes once the message is stored and
// broadcast) with 1 / 10 / 50 in flight on one connection, against raw better-sqlite3 insert loops (peers/sqlite-loop.mjs):
// the ratio is against the one into the store's own messages table (same schema, pragmas and one commit per
// insert), the note gives it against the minimal 4-column table too.
// BENCH_PROFILE=<dir>: the server children run with --cpu-prof into <dir> (see lib/proc.mjs).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import WebSocket from 'ws';
import { BENCH_DIR, PINNED, SERVER_CORE, cpuSeconds, percentile, rssBytes, sleep, startPeer } from '../lib/proc.mjs';
import { createRoom, token } from '../lib/jwt.mjs';

export const title = 'acked sends (STOMP SEND + receipt) vs raw SQLite inserts';

function sqliteLoop(ms) {
  const script = join(BENCH_DIR, 'peers', 'sqlite-loop.mjs');
  const [cmd, args] = PINNED ? ['taskset', ['-c', String(SERVER_CORE), process.execPath, script]] : [process.execPath, [script]];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, BENCH_MS: String(ms) }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.split('\n')[1])) : reject(new Error(`sqlite loop exited ${code}`))));
  });
}

async function stompSender(port) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, ['v12.stomp'], { perMessageDeflate: false });
  await new Promise((r, j) => {
    ws.once('open', r);
    ws.once('error', j);
  });
  await new Promise((r) => {
    ws.once('message', r);
    ws.send(`CONNECT\naccept-version:1.2\nhost:/\nheart-beat:0,0\nAuthorization:Bearer ${token('acker')}\n\n\0`);
  });
  return ws;
}

async function ackedRun(ws, room, inFlight, ms, tag) {
  const pending = new Map();
  const lat = [];
  let n = 0;
  let done = 0;
  let stopAt = 0;
  let finish;
  const finished = new Promise((r) => (finish = r));
  const content = 'y'.repeat(200);
  const sendOne = () => {
    const id = `${tag}-${n++}`;
    pending.set(id, performance.now());
    ws.send(
      `SEND\ndestination:/app/chat/${room}\ncontent-type:application/json\nreceipt:${id}\n\n${JSON.stringify({ content, clientMsgId: id })}\0`,
    );
  };
  const onMessage = (d) => {
    const s = d.toString();
    const m = /receipt-id:([^\n]+)/.exec(s);
    if (!m) return;
    const t = pending.get(m[1]);
    if (t === undefined) return;
    pending.delete(m[1]);
    if (!s.startsWith('RECEIPT')) throw new Error(`send refused: ${s.slice(0, 300)}`);
    lat.push(performance.now() - t);
    done++;
    if (performance.now() < stopAt) sendOne();
    else if (pending.size === 0) finish();
  };
  ws.on('message', onMessage);
  const t0 = performance.now();
  stopAt = t0 + ms;
  for (let i = 0; i < inFlight; i++) sendOne();
  await finished;
  ws.off('message', onMessage);
  return { done, seconds: (performance.now() - t0) / 1000, lat };
}

// Paired in the same run: the SQLite store with group commit off (one transaction per send, as before)
// and on (the sends that arrive in one event-loop turn share a transaction; each RECEIPT after the COMMIT).
// Both servers run at once and take turns in short slices (AB BA AB …), so load from elsewhere on a shared
// machine falls on both alike.
const variants = [
  { name: 'one commit per send', env: { BENCH_GROUP_COMMIT: '0' } },
  { name: 'group commit', env: { BENCH_GROUP_COMMIT: '1' } },
];

export async function run({ quick, report }) {
  const ms = quick ? 700 : 5000;
  const rounds = quick ? 2 : 6;
  // The raw loops run before and after the servers; the faster of the two counts (load from elsewhere on a
  // shared machine only slows a run, so the faster one is the fairer baseline), and rows are reported at the end.
  const before = await sqliteLoop(ms);
  const rows = [];
  const servers = [];
  try {
    for (const v of variants) {
      const server = await startPeer('groupbuy', v.env);
      servers.push(server);
      await createRoom(`http://127.0.0.1:${server.port}`, 'acked');
      // 50 sockets: the first carries the one-connection loads, all 50 the many-connection one.
      const sockets = await Promise.all(Array.from({ length: 50 }, () => stompSender(server.port)));
      await ackedRun(sockets[0], 'acked', 10, 500, 'warm');
      Object.assign(server, { sockets, variant: v });
    }
    // One connection with 1 / 10 / 50 sends in flight (the session handles its frames one at a time, so
    // sends on one connection never share a commit), and 50 connections with one each (buyers sending at
    // once: what group commit batches).
    const loads = [...(quick ? [1, 50] : [1, 10, 50]).map((inFlight) => ({ inFlight, conns: 1 })), { inFlight: 50, conns: 50 }];
    for (const { inFlight, conns } of loads) {
      const sums = servers.map(() => ({ done: 0, seconds: 0, cpu: 0, lat: [] }));
      for (let r = 0; r < rounds; r++) {
        for (const k of r % 2 ? [1, 0] : [0, 1]) {
          const cpu0 = cpuSeconds(servers[k].pid);
          const slices = await Promise.all(
            servers[k].sockets
              .slice(0, conns)
              .map((ws, i) => ackedRun(ws, 'acked', inFlight / conns, ms / rounds, `w${inFlight}-${conns}-${r}-${i}`)),
          );
          const sum = sums[k];
          sum.cpu += cpuSeconds(servers[k].pid) - cpu0;
          sum.seconds += Math.max(...slices.map((x) => x.seconds));
          for (const slice of slices) {
            sum.done += slice.done;
            sum.lat.push(...slice.lat);
          }
          await sleep(50);
        }
      }
      const rates = sums.map((x) => x.done / x.seconds);
      servers.forEach((server, k) => {
        rows.push({
          scenario: 3,
          case: `groupbuy STOMP SEND+receipt, ${inFlight} in flight${conns > 1 ? ` over ${conns} connections` : ''}, ${server.variant.name}`,
          value: rates[k],
          unit: 'sends/s',
          p50: percentile(sums[k].lat, 50),
          p99: percentile(sums[k].lat, 99),
          serverCpu: sums[k].cpu / sums[k].seconds,
          rssMB: rssBytes(server.pid) / 2 ** 20,
          baseline: 'raw inserts, same schema',
          note: k === 1 ? `×${(rates[1] / rates[0]).toFixed(2)} vs one commit per send (interleaved, ${rounds} slices each)` : '',
        });
      });
    }
    for (const server of servers) for (const ws of server.sockets) ws.close();
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
  const after = await sqliteLoop(ms);
  const raw = before.rate >= after.rate ? before : after;
  const schema = before.schema.rate >= after.schema.rate ? before.schema : after.schema;
  report({
    scenario: 3,
    case: 'raw better-sqlite3 insert loop (4-column table)',
    value: raw.rate,
    unit: 'inserts/s',
    p50: raw.p50,
    p99: raw.p99,
  });
  report({
    scenario: 3,
    case: 'raw better-sqlite3 insert loop (the store messages schema)',
    value: schema.rate,
    unit: 'inserts/s',
    p50: schema.p50,
    p99: schema.p99,
    ratio: schema.rate / raw.rate,
    baseline: '4-column table',
  });
  for (const row of rows) {
    const vsMinimal = `×${(row.value / raw.rate).toFixed(2)} vs the 4-column loop`;
    report({ ...row, ratio: row.value / schema.rate, note: row.note ? `${vsMinimal}; ${row.note}` : vsMinimal });
  }
}
