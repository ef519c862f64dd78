// Scenario 7 — instances over Redis (issue 10): 1, 2 and 4 server processes on one SQLite file and one Redis,
// each subscribed only to the rooms its own readers read. (a) Added latency: a sender on the first instance,
// a reader on the last, send → MESSAGE time vs the same on one instance. (b) Total deliveries/s: ROOMS rooms
// spread round-robin over the instances, SUBS readers per room on the room's instance, each room's sender on
// another instance, for a fixed time.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile, sleep, startPeer } from '../lib/proc.mjs';
import { groupbuyStomp } from '../lib/clients.mjs';
import { createRoom } from '../lib/jwt.mjs';

export const title = 'instances over Redis: added latency and deliveries/s with rooms spread (1, 2, 4)';

async function cluster(n) {
  const db = join(mkdtempSync(join(tmpdir(), 'groupbuy-bench-7-')), 'chat.db');
  const prefix = `bench7:${randomBytes(3).toString('hex')}:`;
  const first = await startPeer('groupbuy-redis', { BENCH_DB: db, BENCH_REDIS_PREFIX: prefix });
  const rest = await Promise.all(
    Array.from({ length: n - 1 }, () => startPeer('groupbuy-redis', { BENCH_DB: db, BENCH_REDIS_PREFIX: prefix })),
  );
  return [first, ...rest];
}

async function latency(peers, count) {
  const room = `lat${randomBytes(3).toString('hex')}`;
  await createRoom(`http://127.0.0.1:${peers[0].port}`, room);
  const sentAt = new Map();
  const lat = [];
  let got = 0;
  const reader = await groupbuyStomp(peers.at(-1).port, room).sub(0, (buf, start, end) => {
    const m = /"clientMsgId":"(l\d+)"/.exec(buf.toString('utf8', start, end));
    const t0 = m && sentAt.get(m[1]);
    if (t0 !== undefined) lat.push(performance.now() - t0);
    got++;
  });
  const sender = await groupbuyStomp(peers[0].port, room).pub(0);
  for (let i = 0; i < count; i++) {
    sentAt.set(`l${i}`, performance.now());
    sender.send('latency probe', `l${i}`);
    await sleep(5);
  }
  for (let t = 0; got < count && t < 200; t++) await sleep(25);
  reader.close();
  sender.ws.close();
  return lat;
}

async function throughput(peers, rooms, subs, ms) {
  let delivered = 0;
  const sockets = [];
  const senders = [];
  for (let r = 0; r < rooms; r++) {
    const room = `tp${randomBytes(3).toString('hex')}${r}`;
    const home = peers[r % peers.length];
    const away = peers[(r + 1) % peers.length];
    await createRoom(`http://127.0.0.1:${home.port}`, room);
    const readers = groupbuyStomp(home.port, room);
    for (let i = 0; i < subs; i++) sockets.push(await readers.sub(r * 1000 + i, () => delivered++));
    senders.push(await groupbuyStomp(away.port, room).pub(r));
  }
  const content = 'x'.repeat(200);
  const t0 = performance.now();
  let n = 0;
  let before = 0;
  // Each sender sends 1 per 10 ms tick (≤ 100/s per room: below one instance's acked-send ceiling) for `ms`, then the tail drains.
  while (performance.now() - t0 < ms) {
    if (performance.now() - t0 > 500 && before === 0) before = delivered;
    for (const s of senders) s.send(content, `t${n++}`);
    await sleep(10);
  }
  const elapsed = (performance.now() - t0) / 1000;
  await sleep(1000);
  const perSecond = delivered / (elapsed + 1);
  for (const ws of sockets) ws.close();
  for (const s of senders) s.ws.close();
  return { perSecond, sent: n, delivered, expected: n * subs };
}

export async function run({ quick, report, log }) {
  const counts = quick ? [1, 2] : [1, 2, 4];
  const probes = quick ? 50 : 400;
  const rooms = quick ? 8 : 16;
  const subs = quick ? 25 : 50;
  const ms = quick ? 1500 : 8000;
  let base = null;
  let baseTp = null;
  for (const n of counts) {
    const peers = await cluster(n);
    try {
      const lat = await latency(peers, probes);
      const p50 = percentile(lat, 50);
      const p99 = percentile(lat, 99);
      base ??= { p50, p99 };
      report({
        scenario: 7,
        case: `${n} instance(s): send → other-instance MESSAGE`,
        value: p50,
        unit: 'ms p50',
        p50,
        p99,
        ...(n > 1 ? { ratio: p50 / base.p50, baseline: '1 instance' } : {}),
      });
      const tp = await throughput(peers, rooms, subs, ms);
      baseTp ??= tp.perSecond;
      log(`${n} instance(s): ${tp.delivered} of ${tp.expected} deliveries (${rooms} rooms × ${subs} readers, ${tp.sent} sends)`);
      report({
        scenario: 7,
        case: `${n} instance(s): deliveries/s, ${rooms} rooms spread`,
        value: tp.perSecond,
        unit: 'deliveries/s',
        ...(n > 1 ? { ratio: tp.perSecond / baseTp, baseline: '1 instance' } : {}),
      });
    } finally {
      await Promise.all(peers.map((p) => p.stop()));
    }
  }
}
