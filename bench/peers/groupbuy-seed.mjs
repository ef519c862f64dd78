// Seeds a history file for scenario 4 (runs where @groupbuy/server resolves: dist, or source through tsx):
// rooms created and the schema migrated by the server's own SqliteStore, then messages bulk-inserted in
// its row format (AES-GCM content under its key id). Prints READY 0 when done.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { SqliteStore, createKeyring, parseContentKeys } from '@groupbuy/server';

async function seed(path, keyB64, rooms, perRoom) {
  const store = SqliteStore.open({ path, cipher: createKeyring(parseContentKeys(keyB64)) });
  const now = Date.now();
  for (let r = 0; r < rooms; r++) {
    await store.createRoom(
      {
        productId: `p${r}`,
        title: `Product ${r}`,
        maxParticipants: 100,
        minParticipants: 1,
        expiresAt: new Date(now + 365 * 86400e3).toISOString(),
        hostId: null,
      },
      now,
    );
  }
  await store.close();
  const cipher = createKeyring(parseContentKeys(keyB64));
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  const insert = db.prepare(
    `INSERT INTO messages (room_id, seq, id, type, sender_id, sender_name, content, created_at, client_msg_id, event, room, key_id)
     VALUES (?, ?, ?, 'CHAT', ?, ?, ?, ?, ?, NULL, NULL, ?)`,
  );
  const bump = db.prepare('UPDATE rooms SET last_seq = ? WHERE product_id = ?');
  const fill = db.transaction((r) => {
    for (let s = 1; s <= perRoom; s++) {
      const user = `u${(r * 7 + s) % 500}`;
      insert.run(
        `p${r}`,
        s,
        randomUUID(),
        user,
        user,
        cipher.encrypt(`message ${s} in room ${r}: 배송은 언제인가요? `.padEnd(120, '.')),
        now - (perRoom - s) * 1000,
        `c${s}`,
        cipher.keyId,
      );
    }
    bump.run(perRoom, `p${r}`);
  });
  for (let r = 0; r < rooms; r++) fill(r);
  db.close();
}

await seed(process.env.BENCH_DB, process.env.BENCH_CONTENT_KEY, Number(process.env.BENCH_ROOMS), Number(process.env.BENCH_PER_ROOM));
process.stdout.write('READY 0\n');
