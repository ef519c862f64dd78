// Baseline for acked sends: raw better-sqlite3 insert loops (WAL, synchronous NORMAL, foreign keys on, one
// autocommit insert per message: the pragmas and the durability of the reference server's SqliteStore),
// pinned like a server. Two tables, each in its own file: a minimal 4-column one, and the store's own
// `messages` table as its migrations make it (13 columns, the clientMsgId unique index, the room foreign key)
// with a row of the same shape a CHAT send writes (plain 200-character content: encryption is the store's
// work, not the baseline's). Prints one JSON line: { rate, p50, p99, schema: { rate, p50, p99 } }.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '@groupbuy/server';

const ms = Number(process.env.BENCH_MS ?? 2000);
const content = 'x'.repeat(200);

function open(path) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  return db;
}

// Inserts with `insert(seq)` for `untilMs`, one autocommit statement each; returns the rate and latencies.
function measure(insert) {
  let seq = 0;
  const lat = [];
  const run = (untilMs) => {
    const end = performance.now() + untilMs;
    while (performance.now() < end) {
      const t = performance.now();
      insert(++seq);
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
  return { rate, p50: pct(0.5), p99: pct(0.99) };
}

const dir = mkdtempSync(join(tmpdir(), 'bench-sqlite-loop-'));
const minimal = open(join(dir, 'minimal.db'));
minimal.exec(
  'CREATE TABLE messages (room_id TEXT NOT NULL, seq INTEGER NOT NULL, content TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (room_id, seq)) WITHOUT ROWID',
);
const insertMinimal = minimal.prepare('INSERT INTO messages VALUES (?, ?, ?, ?)');
const base = measure((seq) => insertMinimal.run('room', seq, content, Date.now()));
minimal.close();

// The store's schema, migrated by SqliteStore itself (then closed), and one room for the foreign key.
const path = join(dir, 'schema.db');
await SqliteStore.open({ path }).close();
const db = open(path);
db.prepare(
  "INSERT INTO rooms (product_id, title, status, max_participants, min_participants, expires_at, created_at) VALUES ('room', 'Room', 'ACTIVE', 100, 1, ?, ?)",
).run(Date.now() + 86400e3, Date.now());
const insertRow = db.prepare(
  `INSERT INTO messages (room_id, seq, id, type, sender_id, sender_name, content, created_at, client_msg_id, event, room, key_id, deleted)
   VALUES ('room', ?, ?, 'CHAT', 'acker', 'acker', ?, ?, ?, NULL, NULL, NULL, 0)`,
);
const schema = measure((seq) => insertRow.run(seq, randomUUID(), content, Date.now(), `c${seq}`));
db.close();
process.stdout.write(`READY 0\n${JSON.stringify({ ...base, schema })}\n`);
