// The store every storage benchmark here starts from: a SQLite file in a fresh temp folder holding one ACTIVE
// room `productId` (an hour to go, cap 10). `SqliteStore` is passed in: run.mjs measures the build
// (../dist), fanout-profile.mjs the sources (../src, through tsx).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Resolves with { store, now, dispose() } (dispose closes the store and deletes its folder). */
export async function benchStore(SqliteStore, { productId, cipher, prefix = 'groupbuy-bench-' }) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const store = SqliteStore.open({ path: join(dir, 'b.db'), cipher });
  const now = Date.now();
  const expiresAt = new Date(now + 3600e3).toISOString();
  await store.createRoom({ productId, title: 'b', maxParticipants: 10, minParticipants: 10, expiresAt, hostId: null }, now);
  return {
    store,
    now,
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
