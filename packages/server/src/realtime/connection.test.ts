import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LIMITS, type Ack, type ErrorInfo, type Room } from '@groupbuy/protocol';
import { assembleCore, type ServerCore } from '../assemble.js';
import type { Principal } from '../auth/jwt.js';
import { MemoryStore } from '../stores/memory.js';
import { TEST_SECRET, tokenFor, waitFor } from '../test-support/harness.js';
import { ConnectionSession, decodeCommand, type SocketAdapter, type SubscriptionEvent } from './connection.js';

// The session is the thing under test; its peers are the real core (RoomService, Hub) on the in-memory store,
// and on the client side a plain adapter that records what a transport would have framed.
let core: ServerCore;
beforeEach(() => {
  core = assembleCore({ store: new MemoryStore(), jwt: { secret: TEST_SECRET } });
});
afterEach(() => {
  core.hub.closeAll({ code: 'UNAVAILABLE', message: 'test over' });
});

const tradeService: Principal = { userId: 'trade', name: 'Trade', role: 'service', expiresAtMs: Number.POSITIVE_INFINITY };
let rooms = 0;
async function room(): Promise<Room> {
  const productId = `conn-${++rooms}`;
  const body = { productId, title: 'Jeju tangerines 5 kg', maxParticipants: 10, expiresAt: new Date(Date.now() + 3_600_000).toISOString() };
  return (await core.service.createRoom(tradeService, body)).room;
}

function client(options: { acksCarryResults?: boolean; bufferedBytes?: () => number } = {}) {
  const seen = {
    delivered: [] as Array<{ id: string; seq: number }>,
    events: [] as SubscriptionEvent[],
    closed: [] as ErrorInfo[],
    cut: 0,
  };
  const adapter: SocketAdapter = {
    transport: 'in-process',
    acksCarryResults: options.acksCarryResults ?? true,
    deliver: (id, d) => seen.delivered.push({ id, seq: d.message.seq }),
    event: (_id, e) => seen.events.push(e),
    close: (error) => seen.closed.push(error),
    terminate: () => (seen.cut += 1),
    ...(options.bufferedBytes ? { bufferedBytes: options.bufferedBytes } : {}),
  };
  const session = new ConnectionSession(core.realtime, adapter);
  const ask = (command: Parameters<typeof decodeCommand>[0]) =>
    new Promise<Ack>((resolve) => session.handle(decodeCommand(command), resolve));
  return { session, seen, ask };
}

async function signedIn(userId: string, options: Parameters<typeof client>[0] = {}) {
  const c = client(options);
  expect(await c.session.authenticate(await tokenFor(userId))).toMatchObject({ userId });
  return c;
}

describe('ConnectionSession', () => {
  it('answers commands one at a time in the order they arrived, so sends are stored in that order', async () => {
    const { productId } = await room();
    const { ask } = await signedIn('orderly');
    const acks = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => ask({ type: 'send', roomId: productId, content: `m${i}`, clientMsgId: `o-${i}` })),
    );
    expect(acks.map((a) => (a.ok ? [a.message?.seq, a.message?.content] : a.error.code))).toEqual([
      [1, 'm1'],
      [2, 'm2'],
      [3, 'm3'],
      [4, 'm4'],
      [5, 'm5'],
    ]);
  });

  it('puts the stored message in the ack when acks carry results, and re-delivers a retried send on the sender’s subscriptions when they cannot', async () => {
    const { productId } = await room();
    const rich = await signedIn('rich');
    const bare = await signedIn('bare', { acksCarryResults: false });
    expect(await rich.ask({ type: 'subscribe', roomId: productId })).toMatchObject({ ok: true, room: { productId } });
    expect(await bare.ask({ type: 'subscribe', roomId: productId })).toEqual({ ok: true });
    expect(await bare.ask({ type: 'send', roomId: productId, content: 'hi', clientMsgId: 'b-1' })).toEqual({ ok: true });
    await waitFor(() => bare.seen.delivered.length === 1 && rich.seen.delivered.length === 1);
    // The retry is stored once and not broadcast again; only its sender sees the stored message once more.
    expect(await bare.ask({ type: 'send', roomId: productId, content: 'hi', clientMsgId: 'b-1' })).toEqual({ ok: true });
    expect(bare.seen.delivered).toEqual([
      { id: productId, seq: 1 },
      { id: productId, seq: 1 },
    ]);
    expect(await rich.ask({ type: 'send', roomId: productId, content: 'yo', clientMsgId: 'r-1' })).toMatchObject({
      ok: true,
      message: { seq: 2 },
    });
    expect(await rich.ask({ type: 'send', roomId: productId, content: 'yo', clientMsgId: 'r-1' })).toMatchObject({
      ok: true,
      message: { seq: 2 },
    });
    await waitFor(() => bare.seen.delivered.length === 3);
    expect(rich.seen.delivered.map((d) => d.seq)).toEqual([1, 2]);
  });

  it(`refuses subscription number ${LIMITS.subscriptionsPerConnection + 1} with INVALID_INPUT and keeps the connection`, async () => {
    const { ask, session, seen } = await signedIn('collector');
    for (let i = 0; i < LIMITS.subscriptionsPerConnection; i++)
      expect(await ask({ type: 'subscribe', roomId: (await room()).productId })).toMatchObject({ ok: true });
    const refused = await ask({ type: 'subscribe', roomId: (await room()).productId });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(session.closed).toBe(false);
    expect(seen.closed).toEqual([]);
  });

  it('refuses bad input in an ack with the protocol code and keeps the connection', async () => {
    const { productId } = await room();
    const { session, ask } = await signedIn('sloppy');
    expect(await ask({ type: 'subscribe', roomId: 'not a room!' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await ask({ type: 'subscribe', roomId: 'missing' })).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_FOUND' } });
    expect(await ask({ type: 'send', roomId: productId, content: '   ', clientMsgId: 's-1' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await ask({ type: 'subscribe', roomId: productId })).toMatchObject({ ok: true });
    expect(await ask({ type: 'subscribe', roomId: productId })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/Already subscribed/) },
    });
    expect(session.closed).toBe(false);
  });

  it('ends the connection with UNAUTHENTICATED for a refused token, counts it, and answers no later command', async () => {
    const { productId } = await room();
    const { session, seen } = client();
    expect(await session.authenticate('not-a-jwt')).toBeNull();
    expect(seen.closed).toMatchObject([{ code: 'UNAUTHENTICATED' }]);
    expect(core.metrics.value('groupbuy_auth_failures_total', { transport: 'in-process' })).toBe(1);
    let answered = false;
    session.handle({ type: 'subscribe', roomId: productId }, () => (answered = true));
    // Let the queued command have its turn, had it one.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answered).toBe(false);
    expect(seen.closed).toHaveLength(1);
  });

  it('answers a command sent before signing in by ending the connection, not with an ack', async () => {
    const { productId } = await room();
    const { session, seen } = client();
    let answered = false;
    session.handle({ type: 'subscribe', roomId: productId }, () => (answered = true));
    await waitFor(() => seen.closed.length === 1);
    expect(seen.closed[0]).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(answered).toBe(false);
    expect(session.closed).toBe(true);
  });

  it('ends a connection that floods frames with RATE_LIMITED, and one with an oversized frame with PAYLOAD_TOO_LARGE', async () => {
    const flood = await signedIn('flood');
    let admitted = 0;
    while (flood.session.admit()) admitted += 1;
    expect(admitted).toBeGreaterThan(0);
    expect(flood.seen.closed).toMatchObject([{ code: 'RATE_LIMITED' }]);
    const big = await signedIn('big');
    expect(big.session.withinSize(LIMITS.frameMaxBytes)).toBe(true);
    expect(big.session.withinSize(LIMITS.frameMaxBytes + 1)).toBe(false);
    expect(big.seen.closed).toMatchObject([{ code: 'PAYLOAD_TOO_LARGE' }]);
  });

  it('cuts a client whose unsent bytes pile up past the slow-consumer cap instead of buffering more', async () => {
    const { productId } = await room();
    let backlog = 0;
    const slow = await signedIn('slow', { bufferedBytes: () => backlog });
    const sender = await signedIn('sender');
    expect(await slow.ask({ type: 'subscribe', roomId: productId })).toMatchObject({ ok: true });
    await sender.ask({ type: 'send', roomId: productId, content: 'one', clientMsgId: 'x-1' });
    await waitFor(() => slow.seen.delivered.length === 1);
    backlog = core.realtime.slowConsumerBytes + 1;
    await sender.ask({ type: 'send', roomId: productId, content: 'two', clientMsgId: 'x-2' });
    await waitFor(() => slow.seen.cut === 1);
    expect(slow.seen.closed).toMatchObject([{ code: 'SLOW_CONSUMER' }]);
    expect(core.metrics.value('groupbuy_slow_consumer_cuts_total', { transport: 'in-process' })).toBe(1);
    expect(slow.seen.delivered).toHaveLength(1);
    expect(slow.session.closed).toBe(true);
    expect(core.hub.viewers(productId)).toEqual([]);
  });

  it('lets go of its subscriptions and its hub registration when disposed', async () => {
    const { productId } = await room();
    const before = core.hub.connectionCount;
    const viewer = await signedIn('leaver');
    expect(core.hub.connectionCount).toBe(before + 1);
    await viewer.ask({ type: 'subscribe', roomId: productId });
    expect(core.hub.viewers(productId).map((v) => v.userId)).toEqual(['leaver']);
    viewer.session.dispose();
    expect(core.hub.connectionCount).toBe(before);
    expect(core.hub.viewers(productId)).toEqual([]);
    expect(viewer.seen.closed).toEqual([]);
  });

  it('is ended by the hub when the token expires, with UNAUTHENTICATED', async () => {
    const c = client();
    await c.session.authenticate(await tokenFor('brief', { ttlSeconds: 1 }));
    await waitFor(() => c.seen.closed.length === 1, 5_000, 'the hub to end the expired session');
    expect(c.seen.closed[0]).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
