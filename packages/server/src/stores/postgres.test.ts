import { describeAttachmentContract } from './test-support/attachments-contract.js';
import { randomBytes } from 'node:crypto';
import { Client, escapeIdentifier } from 'pg';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ChatError } from '@groupbuy/protocol';
import type { ChatMessage, ValidCreateRoomInput } from '@groupbuy/protocol';
import { POSTGRES_MIGRATIONS, POSTGRES_SCHEMA_VERSION, PostgresStore, migratePostgres, type PostgresStoreOptions } from './postgres.js';
import type { ContentCipher } from './content-cipher.js';
import { SqliteStore } from './sqlite.js';
import { describeChatStoreContract, type ContractHarness } from './test-support/contract.js';
import { describeModerationContract } from './test-support/moderation-contract.js';
import type { ChatStore, UserRef } from './types.js';

/** The PostgreSQL these tests use; CI starts one on 127.0.0.1:5432. They fail, never skip, without it. */
const DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

const T0 = Date.parse('2030-03-01T09:00:00.000Z');
const HOUR_MS = 3_600_000;

function roomInput(productId: string, maxParticipants = 10, minParticipants = 1): ValidCreateRoomInput {
  return {
    productId,
    title: `Group buy ${productId}`,
    maxParticipants,
    minParticipants,
    expiresAt: new Date(T0 + HOUR_MS).toISOString(),
    hostId: null,
  };
}

function user(n: number | string): UserRef {
  return { userId: `user-${n}`, name: `Buyer ${n}` };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** A schema name no other test run uses; each test's tables live and die in their own. */
function freshSchema(): string {
  return `gb_test_${randomBytes(6).toString('hex')}`;
}

/** The server part of the URL, without credentials, for error messages. */
function serverOf(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
}

/** Runs `work` on a connection of its own, outside any store. */
async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function dropSchema(schema: string): Promise<void> {
  await admin((c) => c.query(`DROP SCHEMA IF EXISTS ${escapeIdentifier(schema)} CASCADE`));
}

async function allMessages(store: ChatStore, productId: string): Promise<ChatMessage[]> {
  const out: ChatMessage[] = [];
  for (let after = 0; ;) {
    const page = await store.page(productId, { after, limit: 100 });
    out.push(...page.messages);
    if (!page.hasMore) return out;
    after = out[out.length - 1]?.seq ?? after;
  }
}

/** Polls `check` until it holds; the limit only stops a broken test from hanging, it asserts no timing. */
async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`gave up waiting for ${what}`);
}

beforeAll(async () => {
  try {
    await admin((c) => c.query('SELECT 1'));
  } catch (cause) {
    throw new Error(
      `PostgreSQL is not reachable at ${serverOf(DATABASE_URL)}. These tests need a real server: ` +
        'start one (CI does) or point TEST_DATABASE_URL at one.',
      { cause },
    );
  }
});

const postgresHarness = async (options?: { cipher?: ContentCipher }): Promise<ContractHarness> => {
  const schema = freshSchema();
  const open = () => PostgresStore.open({ connectionString: DATABASE_URL, schema, ...(options?.cipher ? { cipher: options.cipher } : {}) });
  let current: ChatStore = await open();
  return {
    store: current,
    reopen: async () => {
      current = await open();
      return current;
    },
    rawContents: async () =>
      (
        await admin((c) => c.query<{ content: string }>(`SELECT content FROM ${escapeIdentifier(schema)}.messages ORDER BY room_id, seq`))
      ).rows.map((r) => r.content),
    cleanup: async () => {
      await current.close();
      await dropSchema(schema);
    },
  };
};
describeChatStoreContract('PostgresStore (fresh schema per test)', postgresHarness);
describeModerationContract('PostgresStore (fresh schema per test)', postgresHarness);
describeAttachmentContract('PostgresStore (fresh schema per test)', postgresHarness);

describe('PostgresStore on a real server', () => {
  let schema: string;
  const cleanups: Array<() => Promise<unknown>> = [];

  async function openStore(options: Partial<PostgresStoreOptions> = {}): Promise<PostgresStore> {
    const store = await PostgresStore.open({ connectionString: DATABASE_URL, schema, ...options });
    cleanups.push(() => store.close());
    return store;
  }

  /**
   * Takes the row locks of `productIds` from a connection outside the stores and keeps them until
   * `release()`, so the calls fired meanwhile all reach PostgreSQL and queue on the lock together.
   */
  async function holdRoomLocks(...productIds: string[]): Promise<{ release(): Promise<void> }> {
    const client = new Client({ connectionString: DATABASE_URL });
    await client.connect();
    let released = false;
    const release = async (): Promise<void> => {
      if (released) return;
      released = true;
      await client.query('COMMIT');
      await client.end();
    };
    cleanups.push(release);
    await client.query('BEGIN');
    const locked = await client.query(`SELECT product_id FROM ${escapeIdentifier(schema)}.rooms WHERE product_id = ANY($1) FOR UPDATE`, [
      productIds,
    ]);
    expect(locked.rowCount).toBe(productIds.length);
    return { release };
  }

  /** Sessions whose current statement touches this test's rooms table and which wait for a lock right now. */
  async function lockWaiters(): Promise<number> {
    const { rows } = await admin((c) =>
      c.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND position($1 in query) > 0",
        [`${escapeIdentifier(schema)}.rooms`],
      ),
    );
    return rows[0]?.n ?? 0;
  }

  beforeEach(() => {
    schema = freshSchema();
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await dropSchema(schema);
  });

  describe('concurrency across pooled connections', () => {
    it('admits exactly 10 of 40 joins racing on 40 pooled connections and refuses 30 with ROOM_FULL', async () => {
      const store = await openStore({ poolSize: 40 });
      await store.createRoom(roomInput('p1', 10), T0);

      const gate = await holdRoomLocks('p1');
      const outcomes = Promise.allSettled(range(1, 40).map((i) => store.join('p1', user(i), T0 + i)));
      // All 40 are inside PostgreSQL at once, each on its own connection, blocked on the same row.
      await waitFor(async () => (await lockWaiters()) === 40, '40 joins queued on the room row lock');
      await gate.release();
      const settled = await outcomes;

      const joined = settled.flatMap((o) => (o.status === 'fulfilled' && o.value.joined ? [o.value] : []));
      const refused = settled.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
      expect(joined).toHaveLength(10);
      expect(refused).toHaveLength(30);
      for (const err of refused) {
        expect(err).toBeInstanceOf(ChatError);
        expect((err as ChatError).code).toBe('ROOM_FULL');
      }

      expect(await store.getRoom('p1')).toMatchObject({ status: 'CLOSED', participantCount: 10, lastSeq: 11 });
      const history = await allMessages(store, 'p1');
      expect(history.map((m) => m.seq)).toEqual(range(1, 11));
      expect(history[10]?.event).toStrictEqual({ type: 'CLOSED', reason: 'FILLED' });
      // The buyer list is in the order the JOINED messages were numbered.
      const joinOrder = history.flatMap((m) => (m.event?.type === 'JOINED' ? [m.event.userId] : []));
      expect((await store.participants('p1')).map((p) => p.userId)).toEqual(joinOrder);
    });

    it('numbers 100 concurrent appends 1..100 with no gap and no repeat', async () => {
      const store = await openStore({ poolSize: 50 });
      await store.createRoom(roomInput('p1'), T0);

      const gate = await holdRoomLocks('p1');
      const sends = Promise.all(
        range(1, 100).map((i) =>
          store.append(
            'p1',
            { type: 'CHAT', sender: user(i % 7), content: `m${i}`, clientMsgId: `k${i}`, allowedStatuses: ['ACTIVE'] },
            T0 + i,
          ),
        ),
      );
      // A full pool on the lock; the other 50 appends wait in the pool for a connection.
      await waitFor(async () => (await lockWaiters()) === 50, '50 appends queued on the room row lock');
      await gate.release();
      const results = await sends;

      expect(results.every((r) => !r.duplicate)).toBe(true);
      const stored = results.map((r) => r.message).sort((a, b) => a.seq - b.seq);
      expect(stored.map((m) => m.seq)).toEqual(range(1, 100));
      expect(new Set(stored.map((m) => m.id)).size).toBe(100);
      expect(await allMessages(store, 'p1')).toStrictEqual(stored);
      expect((await store.getRoom('p1'))?.lastSeq).toBe(100);
    });

    it('settles each room exactly once when two instances race on the same schema', async () => {
      // Two pools are two servers: nothing is shared between them but the database.
      const a = await openStore({ poolSize: 20 });
      const b = await openStore({ poolSize: 20 });
      const ids = range(1, 20).map((i) => `p${i}`);
      for (const [i, id] of ids.entries()) {
        await a.createRoom(roomInput(id, 10, 2), T0);
        // Even rooms reach minParticipants (CLOSED at the deadline), odd ones do not (CANCELLED).
        for (const n of range(1, i % 2 === 0 ? 2 : 1)) await b.join(id, user(n), T0);
      }

      const gate = await holdRoomLocks(...ids);
      const races = Promise.all(
        ids.map((id) =>
          Promise.all([
            a.settle(id, { reason: 'DEADLINE' }, T0 + HOUR_MS),
            b.settle(id, { status: 'CANCELLED', reason: 'HOST' }, T0 + HOUR_MS),
          ]),
        ),
      );
      await waitFor(async () => (await lockWaiters()) === 40, '40 settles queued on 20 room row locks');
      await gate.release();
      const results = await races;

      for (const [i, id] of ids.entries()) {
        const winners = (results[i] ?? []).filter((r) => r !== null);
        expect(winners).toHaveLength(1);
        const [winner] = winners;
        const history = await allMessages(a, id);
        const endings = history.filter((m) => m.event?.type === 'CLOSED' || m.event?.type === 'CANCELLED');
        expect(endings).toStrictEqual(winner?.messages);
        expect(history.map((m) => m.seq)).toEqual(range(1, history.length));
        expect(await a.getRoom(id)).toStrictEqual(winner?.room);
        expect(await b.getRoom(id)).toStrictEqual(winner?.room);
      }
    });

    it('keeps the cap when two instances take joins for the same room', async () => {
      const a = await openStore({ poolSize: 15 });
      const b = await openStore({ poolSize: 15 });
      await a.createRoom(roomInput('p1', 7), T0);

      const gate = await holdRoomLocks('p1');
      const outcomes = Promise.allSettled(range(1, 30).map((i) => (i % 2 === 0 ? a : b).join('p1', user(i), T0 + i)));
      await waitFor(async () => (await lockWaiters()) === 30, '30 joins queued on the room row lock');
      await gate.release();
      const settled = await outcomes;

      expect(settled.filter((o) => o.status === 'fulfilled')).toHaveLength(7);
      expect(await b.participants('p1')).toHaveLength(7);
      expect((await allMessages(a, 'p1')).map((m) => m.seq)).toEqual(range(1, 8));
    });
  });

  describe('schema and migrations', () => {
    it('migrates a fresh schema once when four instances start at the same moment', async () => {
      await Promise.all(range(1, 4).map(() => openStore({ poolSize: 1 })));
      const { rows } = await admin((c) =>
        c.query<{ version: number }>(`SELECT version FROM ${escapeIdentifier(schema)}.schema_migrations ORDER BY version`),
      );
      expect(rows.map((r) => r.version)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
      const tables = await admin((c) =>
        c.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name', [
          schema,
        ]),
      );
      // Each feature's step adds its own tables; these are the ones every build has had since their step.
      expect(tables.rows.map((r) => r.table_name)).toEqual(
        expect.arrayContaining(['messages', 'mutes', 'participants', 'reports', 'rooms', 'schema_migrations']),
      );
    });

    it('runs each migration step once however often migrate is called', async () => {
      await admin(async (c) => {
        expect(await migratePostgres(c, schema)).toBe(POSTGRES_SCHEMA_VERSION);
        expect(await migratePostgres(c, schema)).toBe(POSTGRES_SCHEMA_VERSION);
        const next = { version: POSTGRES_SCHEMA_VERSION + 1, sql: 'CREATE TABLE extra (x integer)' };
        expect(await migratePostgres(c, schema, [...POSTGRES_MIGRATIONS, next])).toBe(POSTGRES_SCHEMA_VERSION + 1);
        // A second run would fail with "relation extra already exists" if the step ran again.
        expect(await migratePostgres(c, schema, [...POSTGRES_MIGRATIONS, next])).toBe(POSTGRES_SCHEMA_VERSION + 1);
      });
    });

    it('rolls back a failing migration step together with its version row', async () => {
      await admin(async (c) => {
        await migratePostgres(c, schema);
        const broken = { version: POSTGRES_SCHEMA_VERSION + 1, sql: 'CREATE TABLE half (x integer); NOT VALID SQL' };
        await expect(migratePostgres(c, schema, [...POSTGRES_MIGRATIONS, broken])).rejects.toThrow();
        const s = escapeIdentifier(schema);
        const version = await c.query<{ v: number }>(`SELECT MAX(version) AS v FROM ${s}.schema_migrations`);
        expect(version.rows[0]?.v).toBe(POSTGRES_SCHEMA_VERSION);
        const half = await c.query('SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2', [schema, 'half']);
        expect(half.rowCount).toBe(0);
      });
    });

    it('refuses a schema written by a newer release', async () => {
      await (await openStore()).close();
      await admin((c) =>
        c.query(`INSERT INTO ${escapeIdentifier(schema)}.schema_migrations (version) VALUES ($1)`, [POSTGRES_SCHEMA_VERSION + 1]),
      );
      await expect(openStore()).rejects.toThrow(/newer release/);
    });

    it('refuses a second notice with the same key at the database level, though its sender is null', async () => {
      const store = await openStore();
      await store.createRoom(roomInput('p1'), T0);
      const s = escapeIdentifier(schema);
      const insert = (seq: number, senderId: string | null) =>
        admin((c) =>
          c.query(
            `INSERT INTO ${s}.messages (room_id, seq, id, type, sender_id, content, created_at, client_msg_id)
             VALUES ('p1', $1, gen_random_uuid(), 'NOTIFICATION', $2, 'x', 0, 'same-key')`,
            [seq, senderId],
          ),
        );
      await insert(1, null);
      await expect(insert(2, null)).rejects.toMatchObject({ code: '23505', constraint: 'messages_client_msg_id' });
      await insert(3, 'user-1');
    });

    it('keeps two schemas in one database apart', async () => {
      const mine = await openStore();
      const otherSchema = freshSchema();
      cleanups.push(() => dropSchema(otherSchema));
      const other = await openStore({ schema: otherSchema });
      await mine.createRoom(roomInput('p1'), T0);
      expect(await other.getRoom('p1')).toBeNull();
      expect((await other.createRoom(roomInput('p1', 5), T0)).created).toBe(true);
      expect((await mine.getRoom('p1'))?.maxParticipants).toBe(10);
    });
  });

  describe('content and wire format', () => {
    it('hands out the same JSON as SqliteStore for the same calls', async () => {
      /** Every store method with its answer or its error, as one JSON text with the random ids masked. */
      async function transcript(store: ChatStore): Promise<string> {
        const out: unknown[] = [];
        const record = async (call: Promise<unknown>): Promise<void> => {
          out.push(
            await call.then(
              (value) => ({ value: value ?? null }),
              (err: unknown) => (err instanceof ChatError ? { error: err.toInfo() } : { thrown: String(err) }),
            ),
          );
        };
        await record(store.createRoom({ ...roomInput('p1', 2, 2), hostId: 'seller-1' }, T0));
        await record(store.createRoom({ ...roomInput('p2', 5, 3), expiresAt: new Date(T0 + 1).toISOString() }, T0));
        await record(store.createRoom(roomInput('p1', 99), T0 + 1));
        await record(store.join('p1', user('a'), T0 + 2));
        await record(store.join('p1', user('a'), T0 + 3));
        await record(
          store.append(
            'p1',
            { type: 'CHAT', sender: user('a'), content: '안녕 "hi"\n🙌', clientMsgId: 'c1', allowedStatuses: ['ACTIVE'] },
            T0 + 4,
          ),
        );
        await record(
          store.append('p1', { type: 'CHAT', sender: user('a'), content: 'again', clientMsgId: 'c1', allowedStatuses: ['ACTIVE'] }, T0 + 5),
        );
        await record(
          store.append(
            'p1',
            { type: 'NOTIFICATION', sender: null, content: 'Ships Monday', clientMsgId: 'n1', allowedStatuses: ['ACTIVE'] },
            T0 + 6,
          ),
        );
        await record(store.join('p1', user('b'), T0 + 7));
        await record(store.join('p1', user('c'), T0 + 8));
        await record(store.leave('p1', 'user-a', T0 + 9));
        await record(store.join('p2', user('a'), T0 + 10));
        await record(store.leave('p2', 'user-a', T0 + 11));
        await record(store.leave('p2', 'user-z', T0 + 11));
        await record(store.join('nope', user('a'), T0));
        await record(store.page('p1', { limit: 2 }));
        await record(store.page('p1', { after: 1, limit: 100 }));
        await record(store.page('p1', { before: 3, limit: 1 }));
        await record(store.page('p1', { limit: 0 }));
        await record(store.participants('p1'));
        await record(store.isParticipant('p1', 'user-b'));
        await record(store.dueRooms(T0 + 1));
        await record(store.nextDeadline());
        await record(store.settle('p2', { reason: 'DEADLINE' }, T0 + 12));
        await record(store.settle('p2', { status: 'CLOSED', reason: 'HOST' }, T0 + 13));
        await record(store.append('p2', { type: 'CHAT', sender: user('a'), content: 'late', allowedStatuses: ['ACTIVE'] }, T0 + 14));
        await record(store.getRoom('p1'));
        await record(store.getRoom('p2'));
        await record(store.nextDeadline());
        return JSON.stringify(out).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>');
      }

      const sqlite = SqliteStore.open({ path: ':memory:' });
      cleanups.push(() => sqlite.close());
      const expected = await transcript(sqlite);
      expect(expected).toContain('ROOM_FULL');
      expect(await transcript(await openStore())).toBe(expected);
    });
  });
});
