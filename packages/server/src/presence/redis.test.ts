import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisBus } from '../bus/redis.js';
import { api, connectStomp, createRoom, startTestServer, tokenFor, waitFor, type TestServer } from '../test-support/harness.js';
import { RedisPresence } from './redis.js';

/** The Redis the scale-out tests use; CI starts one on 127.0.0.1:6379. */
const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379/0';

describe('RedisPresence', () => {
  it('merges every instance’s viewers, each user once, and withdraws them on close', async () => {
    const prefix = `gbtest:${randomBytes(4).toString('hex')}:`;
    const a = new RedisPresence({ url: REDIS_URL, prefix });
    const b = new RedisPresence({ url: REDIS_URL, prefix });
    await a.report('room', [{ userId: 'u1', name: 'One' }]);
    await b.report('room', [
      { userId: 'u1', name: 'One' },
      { userId: 'u2', name: 'Two' },
    ]);
    expect(await a.list('room', [{ userId: 'u1', name: 'One' }])).toEqual([
      { userId: 'u1', name: 'One' },
      { userId: 'u2', name: 'Two' },
    ]);
    await b.close();
    expect(await a.list('room', [{ userId: 'u1', name: 'One' }])).toEqual([{ userId: 'u1', name: 'One' }]);
    await a.close();
  });

  it('ignores the report of an instance that stopped refreshing it (a crash)', async () => {
    const prefix = `gbtest:${randomBytes(4).toString('hex')}:`;
    const reader = new RedisPresence({ url: REDIS_URL, prefix, staleAfterMs: 30_000 });
    // What a crashed instance leaves behind: its last report, written long ago and never withdrawn.
    const raw = new Redis(REDIS_URL);
    await raw.hset(
      `${prefix}presence:room`,
      'crashed-instance',
      JSON.stringify({ at: Date.now() - 60_000, viewers: [{ userId: 'ghost', name: 'Ghost' }] }),
    );
    await raw.hset(`${prefix}presence:room`, 'live-instance', JSON.stringify({ at: Date.now(), viewers: [{ userId: 'u2', name: 'Two' }] }));
    expect(await reader.list('room', [])).toEqual([{ userId: 'u2', name: 'Two' }]);
    await raw.del(`${prefix}presence:room`);
    await raw.quit();
    await reader.close();
  });
});

describe('viewers across two instances', () => {
  let one: TestServer;
  let two: TestServer;
  beforeAll(async () => {
    const prefix = `gbtest:${randomBytes(4).toString('hex')}:`;
    one = await startTestServer({
      bus: await RedisBus.open({ url: REDIS_URL, prefix }),
      presence: new RedisPresence({ url: REDIS_URL, prefix }),
    });
    two = await startTestServer({
      dir: one.dir,
      bus: await RedisBus.open({ url: REDIS_URL, prefix }),
      presence: new RedisPresence({ url: REDIS_URL, prefix }),
    });
  });
  afterAll(async () => {
    await two.close();
    await one.dispose();
  });

  it('lists a viewer connected to the other instance, and drops them when they close', async () => {
    const room = await createRoom(one);
    const alice = await connectStomp(one, await tokenFor('alice', { name: 'Alice' }));
    const bob = await connectStomp(two, await tokenFor('bob', { name: 'Bob' }));
    await alice.subscribe(room.productId);
    await bob.subscribe(room.productId);
    const token = await tokenFor('reader');
    const ids = async (server: TestServer) =>
      ((await api(server, 'GET', `/api/chat/rooms/${room.productId}/viewers`, { token })).body.viewers as { userId: string }[])
        .map((v) => v.userId)
        .sort();
    await waitFor(async () => (await ids(one)).join() === 'alice,bob', 5000, 'both viewers on instance one');
    expect(await ids(two)).toEqual(['alice', 'bob']);
    await bob.close();
    await waitFor(async () => (await ids(one)).join() === 'alice', 5000, 'bob to leave the list');
    await alice.close();
  });
});
