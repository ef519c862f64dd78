import { beforeAll, describe, expect, it } from 'vitest';
import { api, connectStomp, createRoom, tokenFor, waitFor, type TestServer } from './test-support/harness.js';
import { twoInstances } from './test-support/instances.js';

// Two server instances behind a load balancer: one PostgreSQL database, one Redis, nothing shared in memory.
describe('two instances on PostgreSQL and Redis', () => {
  let one: TestServer;
  let two: TestServer;
  const pair = twoInstances('scale', { encrypted: true });
  beforeAll(() => {
    ({ one, two } = pair);
  });

  it('holds the cap when joins race across both instances', async () => {
    const room = await createRoom(one, { maxParticipants: 5 });
    const results = await Promise.all(
      Array.from({ length: 24 }, async (_, i) => {
        const target = i % 2 === 0 ? one : two;
        return (await api(target, 'POST', `/api/chat/rooms/${room.productId}/participants`, { token: await tokenFor(`racer${i}`) })).status;
      }),
    );
    expect(results.filter((s) => s === 201)).toHaveLength(5);
    expect(results.filter((s) => s === 409)).toHaveLength(19);
    const after = await api(two, 'GET', `/api/chat/rooms/${room.productId}`, { token: await tokenFor('x') });
    expect(after.body).toMatchObject({ status: 'CLOSED', participantCount: 5 });
  });

  it('gives every subscriber on either instance the same gap-free stream', async () => {
    const room = await createRoom(one);
    const a = await connectStomp(one, await tokenFor('ia'));
    const b = await connectStomp(two, await tokenFor('ib'));
    await a.subscribe(room.productId);
    await b.subscribe(room.productId);
    await Promise.all([
      (async () => {
        for (let i = 0; i < 8; i++) await a.send(room.productId, { content: `a${i}` });
      })(),
      (async () => {
        for (let i = 0; i < 8; i++) await b.send(room.productId, { content: `b${i}` });
      })(),
    ]);
    for (const peer of [a, b]) {
      await waitFor(() => peer.messages.get(room.productId)?.length === 16);
      const seqs = peer.messages
        .get(room.productId)!
        .map((m) => m.seq)
        .sort((x, y) => x - y);
      expect(seqs).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    }
    await a.close();
    await b.close();
  });
});
