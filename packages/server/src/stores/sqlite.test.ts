import { describeAttachmentContract } from './test-support/attachments-contract.js';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ValidCreateRoomInput } from '@groupbuy/protocol';
import { createAesGcmCipher, type ContentCipher } from './content-cipher.js';
import { MIGRATIONS, SCHEMA_VERSION, migrate } from './migrations.js';
import { SqliteStore } from './sqlite.js';
import { describeChatStoreContract, type ContractHarness } from './test-support/contract.js';
import { describeModerationContract } from './test-support/moderation-contract.js';
import type { ChatStore } from './types.js';

const T0 = Date.parse('2030-03-01T09:00:00.000Z');

function roomInput(productId: string, maxParticipants = 10): ValidCreateRoomInput {
  return {
    productId,
    title: `Group buy ${productId}`,
    maxParticipants,
    minParticipants: 1,
    expiresAt: new Date(T0 + 3_600_000).toISOString(),
    hostId: null,
  };
}

const sqliteFileHarness = async (options?: { cipher?: ContentCipher }): Promise<ContractHarness> => {
  const dir = mkdtempSync(join(tmpdir(), 'groupbuy-sqlite-'));
  const path = join(dir, 'chat.db');
  const open = () => SqliteStore.open(options?.cipher ? { path, cipher: options.cipher } : { path });
  let current: ChatStore = open();
  return {
    store: current,
    reopen: async () => {
      current = open();
      return current;
    },
    rawContents: async () => {
      const db = new Database(path, { readonly: true });
      try {
        return db.prepare<[], string>('SELECT content FROM messages ORDER BY room_id, seq').pluck().all();
      } finally {
        db.close();
      }
    },
    cleanup: async () => {
      await current.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
describeChatStoreContract('SqliteStore (file in a temp dir)', sqliteFileHarness);
describeModerationContract('SqliteStore (file in a temp dir)', sqliteFileHarness);
describeAttachmentContract('SqliteStore (file in a temp dir)', sqliteFileHarness);

describeChatStoreContract(
  'SqliteStore (:memory:)',
  async () => {
    const store = SqliteStore.open({ path: ':memory:' });
    return { store, cleanup: () => store.close() };
  },
  { durable: false },
);

describe('SqliteStore on disk', () => {
  let dir: string;
  let path: string;
  const open: Array<{ close(): unknown }> = [];

  function openStore(cipher?: ContentCipher): SqliteStore {
    const store = SqliteStore.open(cipher ? { path, cipher } : { path });
    open.push(store);
    return store;
  }

  function raw(): Database.Database {
    const db = new Database(path, { readonly: true });
    open.push(db);
    return db;
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'groupbuy-sqlite-'));
    path = join(dir, 'chat.db');
  });

  afterEach(async () => {
    for (const handle of open.splice(0).reverse()) await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the database in WAL mode', async () => {
    const store = openStore();
    await store.createRoom(roomInput('p1'), T0);
    expect(raw().pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('creates the directory of the database file when it is missing', async () => {
    path = join(dir, 'nested', 'deeper', 'chat.db');
    const store = openStore();
    await store.createRoom(roomInput('p1'), T0);
    expect(existsSync(path)).toBe(true);
  });

  it('reads encrypted history back after close and reopen with the same key', async () => {
    const key = randomBytes(32);
    const first = openStore(createAesGcmCipher(key));
    await first.createRoom(roomInput('p1'), T0);
    const { message } = await first.append(
      'p1',
      { type: 'CHAT', sender: { userId: 'u1', name: 'Kim' }, content: 'kept', clientMsgId: 'c1', allowedStatuses: ['ACTIVE'] },
      T0,
    );
    await first.close();

    const second = openStore(createAesGcmCipher(Buffer.from(key)));
    expect((await second.page('p1', { limit: 10 })).messages).toStrictEqual([message]);
  });

  it('refuses to hand out history under a different key', async () => {
    const first = openStore(createAesGcmCipher(randomBytes(32)));
    await first.createRoom(roomInput('p1'), T0);
    await first.append('p1', { type: 'NOTIFICATION', sender: null, content: 'x', allowedStatuses: ['ACTIVE'] }, T0);
    await first.close();

    const second = openStore(createAesGcmCipher(randomBytes(32)));
    await expect(second.page('p1', { limit: 10 })).rejects.toThrow(/failed authentication/);
  });

  it('migrates a new file to the latest schema version and leaves it there on every reopen', async () => {
    const store = openStore();
    await store.createRoom(roomInput('p1'), T0);
    await store.close();
    expect(raw().pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);

    for (let i = 0; i < 3; i++) {
      const again = openStore();
      expect((await again.getRoom('p1'))?.productId).toBe('p1');
      await again.close();
    }
    const db = raw();
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    // Each feature's step adds its own tables; these are the ones every build has had since their step.
    expect(db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()).toEqual(
      expect.arrayContaining(['messages', 'participants', 'rooms', 'mutes', 'reports']),
    );
  });

  it('runs each migration step once however often migrate is called', () => {
    const db = new Database(':memory:');
    open.push(db);
    expect(migrate(db)).toBe(SCHEMA_VERSION);
    expect(migrate(db)).toBe(SCHEMA_VERSION);
    const next = { version: SCHEMA_VERSION + 1, sql: 'CREATE TABLE extra (x INTEGER)' };
    expect(migrate(db, [...MIGRATIONS, next])).toBe(SCHEMA_VERSION + 1);
    // A second run would fail with "table extra already exists" if the step ran again.
    expect(migrate(db, [...MIGRATIONS, next])).toBe(SCHEMA_VERSION + 1);
  });

  it('rolls back a failing migration step together with its version bump', () => {
    const db = new Database(':memory:');
    open.push(db);
    migrate(db);
    const broken = { version: SCHEMA_VERSION + 1, sql: 'CREATE TABLE half (x INTEGER); NOT VALID SQL' };
    expect(() => migrate(db, [...MIGRATIONS, broken])).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'half'").pluck().get()).toBe(0);
  });

  it('refuses a database written by a newer schema version', async () => {
    await openStore().close();
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openStore()).toThrow(/newer release/);
  });

  it('keeps the cap and gap-free seqs when two connections share the file', async () => {
    const a = openStore();
    const b = openStore();
    await a.createRoom(roomInput('p1', 5), T0);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).join('p1', { userId: `u${i}`, name: `N${i}` }, T0)),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(5);
    expect(await b.participants('p1')).toHaveLength(5);
    expect((await a.page('p1', { limit: 100 })).messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('keeps the cap and gap-free seqs when four processes write to the same file at once', async () => {
    const store = openStore();
    await store.createRoom(roomInput('p1', 150), T0);

    const worker = fileURLToPath(new URL('./test-support/join-worker.ts', import.meta.url));
    const children = [0, 1, 2, 3].map((n) =>
      spawn(process.execPath, ['--import', 'tsx', worker, path, 'p1', String(n * 50), '50'], {
        stdio: ['pipe', 'pipe', 'inherit'],
      }),
    );
    const lines = children.map((child) => {
      const out: string[] = [];
      let buffered = '';
      const ready = new Promise<void>((resolve, reject) => {
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (chunk: string) => {
          buffered += chunk;
          const parts = buffered.split('\n');
          buffered = parts.pop() ?? '';
          for (const line of parts) {
            if (line === 'ready') resolve();
            else out.push(line);
          }
        });
        child.once('exit', (code) => reject(new Error(`worker exited early with ${code}`)));
      });
      const done = new Promise<string[]>((resolve, reject) => {
        child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`worker exited with ${code}`))));
      });
      return { child, ready, done };
    });
    await Promise.all(lines.map((l) => l.ready));
    for (const { child } of lines) child.stdin.write('go\n');
    const results = (await Promise.all(lines.map((l) => l.done))).map(
      (out) => JSON.parse(out.join('')) as { joined: number; rejected: string[]; posted: number },
    );

    expect(results.reduce((sum, r) => sum + r.joined, 0)).toBe(150);
    expect(results.flatMap((r) => r.rejected).every((code) => code === 'ROOM_FULL')).toBe(true);
    expect(results.reduce((sum, r) => sum + r.posted, 0)).toBe(200);

    const room = await store.getRoom('p1');
    expect(room).toMatchObject({ status: 'CLOSED', participantCount: 150 });
    expect(await store.participants('p1')).toHaveLength(150);
    const seqs: number[] = [];
    for (let after = 0; ;) {
      const page = await store.page('p1', { after, limit: 100 });
      seqs.push(...page.messages.map((m) => m.seq));
      if (!page.hasMore) break;
      after = seqs[seqs.length - 1] ?? after;
    }
    // 150 JOINED + 1 CLOSED + 200 chats, numbered without a gap or a repeat.
    expect(seqs).toEqual(Array.from({ length: 351 }, (_, i) => i + 1));
    expect(room?.lastSeq).toBe(351);
  });
});
