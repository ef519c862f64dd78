// Baseline: a bare `ws` broadcast server. `?sub=1` sockets receive; every message from any socket goes to
// every subscriber of the sender's room (`?room=<id>`; without it every socket is in one room). With
// BENCH_SQLITE=1 each message is also one better-sqlite3 insert (WAL, synchronous NORMAL, as the reference
// server's store) before it is broadcast.
import { WebSocketServer } from 'ws';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let insert = null;
if (process.env.BENCH_SQLITE === '1') {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(join(mkdtempSync(join(tmpdir(), 'bench-ws-sqlite-')), 'b.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(
    'CREATE TABLE messages (room_id TEXT NOT NULL, seq INTEGER NOT NULL, content TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (room_id, seq)) WITHOUT ROWID',
  );
  const stmt = db.prepare('INSERT INTO messages VALUES (?, ?, ?, ?)');
  const seqs = new Map();
  insert = (room, content) => {
    const seq = (seqs.get(room) ?? 0) + 1;
    seqs.set(room, seq);
    stmt.run(room, seq, content, Date.now());
  };
}
// BENCH_BATCH=1: a socket's frames of one event-loop turn go out in one write (cork, uncork on setImmediate).
const batch = process.env.BENCH_BATCH === '1';
const corked = new Set();
const uncorkAll = () => {
  for (const s of corked) s._socket.uncork();
  corked.clear();
};
const rooms = new Map();
const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' }, () => process.stdout.write(`READY ${wss.address().port}\n`));
wss.on('connection', (ws, req) => {
  const query = new URL(req.url, 'http://x').searchParams;
  const room = query.get('room') ?? '';
  let subs = rooms.get(room);
  if (!subs) rooms.set(room, (subs = new Set()));
  if (query.has('sub')) {
    subs.add(ws);
    ws.on('close', () => subs.delete(ws));
  }
  // The received bytes go out as they are (no re-encoding per subscriber).
  ws.on('message', (data) => {
    insert?.(room, data.toString());
    for (const s of subs) {
      if (batch && !corked.has(s)) {
        if (corked.size === 0) setImmediate(uncorkAll);
        s._socket.cork();
        corked.add(s);
      }
      s.send(data, { binary: false });
    }
  });
});
