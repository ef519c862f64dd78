import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '@groupbuy/protocol';
import { api, connectStomp, createRoom, startTestServer, tokenFor, waitFor, type TestServer } from '../test-support/harness.js';
import { RedisBus } from './redis.js';
import type { BusHandler, EphemeralEvent, MessageBus } from './types.js';

// Issue 10: each instance subscribes to the Redis channels of the rooms someone on it reads, and only those.
const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379/0';

/** A RedisBus whose room subscriptions wait for `open()`: the window between subscribe request and confirmation, made long. */
class GatedBus implements MessageBus {
  private gate: Promise<void>;
  private openGate: () => void = () => undefined;
  constructor(readonly inner: RedisBus) {
    this.gate = new Promise((r) => (this.openGate = r));
  }
  open(): void {
    this.openGate();
  }
  publish(roomId: string, message: ChatMessage): Promise<void> {
    return this.inner.publish(roomId, message);
  }
  subscribe(handler: BusHandler): () => void {
    return this.inner.subscribe(handler);
  }
  async follow(roomId: string): Promise<void> {
    await this.gate;
    await this.inner.follow(roomId);
  }
  unfollow(roomId: string): Promise<void> {
    return this.inner.unfollow(roomId);
  }
  onReconnect(listener: () => void): () => void {
    return this.inner.onReconnect(listener);
  }
  publishEphemeral(event: EphemeralEvent): Promise<void> {
    return this.inner.publishEphemeral(event);
  }
  subscribeEphemeral(handler: (event: EphemeralEvent) => void): () => void {
    return this.inner.subscribeEphemeral(handler);
  }
  ping(): Promise<void> {
    return this.inner.ping();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** Reads an SSE room feed with fetch and collects the notification seqs. */
async function openFeed(server: TestServer, roomId: string, token: string) {
  const ctrl = new AbortController();
  const res = await fetch(`${server.url}/api/chat/rooms/${roomId}/events?token=${token}`, { signal: ctrl.signal });
  const text: string[] = [];
  void (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) text.push(decoder.decode(chunk, { stream: true }));
    } catch {
      // aborted
    }
  })();
  return { received: () => text.join(''), close: () => ctrl.abort() };
}

describe('instances carry only their own rooms (Redis, one channel per room)', () => {
  const prefix = `gbtest:${randomBytes(4).toString('hex')}:`;
  let busOne: RedisBus;
  let busTwo: RedisBus;
  let one: TestServer;
  let two: TestServer;
  let raw: Redis;
  const subscribers = async (roomId: string) => {
    const reply = (await raw.call('PUBSUB', 'NUMSUB', `${prefix}room:{${roomId}}`)) as [string, number];
    return reply[1];
  };

  beforeAll(async () => {
    busOne = await RedisBus.open({ url: REDIS_URL, prefix });
    busTwo = await RedisBus.open({ url: REDIS_URL, prefix });
    one = await startTestServer({ bus: busOne });
    two = await startTestServer({ dir: one.dir, bus: busTwo });
    raw = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    raw.disconnect();
    await two.close();
    await one.dispose();
  });

  it('delivers a room only to the instance with its subscribers: the other receives none of its traffic', async () => {
    const onOne = await createRoom(one);
    const onTwo = await createRoom(one);
    const alice = await connectStomp(one, await tokenFor('alice'));
    const bob = await connectStomp(two, await tokenFor('bob'));
    await alice.subscribe(onOne.productId);
    await bob.subscribe(onTwo.productId);
    const before = { one: busOne.messagesReceived, two: busTwo.messagesReceived };
    // Within the send limit of one user in one room (a refused send would not be published).
    for (let i = 0; i < 10; i++) expect((await alice.send(onOne.productId, { content: `one ${i}` })).ok).toBe(true);
    for (let i = 0; i < 5; i++) expect((await alice.send(onTwo.productId, { content: `two ${i}` })).ok).toBe(true);
    await waitFor(() => alice.messages.get(onOne.productId)?.length === 10 && bob.messages.get(onTwo.productId)?.length === 5);
    // Instance one follows only its room; instance two only its own, though alice on one sent to both.
    expect(busTwo.messagesReceived - before.two).toBe(5);
    expect(busOne.messagesReceived - before.one).toBe(10);
    expect(bob.messages.get(onTwo.productId)!.map((m) => m.content)).toEqual(['two 0', 'two 1', 'two 2', 'two 3', 'two 4']);
    await alice.close();
    await bob.close();
  });

  it('subscribes on the first local subscriber and unsubscribes after the last, SSE included', async () => {
    const room = await createRoom(one, { hostId: 'seller-1' });
    expect(await subscribers(room.productId)).toBe(0);
    const first = await connectStomp(two, await tokenFor('first'));
    await first.subscribe(room.productId);
    await waitFor(async () => (await subscribers(room.productId)) === 1, 5000, 'one Redis subscriber');
    const feed = await openFeed(two, room.productId, await tokenFor('reader'));
    const second = await connectStomp(two, await tokenFor('second'));
    await second.subscribe(room.productId);
    // Three local subscribers of two transports: still one Redis subscription of instance two.
    expect(await subscribers(room.productId)).toBe(1);
    await first.close();
    await second.close();
    // The SSE feed still reads the room: instance two keeps the channel and the feed gets a notification from one.
    await new Promise((r) => setTimeout(r, 100));
    expect(await subscribers(room.productId)).toBe(1);
    const notice = await api(one, 'POST', `/api/chat/rooms/${room.productId}/notifications`, {
      token: await tokenFor('seller-1'),
      body: { content: 'shipped' },
    });
    expect(notice.status).toBe(201);
    await waitFor(() => feed.received().includes('shipped'));
    feed.close();
    await waitFor(async () => (await subscribers(room.productId)) === 0);
    // And back: a new subscriber makes it subscribe again and get live traffic.
    const again = await connectStomp(two, await tokenFor('again'));
    await again.subscribe(room.productId);
    await waitFor(async () => (await subscribers(room.productId)) === 1);
    const sender = await connectStomp(one, await tokenFor('sender'));
    await sender.send(room.productId, { content: 'after the resubscribe' });
    await waitFor(() => again.messages.get(room.productId)?.some((m) => m.content === 'after the resubscribe'));
    await again.close();
    await sender.close();
  });
});

describe('a message published between the subscribe request and its confirmation', () => {
  let one: TestServer;
  let two: TestServer;
  let gated: GatedBus;
  beforeAll(async () => {
    const prefix = `gbtest:${randomBytes(4).toString('hex')}:`;
    one = await startTestServer({ bus: await RedisBus.open({ url: REDIS_URL, prefix }) });
    gated = new GatedBus(await RedisBus.open({ url: REDIS_URL, prefix }));
    two = await startTestServer({ dir: one.dir, bus: gated });
  });
  afterAll(async () => {
    await two.close();
    await one.dispose();
  });

  it('is still delivered, once and in order, before what follows', async () => {
    const room = await createRoom(one);
    const alice = await connectStomp(one, await tokenFor('alice'));
    const bob = await connectStomp(two, await tokenFor('bob'));
    await bob.subscribe(room.productId);
    // Instance two asked for the room's channel; Redis has not confirmed (the gate): these two pass it by.
    await alice.send(room.productId, { content: 'during 1' });
    await alice.send(room.productId, { content: 'during 2' });
    expect(gated.inner.messagesReceived).toBe(0);
    gated.open();
    await waitFor(() => bob.messages.get(room.productId)?.length === 2);
    await alice.send(room.productId, { content: 'after' });
    await waitFor(() => bob.messages.get(room.productId)?.length === 3);
    await new Promise((r) => setTimeout(r, 100));
    expect(bob.messages.get(room.productId)!.map((m) => [m.seq, m.content])).toEqual([
      [1, 'during 1'],
      [2, 'during 2'],
      [3, 'after'],
    ]);
    await alice.close();
    await bob.close();
  });
});

describe('after Redis restarts', () => {
  const port = 21_000 + Math.floor(Math.random() * 7_000);
  let redis: ChildProcess | null = null;
  const start = async () => {
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    // One client that keeps retrying by itself: calling connect() again while it does throws "already
    // connecting/connected", which made this wait time out whenever the first attempt came too early.
    const probe = new Redis(`redis://127.0.0.1:${port}`, { retryStrategy: () => 50, maxRetriesPerRequest: null });
    probe.on('error', () => undefined);
    await waitFor(async () => (await probe.ping()) === 'PONG');
    probe.disconnect();
  };
  const stop = async () => {
    const child = redis;
    redis = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  };
  afterAll(stop);

  it('subscribes to the followed rooms again, by itself, and tells the hub to read the gap', async () => {
    await start();
    const url = `redis://127.0.0.1:${port}`;
    const a = await RedisBus.open({ url });
    const b = await RedisBus.open({ url });
    const seen: number[] = [];
    let reconnects = 0;
    b.subscribe((_r, m) => seen.push(m.seq));
    b.onReconnect(() => reconnects++);
    await b.follow('kept');
    await stop();
    await start();
    await waitFor(() => reconnects === 1 && b.followedRooms === 1);
    // The SUBSCRIBE ioredis replays on reconnect may land just after 'ready': publish until one arrives.
    await waitFor(async () => {
      await a.publish('kept', {
        id: 'm',
        roomId: 'kept',
        seq: 7,
        type: 'CHAT',
        sender: { userId: 'u', name: 'U' },
        content: 'x',
        createdAt: new Date(0).toISOString(),
      });
      return seen.includes(7);
    });
    await a.close();
    await b.close();
  });
});
