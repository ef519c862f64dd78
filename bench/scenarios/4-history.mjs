// Scenario 4 — history "50 before a cursor" over HTTP (GET /api/chat/rooms/{id}/messages?before=SEQ&limit=50,
// signed in, content decrypted) against the same page read straight from the file with better-sqlite3.
// The file has 1,000,000 messages over 10,000 rooms (quick: 20,000 over 200): rooms created and the schema migrated by
// the server's own SqliteStore, messages then bulk-inserted in its row format (AES-GCM content, its key id).
// Peer in the same run: peers/bare-http-history.mjs, a bare node:http server giving the same page from the raw
// query + JSON.stringify (no auth, no decryption): the HTTP floor, reported beside the raw-query ratio.
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuSeconds, percentile, pool, rssBytes, startPeer } from '../lib/proc.mjs';
import { token } from '../lib/jwt.mjs';

export const title = 'history page (50 before a cursor) over HTTP vs raw query';

export async function run({ quick, report, log }) {
  const rooms = quick ? 200 : 10000;
  const perRoom = 100;
  const requests = quick ? 1000 : 5000;
  const dir = mkdtempSync(join(tmpdir(), 'groupbuy-bench-history-'));
  const path = join(dir, 'chat.db');
  const key = randomBytes(32).toString('base64');
  const t0 = performance.now();
  const seeder = await startPeer('groupbuy-seed', {
    BENCH_DB: path,
    BENCH_CONTENT_KEY: key,
    BENCH_ROOMS: String(rooms),
    BENCH_PER_ROOM: String(perRoom),
  });
  await seeder.exited;
  log(
    `seeded ${(rooms * perRoom).toLocaleString('en-US')} messages over ${rooms.toLocaleString('en-US')} rooms in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const picks = Array.from({ length: requests }, () => ({
    room: `p${Math.floor(Math.random() * rooms)}`,
    before: 51 + Math.floor(Math.random() * (perRoom - 50)),
  }));

  // Raw: the same page straight from the file (no decryption, no HTTP).
  const db = new Database(path, { readonly: true });
  const page = db.prepare('SELECT * FROM messages WHERE room_id = ? AND seq < ? ORDER BY seq DESC LIMIT 50');
  const rawLat = [];
  for (const p of picks.slice(0, 200)) page.all(p.room, p.before); // warm-up
  for (const p of picks) {
    const t = performance.now();
    page.all(p.room, p.before);
    rawLat.push(performance.now() - t);
  }
  db.close();
  const rawP50 = percentile(rawLat, 50);
  const rawP99 = percentile(rawLat, 99);
  report({
    scenario: 4,
    case: `raw SELECT 50 before cursor (${(rooms * perRoom).toLocaleString('en-US')} msgs)`,
    value: rawP50,
    unit: 'ms p50',
    p50: rawP50,
    p99: rawP99,
  });

  // Both HTTP servers answer the same picks at the same concurrency: the bare node:http peer (raw query +
  // JSON.stringify, no auth, no decryption) is the HTTP floor; the ratio stays against the raw query.
  const bare = await startPeer('bare-http-history', { BENCH_DB: path });
  const server = await startPeer('groupbuy', { BENCH_DB: path, BENCH_CONTENT_KEY: key });
  try {
    const auth = { authorization: `Bearer ${token('reader')}` };
    const getter = (peer) => async (p) => {
      const res = await fetch(`http://127.0.0.1:${peer.port}/api/chat/rooms/${p.room}/messages?before=${p.before}&limit=50`, {
        headers: auth,
      });
      const body = await res.json();
      if (res.status !== 200 || body.messages.length !== 50)
        throw new Error(`history ${res.status}: ${JSON.stringify(body).slice(0, 200)}`);
    };
    // Server CPU per page (from /proc) beside the latencies: on a shared machine the latencies move with
    // everyone's load, the CPU a page costs the server much less.
    const measure = async (peer, get, concurrency) => {
      const lat = [];
      const cpu0 = cpuSeconds(peer.pid);
      const t1 = performance.now();
      await pool(requests, concurrency, async (i) => {
        const t = performance.now();
        await get(picks[i]);
        lat.push(performance.now() - t);
      });
      const rps = requests / ((performance.now() - t1) / 1000);
      const cpuUs = ((cpuSeconds(peer.pid) - cpu0) / requests) * 1e6;
      return { p50: percentile(lat, 50), p99: percentile(lat, 99), rps, cpuUs };
    };
    const getBare = getter(bare);
    const getOurs = getter(server);
    await pool(200, 1, (i) => getBare(picks[i])); // warm-up
    await pool(200, 1, (i) => getOurs(picks[i]));
    for (const concurrency of [1, 8]) {
      const floor = await measure(bare, getBare, concurrency);
      const ours = await measure(server, getOurs, concurrency);
      // One row per server, both against the raw query (the ratio).
      const row = (peer, m, label, extra) =>
        report({
          scenario: 4,
          case: `${label}, ${concurrency} at a time`,
          value: m.p50,
          unit: 'ms p50',
          p50: m.p50,
          p99: m.p99,
          rssMB: rssBytes(peer.pid) / 2 ** 20,
          ratio: m.p50 / rawP50,
          baseline: 'raw query p50',
          note: `${Math.round(m.rps)} pages/s, server CPU ${Math.round(m.cpuUs)} µs/page${extra}; p99 ×${(m.p99 / rawP99).toFixed(2)} the raw query's`,
        });
      row(bare, floor, 'bare node:http GET …/messages (raw query + JSON.stringify)', '');
      row(
        server,
        ours,
        'groupbuy GET …/messages?before=&limit=50',
        ` (×${(ours.cpuUs / floor.cpuUs).toFixed(2)} the bare peer's); ×${(ours.p50 / floor.p50).toFixed(2)} p50 / ×${(ours.p99 / floor.p99).toFixed(2)} p99 the bare node:http peer's`,
      );
    }
  } finally {
    await Promise.all([server.stop(), bare.stop()]);
  }
}
