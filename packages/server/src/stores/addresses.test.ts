import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Client, escapeIdentifier } from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createAesGcmCipher, createKeyring } from './content-cipher.js';
import { MIGRATIONS, migrate } from './migrations.js';
import { POSTGRES_MIGRATIONS, PostgresStore, migratePostgres } from './postgres.js';
import { SqliteStore } from './sqlite.js';
import { describeAddressesContract, MINSU_ADDRESS } from './test-support/addresses-contract.js';
import { memoryHarness, postgresHarness, sqliteHarness } from './test-support/harnesses.js';

// Shipping addresses (issue 11) against the three stores, the sealing at rest, and migration v4 reaching a
// database that was already at v6 without it (v4 landed after v5 and v6).

const DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const T0 = Date.parse('2030-03-01T09:00:00.000Z');
const ROOM = {
  productId: 'p1',
  title: 'Jeju tangerines',
  maxParticipants: 10,
  minParticipants: 1,
  expiresAt: new Date(T0 + 3_600_000).toISOString(),
  hostId: 'seller-1',
};
const addressKey = () => createAesGcmCipher(randomBytes(32), 'addr1');

async function dropSchema(schema: string): Promise<void> {
  const admin = new Client({ connectionString: DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`DROP SCHEMA IF EXISTS ${escapeIdentifier(schema)} CASCADE`);
  } finally {
    await admin.end();
  }
}

describeAddressesContract('MemoryStore', memoryHarness(), { durable: false });
describeAddressesContract(
  'SqliteStore (durable file, sealed)',
  sqliteHarness('addresses', () => ({ addressCipher: addressKey() })),
  {
    durable: true,
  },
);
describeAddressesContract(
  'PostgresStore (durable, fresh schema, sealed)',
  postgresHarness('addr', () => ({ addressCipher: addressKey() })),
  { durable: true },
);

describe('SqliteStore addresses at rest', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tempDb = () => {
    const dir = mkdtempSync(join(tmpdir(), 'groupbuy-addresses-'));
    dirs.push(dir);
    return join(dir, 'chat.db');
  };

  it('writes only ciphertext under the address key, which the content key cannot open', async () => {
    const path = tempDb();
    const store = SqliteStore.open({ path, cipher: createAesGcmCipher(randomBytes(32), 'chat1'), addressCipher: addressKey() });
    await store.createRoom(ROOM, T0);
    await store.addresses.save('p1', 'minsu', MINSU_ADDRESS, T0);
    await store.close();
    const db = new Database(path, { readonly: true });
    const rows = db.prepare('SELECT * FROM addresses').all() as { data: string; key_id: string }[];
    db.close();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.key_id).toBe('addr1');
    expect(rows[0]?.data).toMatch(/^v1:/);
    for (const field of Object.values(MINSU_ADDRESS)) expect(rows[0]?.data).not.toContain(field);
    const bytes = readFileSync(path).toString('utf8');
    expect(bytes).not.toContain(MINSU_ADDRESS.recipient);
    // Read back under the wrong keyring: refused, and the error names no value.
    const wrong = SqliteStore.open({ path, addressCipher: createKeyring([{ id: 'addr1', key: randomBytes(32) }]) });
    const err = await wrong.addresses.get('p1', 'minsu').catch((e: unknown) => e);
    await wrong.close();
    expect(String(err)).toMatch(/failed authentication/);
    expect(String(err)).not.toContain(MINSU_ADDRESS.recipient);
  });

  it('refuses a sealed address copied onto another buyer', async () => {
    const path = tempDb();
    const addressCipher = addressKey();
    const store = SqliteStore.open({ path, addressCipher });
    await store.createRoom(ROOM, T0);
    await store.addresses.save('p1', 'minsu', MINSU_ADDRESS, T0);
    await store.close();
    const db = new Database(path);
    db.prepare(
      `INSERT INTO addresses (room_id, user_id, data, key_id, updated_at) SELECT room_id, 'mallory', data, key_id, updated_at FROM addresses`,
    ).run();
    db.close();
    const reopened = SqliteStore.open({ path, addressCipher });
    const err = await reopened.addresses.get('p1', 'mallory').catch((e: unknown) => e);
    await reopened.close();
    expect(String(err)).toMatch(/does not belong/);
  });
});

describe('migration v4 (addresses) on a database that skipped it', () => {
  it('SQLite at v6 without the addresses table gets it on open, and a second open changes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'groupbuy-addresses-v4-'));
    try {
      const path = join(dir, 'chat.db');
      const old = new Database(path);
      const withoutV4 = MIGRATIONS.filter((m) => m.version !== 4 && m.version <= 6);
      expect(migrate(old, withoutV4)).toBe(6);
      const tables = () => old.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'addresses'").all();
      expect(tables()).toHaveLength(0);
      old.close();
      const addressCipher = addressKey();
      const store = SqliteStore.open({ path, addressCipher });
      await store.createRoom(ROOM, T0);
      await store.addresses.save('p1', 'minsu', MINSU_ADDRESS, T0);
      await store.close();
      const again = SqliteStore.open({ path, addressCipher });
      expect((await again.addresses.get('p1', 'minsu'))?.recipient).toBe(MINSU_ADDRESS.recipient);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('PostgreSQL at v6 without v4 gets it on open and records it', async () => {
    const schema = `gb_addr_v4_${randomBytes(6).toString('hex')}`;
    const client = new Client({ connectionString: DATABASE_URL });
    await client.connect();
    try {
      expect(
        await migratePostgres(
          client,
          schema,
          POSTGRES_MIGRATIONS.filter((m) => m.version !== 4 && m.version <= 6),
        ),
      ).toBe(6);
      const missing = await client.query('SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = $2', [schema, 'addresses']);
      expect(missing.rowCount).toBe(0);
      const store = await PostgresStore.open({ connectionString: DATABASE_URL, schema, addressCipher: addressKey() });
      await store.createRoom(ROOM, T0);
      await store.addresses.save('p1', 'minsu', MINSU_ADDRESS, T0);
      expect((await store.addresses.list('p1')).map((a) => a.userId)).toEqual(['minsu']);
      await store.close();
      const versions = await client.query<{ version: number }>(
        `SELECT version FROM ${escapeIdentifier(schema)}.schema_migrations ORDER BY version`,
      );
      expect(versions.rows.map((r) => r.version)).toContain(4);
    } finally {
      await client.end();
      await dropSchema(schema);
    }
  });
});
