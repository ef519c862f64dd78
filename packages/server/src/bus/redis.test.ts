import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connectStomp, createRoom, startTestServer, tokenFor, waitFor, type TestServer } from '../test-support/harness.js';
import { describeBusContract } from './test-support/contract.js';
import { RedisBus } from './redis.js';

/** The Redis the scale-out tests use; CI starts one on 127.0.0.1:6379. */
const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379/0';

describeBusContract('redis', async () => {
  const prefix = `gbtest:${randomBytes(4).toString('hex')}:`;
  const a = await RedisBus.open({ url: REDIS_URL, prefix });
  const b = await RedisBus.open({ url: REDIS_URL, prefix });
  return {
    a,
    b,
    cleanup: async () => {
      await a.close();
      await b.close();
    },
  };
});

describe('two server instances on one database and one Redis', () => {
  let one: TestServer;
  let two: TestServer;
  beforeAll(async () => {
    const prefix = `gbtest:${randomBytes(4).toString('hex')}:`;
    one = await startTestServer({ bus: await RedisBus.open({ url: REDIS_URL, prefix }) });
    two = await startTestServer({ dir: one.dir, bus: await RedisBus.open({ url: REDIS_URL, prefix }) });
  });
  afterAll(async () => {
    await two.close();
    await one.dispose();
  });

  it('delivers a message sent on one instance to a subscriber on the other', async () => {
    const room = await createRoom(one);
    const alice = await connectStomp(one, await tokenFor('alice'));
    const bob = await connectStomp(two, await tokenFor('bob'));
    await alice.subscribe(room.productId);
    await bob.subscribe(room.productId);
    await alice.send(room.productId, { content: 'from instance one' });
    await bob.send(room.productId, { content: 'from instance two' });
    for (const peer of [alice, bob]) {
      await waitFor(() => peer.messages.get(room.productId)?.length === 2);
      expect(peer.messages.get(room.productId)!.map((m) => [m.seq, m.content])).toEqual([
        [1, 'from instance one'],
        [2, 'from instance two'],
      ]);
    }
    await alice.close();
    await bob.close();
  });

  it('shows a join on one instance to watchers on the other, and settles a deadline once', async () => {
    const room = await createRoom(one, { maxParticipants: 5, minParticipants: 1, expiresInMs: 1500 });
    const watcher = await connectStomp(two, await tokenFor('watcher'));
    await watcher.subscribe(room.productId);
    await api(one, 'POST', `/api/chat/rooms/${room.productId}/participants`, { token: await tokenFor('buyer') });
    await waitFor(() => watcher.messages.get(room.productId)?.some((m) => m.event?.type === 'JOINED'));
    await waitFor(
      async () => (await api(two, 'GET', `/api/chat/rooms/${room.productId}`, { token: await tokenFor('x') })).body.status === 'CLOSED',
    );
    const page = await api(one, 'GET', `/api/chat/rooms/${room.productId}/messages`, { token: await tokenFor('buyer') });
    const closings = page.body.messages.filter((m: { event?: { type: string } }) => m.event?.type === 'CLOSED');
    expect(closings).toHaveLength(1);
    expect(closings[0].event.reason).toBe('DEADLINE');
    await watcher.close();
  });
});
