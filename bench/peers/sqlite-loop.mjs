// Baseline for acked sends: a raw better-sqlite3 insert loop (WAL, synchronous NORMAL, one autocommit
// insert per message, as the reference server's store does per send), pinned like a server. Prints one JSON line.
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ms = Number(process.env.BENCH_MS ?? 2000);
const db = new Database(join(mkdtempSync(join(tmpdir(), 'bench-sqlite-loop-')), 'b.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(
  'CREATE TABLE messages (room_id TEXT NOT NULL, seq INTEGER NOT NULL, content TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (room_id, seq)) WITHOUT ROWID',
);
const stmt = db.prepare('INSERT INTO messages VALUES (?, ?, ?, ?)');
const content = 'x'.repeat(200);
let seq = 0;
const lat = [];
const run = (untilMs) => {
  const end = performance.now() + untilMs;
  while (performance.now() < end) {
    const t = performance.now();
    stmt.run('room', ++seq, content, Date.now());
    lat.push(performance.now() - t);
  }
};
run(300); // warm-up
lat.length = 0;
const n0 = seq;
const t0 = performance.now();
run(ms);
const rate = (seq - n0) / ((performance.now() - t0) / 1000);
lat.sort((a, b) => a - b);
const pct = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
process.stdout.write(`READY 0\n${JSON.stringify({ rate, p50: pct(0.5), p99: pct(0.99) })}\n`);
