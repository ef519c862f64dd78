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

// Slow mode behind a load balancer: the cooldown is one per user and room whichever instance takes the send.
describe('slow mode across two instances (Redis)', () => {
  let one: TestServer;
  let two: TestServer;
  const pair = twoInstances('slowmode', { sharedLimits: true });
  beforeAll(() => {
    ({ one, two } = pair);
  });

  it("refuses a buyer's second message inside the cooldown on the other instance too, with retryAfterMs", async () => {
    const room = await createRoom(one, { hostId: 'slow-seller' });
    const seller = await tokenFor('slow-seller');
    const set = await api(one, 'PUT', `/api/chat/rooms/${room.productId}/slow-mode`, { token: seller, body: { slowModeMs: 30_000 } });
    expect(set.status).toBe(200);
    const token = await tokenFor('two-tabs');
    const [tabOne, tabTwo] = [await connectStomp(one, token), await connectStomp(two, token)];
    try {
      await tabOne.subscribe(room.productId);
      await tabTwo.subscribe(room.productId);
      expect(await tabOne.send(room.productId, { content: 'first', clientMsgId: 'slow-1' })).toMatchObject({ ok: true });
      const second = await tabTwo.send(room.productId, { content: 'second', clientMsgId: 'slow-2' });
      expect(second).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
      expect(Number(second.error?.retryAfterMs)).toBeGreaterThan(25_000);
      // The seller is exempt on either instance.
      const sellerTab = await connectStomp(two, seller);
      try {
        expect(await sellerTab.send(room.productId, { content: 'notice', clientMsgId: 'slow-3' })).toMatchObject({ ok: true });
        expect(await sellerTab.send(room.productId, { content: 'notice 2', clientMsgId: 'slow-4' })).toMatchObject({ ok: true });
      } finally {
        await sellerTab.close();
      }
    } finally {
      await tabOne.close();
      await tabTwo.close();
    }
  });
});
