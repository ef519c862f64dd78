import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { Client, escapeIdentifier } from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from './logger.js';
import { rekeyFromConfig, rekeyPostgres, rekeySqlite, type RekeyResult } from './rekey.js';
import { openStore } from './server.js';
import { createAesGcmCipher, createKeyring, parseContentKeys, type ContentCipher } from './stores/content-cipher.js';
import { PostgresStore } from './stores/postgres.js';
import { MIGRATIONS, migrate } from './stores/migrations.js';
import { SqliteStore } from './stores/sqlite.js';
import type { ChatStore } from './stores/types.js';

// Key rotation end to end on real databases: rows written under k1, read under k2,k1, moved by rekey,
// read under k2 alone; a rekey SIGKILLed midway resumes; a tampered row fails closed.

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const T0 = Date.parse('2026-12-01T00:00:00Z');
const k1 = `k1:${randomBytes(32).toString('base64')}`;
const k2 = `k2:${randomBytes(32).toString('base64')}`;
const ring = (list: string) => createKeyring(parseContentKeys(list));

/** Two rooms with three buyers each and `perRoom` chat messages: every row (SYSTEM too) carries content. */
async function seed(store: ChatStore, perRoom: number): Promise<void> {
  for (const productId of ['p1', 'p2']) {
    const expiresAt = new Date(T0 + 3_600_000).toISOString();
    await store.createRoom({ productId, title: `Deal ${productId}`, maxParticipants: 10, minParticipants: 2, expiresAt, hostId: null }, T0);
    for (let u = 1; u <= 3; u++) await store.join(productId, { userId: `u${u}`, name: `Buyer ${u}` }, T0);
    for (let i = 0; i < perRoom; i++) {
      const sender = { userId: `u${(i % 3) + 1}`, name: 'Buyer' };
      await store.append(productId, { type: 'CHAT', sender, content: `${productId} 공동구매 #${i}`, allowedStatuses: ['ACTIVE'] }, T0 + i);
    }
  }
}

/** Every message's `seq content` in both rooms, in order. */
async function transcript(store: ChatStore): Promise<string[]> {
  const out: string[] = [];
  for (const productId of ['p1', 'p2']) {
    let after = 0;
    for (;;) {
      const page = await store.page(productId, { after, limit: 100 });
      for (const m of page.messages) out.push(`${productId} ${m.seq} ${m.content}`);
      const last = page.messages[page.messages.length - 1];
      if (!last || !page.hasMore) break;
      after = last.seq;
    }
  }
  return out;
}

/** One database kind: opens its store under a cipher, rekeys it, and reads or alters rows behind the store's back. */
interface Target {
  open(cipher: ContentCipher): Promise<ChatStore>;
  rekey(cipher: ContentCipher): Promise<RekeyResult>;
  keyIds(): Promise<Record<string, number>>;
  tamper(seq: number): Promise<void>;
  cleanup(): Promise<void>;
}

function sqliteTarget(): Target {
  const dir = mkdtempSync(join(tmpdir(), 'rekey-'));
  const path = join(dir, 'chat.db');
  const raw = <T>(fn: (db: Database.Database) => T): T => {
    const db = new Database(path);
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };
  return {
    open: async (cipher) => SqliteStore.open({ path, cipher }),
    rekey: (cipher) => rekeySqlite(path, cipher, { batchSize: 7 }),
    keyIds: async () =>
      raw((db) =>
        Object.fromEntries(
          db
            .prepare<[], { k: string | null; n: number }>('SELECT key_id AS k, COUNT(*) AS n FROM messages GROUP BY key_id')
            .all()
            .map((r) => [String(r.k), r.n]),
        ),
      ),
    tamper: async (seq) =>
      raw((db) => {
        const row = db.prepare<[number], { content: string }>("SELECT content FROM messages WHERE room_id = 'p1' AND seq = ?").get(seq)!;
        db.prepare("UPDATE messages SET content = ? WHERE room_id = 'p1' AND seq = ?").run(tampered(row.content), seq);
      }),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * The stored `v1:iv:tag:body` with one bit of the tag flipped: always a different tag (overwriting the last
 * characters with a constant was a no-op when they already held it, and the test then read the row).
 */
function tampered(stored: string): string {
  const [version, iv, tag, body] = stored.split(':') as [string, string, string, string];
  const bytes = Buffer.from(tag, 'base64');
  bytes[0] = bytes[0]! ^ 1;
  return [version, iv, bytes.toString('base64'), body].join(':');
}

async function pg<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function postgresTarget(): Target {
  const schema = `rekey_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const messages = `${escapeIdentifier(schema)}.messages`;
  return {
    open: (cipher) => PostgresStore.open({ connectionString: DATABASE_URL, schema, cipher }),
    rekey: (cipher) => rekeyPostgres(DATABASE_URL, cipher, { schema, batchSize: 7 }),
    keyIds: () =>
      pg(async (c) => {
        const { rows } = await c.query<{ k: string | null; n: string }>(
          `SELECT key_id AS k, COUNT(*) AS n FROM ${messages} GROUP BY key_id`,
        );
        return Object.fromEntries(rows.map((r) => [String(r.k), Number(r.n)]));
      }),
    tamper: (seq) =>
      pg(async (c) => {
        const { rows } = await c.query<{ content: string }>(`SELECT content FROM ${messages} WHERE room_id = 'p1' AND seq = $1`, [seq]);
        await c.query(`UPDATE ${messages} SET content = $1 WHERE room_id = 'p1' AND seq = $2`, [tampered(rows[0]!.content), seq]);
      }),
    cleanup: () =>
      pg(async (c) => {
        await c.query(`DROP SCHEMA IF EXISTS ${escapeIdentifier(schema)} CASCADE`);
      }),
  };
}

/** Rows of the SQLite file at `path` under the key `id`. */
function countKeyId(path: string, id: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM messages WHERE key_id = ?').get(id)?.n ?? 0;
  } finally {
    db.close();
  }
}

const cleanups: Target[] = [];
afterEach(async () => {
  for (const t of cleanups.splice(0)) await t.cleanup();
});

describe.each([
  ['SQLite', sqliteTarget],
  ['PostgreSQL', postgresTarget],
] as const)('content key rotation on %s', (_name, makeTarget) => {
  const target = (): Target => {
    const t = makeTarget();
    cleanups.push(t);
    return t;
  };

  it('reads rows written under k1 after rotating to k2,k1, rekeys them to k2, and reads them all with k1 dropped', async () => {
    const t = target();
    const first = await t.open(ring(k1));
    await seed(first, 20);
    const written = await transcript(first);
    await first.close();
    expect(await t.keyIds()).toEqual({ k1: written.length });

    const rotated = await t.open(ring(`${k2},${k1}`));
    expect(await transcript(rotated)).toEqual(written);
    await rotated.append(
      'p1',
      { type: 'CHAT', sender: { userId: 'u1', name: 'B' }, content: 'after rotation', allowedStatuses: ['ACTIVE'] },
      T0 + 99,
    );
    await rotated.close();
    expect(await t.keyIds()).toEqual({ k1: written.length, k2: 1 });

    const result = await t.rekey(ring(`${k2},${k1}`));
    expect(result).toEqual({ keyId: 'k2', rekeyed: written.length, remaining: 0, unencrypted: 0 });
    expect(await t.keyIds()).toEqual({ k2: written.length + 1 });
    // Idempotent: a second run finds nothing under an older key.
    expect((await t.rekey(ring(`${k2},${k1}`))).rekeyed).toBe(0);

    const onlyK2 = await t.open(ring(k2));
    const after = await transcript(onlyK2);
    await onlyK2.close();
    expect(after).toEqual([
      ...written.slice(0, written.length / 2),
      `p1 ${written.length / 2 + 1} after rotation`,
      ...written.slice(written.length / 2),
    ]);
    console.log(`[rekey ${_name}] ${written.length} rows moved k1 → k2 in batches of 7; all ${after.length} read with k1 dropped`);
  });

  it('fails closed on a tampered row: the read throws, rekey stops naming the row and rewrites nothing after it', async () => {
    const t = target();
    const store = await t.open(ring(k1));
    await seed(store, 5);
    const total = (await transcript(store)).length;
    await store.close();
    await t.tamper(6);

    const rotated = await t.open(ring(`${k2},${k1}`));
    await expect(rotated.page('p1', { after: 0, limit: 100 })).rejects.toThrow(/failed authentication/);
    expect((await rotated.page('p2', { after: 0, limit: 100 })).messages).toHaveLength(total / 2);
    await rotated.close();

    await expect(t.rekey(ring(`${k2},${k1}`))).rejects.toThrow(/Message 6 of room "p1" cannot be re-encrypted: .*failed authentication/);
    // The batch holding the tampered row (p1's seqs 1–7, batches of 7) was never written.
    expect(await t.keyIds()).toEqual({ k1: total });
  });

  it('refuses a row whose key is not configured, naming the key id', async () => {
    const t = target();
    const store = await t.open(ring(k1));
    await seed(store, 1);
    await store.close();
    const wrong = await t.open(ring(k2));
    await expect(wrong.page('p1', { after: 0, limit: 10 })).rejects.toThrow(/content key "k1", which is not configured/);
    await wrong.close();
  });
});

describe('migration 2 (key ids) on SQLite', () => {
  it('labels rows written under the single old key "legacy", so CHAT_CONTENT_KEYS=new:…,legacy:<old> reads them', async () => {
    const oldKey = randomBytes(32);
    const dir = mkdtempSync(join(tmpdir(), 'rekey-mig-'));
    const path = join(dir, 'chat.db');
    try {
      const store = SqliteStore.open({ path, cipher: createAesGcmCipher(oldKey) });
      await seed(store, 3);
      const written = await transcript(store);
      await store.close();
      // A version-1 database (from before key ids) holding the same rows: the version-1 schema built by the real
      // first migration, the rows copied over in its columns. Undoing later steps by hand would miss the ones added after.
      const v1Path = join(dir, 'v1.db');
      const db = new Database(v1Path);
      migrate(db, MIGRATIONS.slice(0, 1));
      db.exec(`ATTACH DATABASE '${path}' AS cur`);
      for (const table of ['rooms', 'participants', 'messages']) {
        const columns = (db.prepare(`SELECT name FROM pragma_table_info('${table}')`).all() as { name: string }[])
          .map((c) => c.name)
          .join(', ');
        db.exec(`INSERT INTO main.${table} (${columns}) SELECT ${columns} FROM cur.${table}`);
      }
      db.exec('DETACH DATABASE cur');
      db.close();

      const rotated = SqliteStore.open({ path: v1Path, cipher: ring(`${k2},legacy:${oldKey.toString('base64')}`) });
      expect(await transcript(rotated)).toEqual(written);
      await rotated.close();
      expect(countKeyId(v1Path, 'legacy')).toBe(written.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("rotating away from the key file (the server's openStore and rekeyFromConfig)", () => {
  it('reads the key file as key id legacy, then k2 first with legacy:<file> decrypts both, and after rekey k2 alone reads every row', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rekey-file-'));
    const path = join(dir, 'chat.db');
    try {
      const first = await openStore(path, undefined, silentLogger);
      await seed(first, 4);
      const written = await transcript(first);
      await first.close();
      expect(countKeyId(path, 'legacy')).toBe(written.length);

      const keys = `${k2},legacy:${readFileSync(`${path}.key`, 'utf8').trim()}`;
      const rotated = await openStore(path, keys, silentLogger);
      expect(await transcript(rotated)).toEqual(written);
      await rotated.close();

      const result = await rekeyFromConfig(
        { databaseUrl: path, contentKeys: keys, port: 0, host: '127.0.0.1', allowedOrigins: [], dev: false, secretGenerated: false },
        silentLogger,
      );
      expect(result).toMatchObject({ keyId: 'k2', rekeyed: written.length });
      const onlyK2 = await openStore(path, k2, silentLogger);
      expect(await transcript(onlyK2)).toEqual(written);
      await onlyK2.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('groupbuy-server rekey (the built CLI)', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  function cli(path: string, args: string[]) {
    const child = spawn(process.execPath, [MAIN, 'rekey', ...args], {
      env: { PATH: process.env['PATH'] ?? '', DATABASE_URL: path, JWT_SECRET: 'x'.repeat(32), CHAT_CONTENT_KEYS: `${k2},${k1}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: { msg: string; rekeyed?: number; remaining?: number }[] = [];
    let firstProgress: () => void = () => undefined;
    const progressed = new Promise<void>((r) => (firstProgress = r));
    let buffered = '';
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const l of parts.filter(Boolean)) {
        const line = JSON.parse(l) as { msg: string };
        lines.push(line);
        if (line.msg === 'rekey progress') firstProgress();
      }
    });
    const exit = new Promise<{ code: number | null; signal: string | null }>((r) =>
      child.on('exit', (code, signal) => r({ code, signal })),
    );
    return { child, lines, progressed, exit };
  }

  it('prints progress per batch, resumes after SIGKILL midway, and finishes with every row under the first key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rekey-cli-'));
    dirs.push(dir);
    const path = join(dir, 'chat.db');
    const store = SqliteStore.open({ path, cipher: ring(k1) });
    await seed(store, 97);
    const written = await transcript(store);
    await store.close();
    const count = (id: string) => countKeyId(path, id);

    // The pause between batches keeps the first run busy long after its first progress line.
    const first = cli(path, ['--batch-size', '20', '--pause-ms', '2000']);
    await first.progressed;
    first.child.kill('SIGKILL');
    expect((await first.exit).signal).toBe('SIGKILL');
    const movedBeforeKill = count('k2');
    expect(movedBeforeKill).toBeGreaterThanOrEqual(20);
    expect(count('k1')).toBeGreaterThan(0);

    const second = cli(path, ['--batch-size', '20']);
    expect((await second.exit).code).toBe(0);
    const done = second.lines.find((l) => l.msg === 'rekey done');
    expect(done?.rekeyed).toBe(written.length - movedBeforeKill);
    expect(second.lines.filter((l) => l.msg === 'rekey progress').at(-1)?.remaining).toBe(0);
    expect(count('k1')).toBe(0);

    const onlyK2 = SqliteStore.open({ path, cipher: ring(k2) });
    expect(await transcript(onlyK2)).toEqual(written);
    await onlyK2.close();
    console.log(
      `[rekey CLI] ${written.length} rows: ${movedBeforeKill} moved before SIGKILL, ${done?.rekeyed ?? 0} by the resumed run; all read with k1 dropped`,
    );
  });
});
