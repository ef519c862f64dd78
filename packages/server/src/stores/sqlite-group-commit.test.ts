import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createAesGcmCipher } from './content-cipher.js';
import { SqliteStore } from './sqlite.js';
import type { AppendResult, NewMessage } from './types.js';

const T0 = Date.parse('2030-03-01T09:00:00.000Z');
const N = 25;

const chat = (userId: string, content: string, clientMsgId?: string): NewMessage => ({
  type: 'CHAT',
  sender: { userId, name: userId },
  content,
  allowedStatuses: ['ACTIVE'],
  ...(clientMsgId ? { clientMsgId } : {}),
});

describe('SqliteStore group commit (appends asked for in one tick)', () => {
  let dir: string;
  let path: string;
  let store: SqliteStore;
  // A second connection, as another process would see the file: what it reads is committed.
  let other: Database.Database;
  const committed = (room: string) =>
    other
      .prepare<[string], { seq: number; client_msg_id: string | null }>(
        'SELECT seq, client_msg_id FROM messages WHERE room_id = ? ORDER BY seq',
      )
      .all(room);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'groupbuy-group-commit-'));
    path = join(dir, 'chat.db');
    store = SqliteStore.open({ path, groupCommit: true });
    for (const productId of ['g1', 'g2']) {
      await store.createRoom(
        {
          productId,
          title: productId,
          maxParticipants: 10,
          minParticipants: 1,
          expiresAt: new Date(T0 + 3_600_000).toISOString(),
          hostId: null,
        },
        T0,
      );
    }
    other = new Database(path, { readonly: true });
  });
  afterEach(async () => {
    other.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives N concurrent appends N distinct consecutive seqs, all committed before the first ack', async () => {
    const base = committed('g1').length;
    const seenAtAck: number[] = [];
    const sends = Array.from({ length: N }, (_, i) =>
      store.append('g1', chat(`u${i % 3}`, `m${i}`, `c${i}`), T0 + i).then((r) => {
        seenAtAck.push(committed('g1').length - base);
        return r;
      }),
    );
    // Asked for, not yet written: the batch commits once this turn of the event loop is over.
    expect(committed('g1').length - base).toBe(0);
    const results = await Promise.all(sends);
    // In the order asked for, one after the other, none shared or skipped.
    expect(results.map((r) => r.message.seq)).toEqual(Array.from({ length: N }, (_, i) => base + 1 + i));
    expect(results.map((r) => r.message.clientMsgId)).toEqual(Array.from({ length: N }, (_, i) => `c${i}`));
    // Every acknowledgement (even the first) already saw all N rows on another connection: one commit.
    expect(seenAtAck).toEqual(Array(N).fill(N));
    expect(committed('g1').map((r) => r.client_msg_id)).toEqual(results.map((r) => r.message.clientMsgId));
  });

  it('rejects a refused append alone: the others in its transaction are stored, seqs without a hole', async () => {
    const outcomes = await Promise.allSettled([
      store.append('g1', chat('u1', 'first', 'a1'), T0),
      store.append('nowhere', chat('u1', 'lost room', 'a2'), T0),
      store.append('g2', chat('u2', 'other room', 'a3'), T0),
      store.append('g1', chat('u1', 'second', 'a4'), T0),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'ROOM_NOT_FOUND' });
    const seq = (i: number) => (outcomes[i] as PromiseFulfilledResult<AppendResult>).value.message.seq;
    expect(seq(3)).toBe(seq(0) + 1);
    expect(committed('g1').map((r) => r.client_msg_id)).toEqual(['a1', 'a4']);
    expect(committed('g2').map((r) => r.client_msg_id)).toEqual(['a3']);
  });

  it('answers a batch that ran again after a refusal with what it stored: ids and decrypted content as a page reads them', async () => {
    await store.close();
    store = SqliteStore.open({ path, groupCommit: true, cipher: createAesGcmCipher(randomBytes(32)) });
    const outcomes = await Promise.allSettled([
      store.append('g1', chat('u1', 'kept 1', 'k1'), T0),
      store.append('nowhere', chat('u1', 'lost room', 'k2'), T0),
      store.append('g1', chat('u1', 'kept 2', 'k3'), T0),
    ]);
    const answered = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.message] : []));
    const page = await store.page('g1', { limit: 10 });
    expect(page.messages.map((m) => [m.id, m.seq, m.content])).toEqual(answered.map((m) => [m.id, m.seq, m.content]));
    expect(page.messages.map((m) => m.content)).toEqual(['kept 1', 'kept 2']);
  });

  it('rejects a whole batch at once when the write lock cannot be had, and stores the next one once it can', async () => {
    await store.close();
    store = SqliteStore.open({ path, groupCommit: true, busyTimeoutMs: 50 });
    const locker = new Database(path);
    locker.exec('BEGIN IMMEDIATE');
    const refused = await Promise.allSettled([
      store.append('g1', chat('u1', 'x1', 'b1'), T0),
      store.append('g1', chat('u1', 'x2', 'b2'), T0),
    ]);
    expect(refused.map((o) => (o.status === 'rejected' ? (o.reason as { code?: string }).code : 'stored'))).toEqual([
      'SQLITE_BUSY',
      'SQLITE_BUSY',
    ]);
    locker.exec('ROLLBACK');
    locker.close();
    const stored = await Promise.all([store.append('g1', chat('u1', 'x1', 'b1'), T0), store.append('g1', chat('u1', 'x2', 'b2'), T0)]);
    expect(stored.map((r) => r.duplicate)).toEqual([false, false]);
    expect(committed('g1').map((r) => r.client_msg_id)).toEqual(['b1', 'b2']);
  });

  it('stores a clientMsgId sent twice in one tick once: the second is answered with the first', async () => {
    const [a, b] = await Promise.all([
      store.append('g1', chat('u1', 'once', 'dup'), T0),
      store.append('g1', chat('u1', 'once', 'dup'), T0 + 1),
    ]);
    expect(a.duplicate).toBe(false);
    expect(b).toMatchObject({ duplicate: true, message: { seq: a.message.seq, id: a.message.id } });
    expect(committed('g1').filter((r) => r.client_msg_id === 'dup')).toHaveLength(1);
  });

  it('commits what is queued when the store closes, and a reopened file holds it', async () => {
    const pending = Promise.all([store.append('g1', chat('u1', 'late 1', 'l1'), T0), store.append('g1', chat('u1', 'late 2', 'l2'), T0)]);
    await store.close();
    const [a, b] = await pending;
    expect(b.message.seq).toBe(a.message.seq + 1);
    store = SqliteStore.open({ path, groupCommit: true });
    const page = await store.page('g1', { limit: 10 });
    expect(page.messages.map((m) => m.clientMsgId)).toEqual(['l1', 'l2']);
  });

  it('writes the WAL once for the batch: far fewer frames than with groupCommit: false (one commit each)', async () => {
    // Frames the WAL gained since the last truncating checkpoint, read on a connection of our own.
    const walFrames = async (write: () => Promise<unknown>) => {
      const w = new Database(path);
      try {
        w.pragma('wal_checkpoint(TRUNCATE)');
        await write();
        const [{ log }] = w.pragma('wal_checkpoint(PASSIVE)') as [{ log: number }];
        return log;
      } finally {
        w.close();
      }
    };
    const burst = (prefix: string) =>
      Promise.all(Array.from({ length: N }, (_, i) => store.append('g1', chat('u1', `m${i}`, `${prefix}${i}`), T0)));
    const grouped = await walFrames(() => burst('g'));
    await store.close();
    store = SqliteStore.open({ path, groupCommit: false });
    let separate: AppendResult[] = [];
    const single = await walFrames(async () => (separate = await burst('s')));
    expect(separate.map((r) => r.message.seq)).toEqual(Array.from({ length: N }, (_, i) => N + 1 + i));
    expect(grouped * 5).toBeLessThan(single);
  });
});
