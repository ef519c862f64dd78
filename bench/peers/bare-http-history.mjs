// Baseline for scenario 4: the HTTP floor on this machine. A bare node:http server answering
// GET /api/chat/rooms/{id}/messages?before=SEQ&limit=N with the raw query on BENCH_DB and JSON.stringify of the
// rows as they come (no auth, no decryption, no mapping): what any HTTP history endpoint costs here at least.
import Database from 'better-sqlite3';
import { createServer } from 'node:http';

const db = new Database(process.env.BENCH_DB, { readonly: true });
const page = db.prepare('SELECT * FROM messages WHERE room_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?');
const ROUTE = /^\/api\/chat\/rooms\/([^/?]+)\/messages$/;

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const m = ROUTE.exec(url.pathname);
  if (req.method !== 'GET' || !m) {
    res.writeHead(404).end();
    return;
  }
  const limit = Number(url.searchParams.get('limit') ?? 50);
  const before = Number(url.searchParams.get('before') ?? Number.MAX_SAFE_INTEGER);
  // One row past the page answers hasMore, as the reference server does.
  const rows = page.all(decodeURIComponent(m[1]), before, limit + 1);
  const body = JSON.stringify({ messages: rows.slice(0, limit).reverse(), hasMore: rows.length > limit });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`READY ${server.address().port}\n`));
// Profiled (BENCH_PROFILE): exit normally on SIGTERM, so node writes the profile.
if (process.env.BENCH_PROFILE) process.once('SIGTERM', () => process.exit(0));
