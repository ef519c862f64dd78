// docs/scaling.md figures: PostgreSQL table and index bytes per million messages, on the real migrations.
// Creates a scratch schema, lets PostgresStore run its migrations there, inserts ROWS messages (200-char
// content, spread over ROOMS rooms, a clientMsgId on each) in SQL, prints sizes as JSON, drops the schema.
// `cd packages/server && node --import tsx bench/pg-index-size.mjs` (DATABASE_URL, ROWS, ROOMS).
import pg from 'pg';
import { PostgresStore } from '../src/stores/postgres.ts';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const rows = Number(process.env.ROWS ?? 1_000_000);
const rooms = Number(process.env.ROOMS ?? 1000);
const schema = `scale_c_${Date.now().toString(36)}`;
const store = await PostgresStore.open({ connectionString: url, schema });
const client = new pg.Client({ connectionString: url });
await client.connect();
const q = (sql, params) => client.query(sql, params);
try {
  await q(`SET search_path TO "${schema}"`);
  await q(
    `INSERT INTO rooms (product_id, title, max_participants, min_participants, expires_at, status, participant_count, last_seq, created_at)
     SELECT 'room-' || r, 'Bench room', 100, 1, 9e12, 'ACTIVE', 0, $2::bigint / $1::bigint, 0 FROM generate_series(1, $1::int) r`,
    [rooms, rows],
  ).catch(async (err) => {
    console.error('rooms insert:', err.message);
    throw err;
  });
  const t0 = performance.now();
  await q(
    `INSERT INTO messages (room_id, seq, id, type, sender_id, sender_name, content, created_at, client_msg_id)
     SELECT 'room-' || (1 + (i % $2::bigint)), 1 + i / $2::bigint, gen_random_uuid(), 'CHAT', 'user-' || (i % 5000), 'Shopper',
            repeat('y', 200), 1700000000000 + i, 'c-' || i
     FROM generate_series(0, $1::bigint - 1) i`,
    [rows, rooms],
  );
  const insertS = (performance.now() - t0) / 1000;
  await q('ANALYZE messages');
  const sizes = (
    await q(
      `SELECT c.relname AS name, pg_relation_size(c.oid) AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND (c.relname = 'messages' OR c.relname LIKE 'messages%') ORDER BY c.relname`,
      [schema],
    )
  ).rows;
  const total = (await q(`SELECT pg_total_relation_size('messages') AS b`)).rows[0].b;
  console.log(
    JSON.stringify(
      {
        rows,
        rooms,
        insertSeconds: +insertS.toFixed(1),
        sizes: sizes.map((s) => ({ name: s.name, mb: +(s.bytes / 2 ** 20).toFixed(1) })),
        totalMb: +(total / 2 ** 20).toFixed(1),
      },
      null,
      1,
    ),
  );
} finally {
  await q(`DROP SCHEMA "${schema}" CASCADE`);
  await client.end();
  await store.close();
}
