// The outbox across a reload: a Storage-like object shared by two clients stands for the page's
// localStorage, the first client for the page before the reload and the second for the page after it.
import { describe, expect, it } from 'vitest';
import { OUTBOX_TTL_MS, memoryOutboxStorage, outboxKey } from './outbox-store.js';
import type { OutboxStorage, RoomSession } from './types.js';
import { Network, TRANSPORTS, chats, testClient, useTestServer } from './test-support/clients.js';
import { cancelRoom, createRoom, history, joinRoom, waitFor } from './test-support/server.js';

const transport = (TRANSPORTS[0] as (typeof TRANSPORTS)[number]).factory;

async function storedChats(url: string, productId: string) {
  return (await history(url, productId)).filter((m) => m.type === 'CHAT');
}

describe('persisted outbox', () => {
  const env = useTestServer();
  const { tokenOf } = env;

  /** The page before the reload: its transport never reaches the server, so its sends only queue. */
  async function queueWhileUnreachable(storage: OutboxStorage, productId: string, contents: string[]) {
    const network = new Network();
    network.up = false;
    const client = testClient({ baseUrl: env.url, getToken: tokenOf('ann'), transport: network.wrap(transport()), outboxStorage: storage });
    const session = client.room(productId);
    await session.ready();
    const sent = contents.map((c) => session.send(c));
    expect(chats(session).map((m) => m.status)).toEqual(contents.map(() => 'pending'));
    client.close(); // the tab goes away without delivering anything
    return sent;
  }

  /** The page after the reload, with the same storage. */
  function reopen(storage: OutboxStorage, productId: string): RoomSession {
    return testClient({ baseUrl: env.url, getToken: tokenOf('ann'), transport: transport(), outboxStorage: storage }).room(productId);
  }

  it('resends what a closed page left queued, in order, with the same clientMsgId, stored once', async () => {
    const room = await createRoom(env.url);
    const storage = memoryOutboxStorage();
    const queued = await queueWhileUnreachable(storage, room.productId, ['first', 'second']);
    expect(await storedChats(env.url, room.productId)).toEqual([]);

    const ann = reopen(storage, room.productId);
    await waitFor('both to be stored', () => chats(ann).filter((m) => m.status === 'sent').length === 2);
    const stored = await storedChats(env.url, room.productId);
    expect(stored.map((m) => m.content)).toEqual(['first', 'second']);
    expect(stored.map((m) => m.clientMsgId)).toEqual(queued.map((q) => q.clientMsgId));
    expect(storage.getItem(outboxKey(env.url, 'ann', room.productId))).toBeNull();
  });

  it('shows restored sends as pending before the connection is up', async () => {
    const room = await createRoom(env.url);
    const storage = memoryOutboxStorage();
    await queueWhileUnreachable(storage, room.productId, ['waiting']);
    const network = new Network();
    network.up = false;
    const client = testClient({ baseUrl: env.url, getToken: tokenOf('ann'), transport: network.wrap(transport()), outboxStorage: storage });
    const ann = client.room(room.productId);
    await ann.ready();
    expect(chats(ann).map((m) => [m.content, m.status])).toEqual([['waiting', 'pending']]);
  });

  it('drops entries older than a day and ignores corrupt ones', async () => {
    const room = await createRoom(env.url);
    const storage = memoryOutboxStorage();
    const now = Date.now();
    storage.setItem(
      outboxKey(env.url, 'ann', room.productId),
      JSON.stringify([
        { clientMsgId: 'old-one', content: 'from two days ago', createdAt: new Date(now - 2 * OUTBOX_TTL_MS).toISOString() },
        { clientMsgId: 'broken', content: 42 },
        'garbage',
        { clientMsgId: 'fresh-one', content: 'from a minute ago', createdAt: new Date(now - 60_000).toISOString() },
      ]),
    );
    const ann = reopen(storage, room.productId);
    await waitFor('the fresh one to be stored', () => chats(ann).some((m) => m.status === 'sent'));
    expect(chats(ann).map((m) => m.content)).toEqual(['from a minute ago']);
    expect((await storedChats(env.url, room.productId)).map((m) => m.clientMsgId)).toEqual(['fresh-one']);
  });

  it("shows a buyer's send to a deal cancelled meanwhile as failed with ROOM_NOT_ACTIVE, never delivered; discard removes it", async () => {
    const room = await createRoom(env.url);
    await joinRoom(env.url, room.productId, 'ann');
    const storage = memoryOutboxStorage();
    await queueWhileUnreachable(storage, room.productId, ['too late']);
    await cancelRoom(env.url, room.productId);

    const ann = reopen(storage, room.productId);
    await waitFor('the restored send to fail', () => chats(ann).some((m) => m.status === 'failed'));
    const [failed] = chats(ann);
    expect(failed).toMatchObject({ content: 'too late', status: 'failed', error: { code: 'ROOM_NOT_ACTIVE' } });
    expect(await storedChats(env.url, room.productId)).toEqual([]);

    // Still there after another reload, failed as it was, until discarded.
    const again = reopen(storage, room.productId);
    await again.ready();
    expect(chats(again).map((m) => [m.status, m.error?.code])).toEqual([['failed', 'ROOM_NOT_ACTIVE']]);
    again.discard(failed?.clientMsgId ?? '');
    expect(chats(again)).toEqual([]);
    await waitFor('the outbox to be emptied', () => storage.getItem(outboxKey(env.url, 'ann', room.productId)) === null);
  });

  it('shows a send to a deal that closed for a non-buyer as failed with FORBIDDEN, never delivered', async () => {
    const room = await createRoom(env.url, { maxParticipants: 2 });
    const storage = memoryOutboxStorage();
    await queueWhileUnreachable(storage, room.productId, ['am I in?']);
    // Two others fill the deal: CLOSED, and ann is no buyer.
    await joinRoom(env.url, room.productId, 'bob');
    await joinRoom(env.url, room.productId, 'cat');

    const ann = reopen(storage, room.productId);
    await waitFor('the restored send to fail', () => chats(ann).some((m) => m.status === 'failed'));
    expect(chats(ann)[0]).toMatchObject({ content: 'am I in?', status: 'failed', error: { code: 'FORBIDDEN' } });
    expect(await storedChats(env.url, room.productId)).toEqual([]);
  });

  it('writes the outbox once for sends made in one task, and keeps them when the page closes in that task', async () => {
    const room = await createRoom(env.url);
    const inner = memoryOutboxStorage();
    let writes = 0;
    const storage: OutboxStorage = {
      ...inner,
      setItem: (key, value) => {
        writes += 1;
        inner.setItem(key, value);
      },
    };
    const network = new Network();
    network.up = false;
    const client = testClient({ baseUrl: env.url, getToken: tokenOf('ann'), transport: network.wrap(transport()), outboxStorage: storage });
    const session = client.room(room.productId);
    await session.ready();
    for (const content of ['one', 'two', 'three']) session.send(content);
    await waitFor('the outbox to be written', () => storage.getItem(outboxKey(env.url, 'ann', room.productId)));
    expect(writes).toBe(1);

    for (const content of ['four', 'five']) session.send(content);
    client.close();
    expect(writes).toBe(2);
    const ann = reopen(storage, room.productId);
    await waitFor('all five to be stored', () => chats(ann).filter((m) => m.status === 'sent').length === 5);
    expect((await storedChats(env.url, room.productId)).map((m) => m.content)).toEqual(['one', 'two', 'three', 'four', 'five']);
  });
});
