import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHECKPOINT_THREAD_AFTER_APPENDS, SqliteStore, type SqliteStoreOptions } from './sqlite.js';
import type { NewMessage } from './types.js';

// The WAL checkpoints of a written SQLite file run in a worker thread of their own (sqlite-checkpointer.ts),
// not inside the COMMIT on the event loop: against a real file, read back through a second connection.

const T0 = Date.parse('2030-03-01T09:00:00.000Z');
const chat = (i: number): NewMessage => ({
  type: 'CHAT',
  sender: { userId: 'u1', name: 'u1' },
  content: `message ${i} ${'x'.repeat(200)}`,
  clientMsgId: `c${i}`,
  allowedStatuses: ['ACTIVE'],
});

describe('SqliteStore WAL checkpoints', () => {
  let dir: string;
  let path: string;
  let store: SqliteStore;

  const open = async (options: Partial<SqliteStoreOptions> = {}) => {
    store = SqliteStore.open({ path, ...options });
    const room = { productId: 'ck', title: 'ck', maxParticipants: 10, minParticipants: 1, hostId: null };
    await store.createRoom({ ...room, expiresAt: new Date(T0 + 3_600_000).toISOString() }, T0);
  };
  // `n` more appends (numbered on from the last), in bursts of 50 (group commit batches them).
  let written = 0;
  const write = async (n: number) => {
    for (const end = written + n; written < end;) {
      const from = written;
      written = Math.min(end, written + 50);
      await Promise.all(Array.from({ length: written - from }, (_, k) => store.append('ck', chat(from + k), T0)));
    }
  };
  const until = async (what: string, ok: () => boolean) => {
    for (const end = Date.now() + 5000; !ok();) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'groupbuy-checkpoint-'));
    written = 0;
    path = join(dir, 'chat.db');
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('moves the WAL into the database file from its own thread once the store has been written', async () => {
    await open();
    await write(CHECKPOINT_THREAD_AFTER_APPENDS - 50);
    expect(store.checkpointedFrames).toBe(0); // not started for a store written this little
    const fileBefore = statSync(path).size;
    await write(3000);
    await until('the checkpoint thread to copy frames', () => store.checkpointedFrames > 0);
    // The writer's own threshold is far above what 3,000 messages write: the file grew by the thread's work.
    await until('the database file to hold the messages', () => statSync(path).size > fileBefore + 3000 * 200);
    const other = new Database(path, { readonly: true });
    try {
      expect(other.prepare('SELECT count(*) AS n FROM messages WHERE room_id = ?').get('ck')).toEqual({
        n: CHECKPOINT_THREAD_AFTER_APPENDS - 50 + 3000,
      });
    } finally {
      other.close();
    }
  });

  it('ends the thread on close after a last checkpoint, and a reopened file holds every message', async () => {
    await open();
    await write(CHECKPOINT_THREAD_AFTER_APPENDS + 200);
    await store.close();
    written = 0;
    expect(statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0).toBe(0);
    store = SqliteStore.open({ path });
    const page = await store.page('ck', { limit: 1 });
    expect(page.messages[0]?.clientMsgId).toBe(`c${CHECKPOINT_THREAD_AFTER_APPENDS + 199}`);
  });

  it('lets a process with nothing else to do close the store and exit 0 (the thread is held while it stops)', async () => {
    store = SqliteStore.open({ path: join(dir, 'unused.db') });
    // The built store (the test command builds first), in a process of its own: a CLI or a server shutting down.
    const built = pathToFileURL(fileURLToPath(new URL('../../dist/stores/sqlite.js', import.meta.url))).href;
    const script = `
      import { SqliteStore } from ${JSON.stringify(built)};
      const store = SqliteStore.open({ path: ${JSON.stringify(path)} });
      const room = { productId: 'ck', title: 'ck', maxParticipants: 10, minParticipants: 1, hostId: null, expiresAt: new Date(Date.now() + 3600000).toISOString() };
      await store.createRoom(room, Date.now());
      for (let i = 0; i < ${CHECKPOINT_THREAD_AFTER_APPENDS + 100}; i++) {
        await store.append('ck', { type: 'CHAT', sender: { userId: 'u1', name: 'u1' }, content: 'm' + i, clientMsgId: 'c' + i, allowedStatuses: ['ACTIVE'] }, Date.now());
      }
      await store.close();
      console.log('closed');`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect({ code, out: out.trim() }).toEqual({ code: 0, out: 'closed' });
  });

  it('leaves the checkpoints to the writer with checkpointThread: false', async () => {
    await open({ checkpointThread: false });
    await write(CHECKPOINT_THREAD_AFTER_APPENDS + 500);
    await new Promise((r) => setTimeout(r, 300));
    expect(store.checkpointedFrames).toBe(0);
  });
});
