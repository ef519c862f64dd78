import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type { Ack, ChatMessage, ErrorCode } from '@groupbuy/protocol';
import { api, connectStomp, createRoom, startTestServer, tokenFor, waitFor, type TestServer } from '../test-support/harness.js';

// Moderation (issue 11) against a listening server with a real SQLite file: REST routes, and the refusals of
// the shared send path over STOMP and Socket.IO.

const ROOMS = '/api/chat/rooms';
let server: TestServer;
let service: string;
let seller: string;

beforeAll(async () => {
  server = await startTestServer();
  service = await tokenFor('trade-service', { role: 'service' });
  seller = await tokenFor('seller-1');
});
afterAll(async () => {
  await server.dispose();
});

function connectIo(token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(server.url, { path: '/socket.io', auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    socket.on('connect', () => resolve(socket));
    socket.on('connect_error', (err) => reject(err));
  });
}
const emit = (socket: Socket, event: string, payload: unknown) => socket.emitWithAck(event, payload) as Promise<Ack>;

function expectError(res: { status: number; body: any }, status: number, code: ErrorCode): void {
  expect(res.status).toBe(status);
  expect(res.body).toMatchObject({ error: { code, message: expect.stringMatching(/\S/) } });
}

async function page(productId: string, token: string): Promise<ChatMessage[]> {
  return (await api(server, 'GET', `${ROOMS}/${productId}/messages?limit=100`, { token })).body.messages as ChatMessage[];
}

describe('DELETE /rooms/{id}/messages/{seq}', () => {
  it('leaves a tombstone in history and a MESSAGE_DELETED event that live subscribers receive', async () => {
    const room = await createRoom(server, { hostId: 'seller-1' });
    const alice = await connectStomp(server, await tokenFor('alice'));
    const bob = await connectStomp(server, await tokenFor('bob'));
    try {
      await alice.subscribe(room.productId);
      await bob.subscribe(room.productId);
      expect((await alice.send(room.productId, { content: 'call me at my number', clientMsgId: 'd-1' })).ok).toBe(true);
      const [sent] = await page(room.productId, seller);

      const res = await api(server, 'DELETE', `${ROOMS}/${room.productId}/messages/${sent?.seq}`, { token: await tokenFor('alice') });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ seq: sent?.seq, content: '', deleted: true, sender: { userId: 'alice' } });

      const event = await waitFor(
        () => bob.messages.get(room.productId)?.find((m) => m.event?.type === 'MESSAGE_DELETED'),
        10_000,
        'MESSAGE_DELETED',
      );
      expect(event.event).toEqual({ type: 'MESSAGE_DELETED', targetSeq: sent?.seq });
      const history = await page(room.productId, seller);
      expect(history[0]).toMatchObject({ seq: sent?.seq, content: '', deleted: true });
      expect(JSON.stringify(history)).not.toContain('my number');
    } finally {
      await alice.close();
      await bob.close();
    }
  });

  it("refuses someone else's message (FORBIDDEN), a missing seq (NOT_FOUND), a bad seq (INVALID_INPUT), no token (UNAUTHENTICATED); the seller deletes anything", async () => {
    const room = await createRoom(server, { hostId: 'seller-1' });
    const alice = await connectStomp(server, await tokenFor('alice'));
    try {
      await alice.send(room.productId, { content: 'hello', clientMsgId: 'd-2' });
    } finally {
      await alice.close();
    }
    const base = `${ROOMS}/${room.productId}/messages`;
    expectError(await api(server, 'DELETE', `${base}/1`, { token: await tokenFor('mallory') }), 403, 'FORBIDDEN');
    expectError(await api(server, 'DELETE', `${base}/99`, { token: seller }), 404, 'NOT_FOUND');
    expectError(await api(server, 'DELETE', `${base}/abc`, { token: seller }), 400, 'INVALID_INPUT');
    expectError(await api(server, 'DELETE', `${base}/1`), 401, 'UNAUTHENTICATED');
    expect((await api(server, 'DELETE', `${base}/1`, { token: seller })).status).toBe(200);
    // Deleting a tombstone again is a no-op: no second MESSAGE_DELETED.
    expect((await api(server, 'DELETE', `${base}/1`, { token: service })).status).toBe(200);
    expect((await page(room.productId, seller)).filter((m) => m.event?.type === 'MESSAGE_DELETED')).toHaveLength(1);
  });
});

describe('mutes', () => {
  it('a muted user is refused with MUTED and retryAfterMs over STOMP and Socket.IO until the mute is lifted', async () => {
    const room = await createRoom(server, { hostId: 'seller-1' });
    const carol = await tokenFor('carol');
    const stomp = await connectStomp(server, carol);
    const sio = await connectIo(carol);
    try {
      expectError(
        await api(server, 'POST', `${ROOMS}/${room.productId}/mutes`, { token: carol, body: { userId: 'dave', durationMs: 60_000 } }),
        403,
        'FORBIDDEN',
      );
      const muted = await api(server, 'POST', `${ROOMS}/${room.productId}/mutes`, {
        token: seller,
        body: { userId: 'carol', durationMs: 60_000 },
      });
      expect(muted.status).toBe(201);
      expect(muted.body).toEqual({ userId: 'carol', until: expect.any(String) });
      expectError(
        await api(server, 'POST', `${ROOMS}/${room.productId}/mutes`, { token: seller, body: { userId: 'carol', durationMs: 10 } }),
        400,
        'INVALID_INPUT',
      );

      const overStomp = await stomp.send(room.productId, { content: 'let me talk', clientMsgId: 'm-1' });
      expect(overStomp.ok).toBe(false);
      expect(overStomp.error).toMatchObject({ code: 'MUTED', retryAfterMs: expect.any(Number) });
      expect(overStomp.error.retryAfterMs).toBeGreaterThan(0);
      expect(overStomp.error.retryAfterMs).toBeLessThanOrEqual(60_000);
      const overIo = await emit(sio, 'send', { roomId: room.productId, content: 'let me talk', clientMsgId: 'm-2' });
      expect(overIo).toMatchObject({ ok: false, error: { code: 'MUTED', retryAfterMs: expect.any(Number) } });
      // Others are not affected.
      const erin = await connectStomp(server, await tokenFor('erin'));
      try {
        expect((await erin.send(room.productId, { content: 'hi', clientMsgId: 'm-3' })).ok).toBe(true);
      } finally {
        await erin.close();
      }

      expect((await api(server, 'DELETE', `${ROOMS}/${room.productId}/mutes/carol`, { token: seller })).status).toBe(204);
      expect(await emit(sio, 'send', { roomId: room.productId, content: 'thanks', clientMsgId: 'm-4' })).toMatchObject({ ok: true });
    } finally {
      await stomp.close();
      sio.close();
    }
  });
});

describe('reports', () => {
  it('a reader reports a message; only the seller and the service list reports', async () => {
    const room = await createRoom(server, { hostId: 'seller-1' });
    const frank = await connectStomp(server, await tokenFor('frank'));
    try {
      await frank.send(room.productId, { content: 'buy my other stuff', clientMsgId: 'r-1' });
    } finally {
      await frank.close();
    }
    const gina = await tokenFor('gina');
    const made = await api(server, 'POST', `${ROOMS}/${room.productId}/messages/1/reports`, { token: gina, body: { reason: 'spam' } });
    expect(made.status).toBe(201);
    expect(made.body).toEqual({ seq: 1, reporterId: 'gina', reason: 'spam', createdAt: expect.any(String) });
    expectError(
      await api(server, 'POST', `${ROOMS}/${room.productId}/messages/1/reports`, { token: gina, body: { reason: '' } }),
      400,
      'INVALID_INPUT',
    );
    expectError(
      await api(server, 'POST', `${ROOMS}/${room.productId}/messages/7/reports`, { token: gina, body: { reason: 'x' } }),
      404,
      'NOT_FOUND',
    );
    expectError(await api(server, 'GET', `${ROOMS}/${room.productId}/reports`, { token: gina }), 403, 'FORBIDDEN');
    const list = await api(server, 'GET', `${ROOMS}/${room.productId}/reports`, { token: service });
    expect(list.body).toEqual({ reports: [made.body] });
  });
});

describe('slow mode', () => {
  it('is set on the room with SLOW_MODE_CHANGED; a second CHAT inside the cooldown is RATE_LIMITED; the seller is exempt', async () => {
    const room = await createRoom(server, { hostId: 'seller-1' });
    const hank = await connectIo(await tokenFor('hank'));
    const host = await connectIo(seller);
    try {
      expectError(
        await api(server, 'PUT', `${ROOMS}/${room.productId}/slow-mode`, { token: await tokenFor('hank'), body: { slowModeMs: 30_000 } }),
        403,
        'FORBIDDEN',
      );
      expectError(
        await api(server, 'PUT', `${ROOMS}/${room.productId}/slow-mode`, { token: seller, body: { slowModeMs: 3_600_000 } }),
        400,
        'INVALID_INPUT',
      );
      const set = await api(server, 'PUT', `${ROOMS}/${room.productId}/slow-mode`, { token: seller, body: { slowModeMs: 30_000 } });
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({ productId: room.productId, slowModeMs: 30_000 });
      expect((await api(server, 'GET', `${ROOMS}/${room.productId}`)).body.slowModeMs).toBe(30_000);

      expect(await emit(hank, 'send', { roomId: room.productId, content: 'first', clientMsgId: 's-1' })).toMatchObject({ ok: true });
      const second = await emit(hank, 'send', { roomId: room.productId, content: 'second', clientMsgId: 's-2' });
      expect(second).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', retryAfterMs: expect.any(Number) } });
      // A retry of the stored message is not a new message: it is answered, not refused.
      expect(await emit(host, 'send', { roomId: room.productId, content: 'one', clientMsgId: 's-3' })).toMatchObject({ ok: true });
      expect(await emit(host, 'send', { roomId: room.productId, content: 'two', clientMsgId: 's-4' })).toMatchObject({ ok: true });

      expect((await api(server, 'PUT', `${ROOMS}/${room.productId}/slow-mode`, { token: service, body: { slowModeMs: 0 } })).status).toBe(
        200,
      );
      expect(await emit(hank, 'send', { roomId: room.productId, content: 'again', clientMsgId: 's-5' })).toMatchObject({ ok: true });
      const events = (await page(room.productId, seller)).filter((m) => m.event?.type === 'SLOW_MODE_CHANGED').map((m) => m.event);
      expect(events).toEqual([
        { type: 'SLOW_MODE_CHANGED', slowModeMs: 30_000 },
        { type: 'SLOW_MODE_CHANGED', slowModeMs: 0 },
      ]);
    } finally {
      hank.close();
      host.close();
    }
  });
});

describe('pinned notice', () => {
  it('pins a NOTIFICATION (the public snapshot shows it), refuses a CHAT, unpins', async () => {
    const room = await createRoom(server, { hostId: 'seller-1' });
    const notice = await api(server, 'POST', `${ROOMS}/${room.productId}/notifications`, {
      token: seller,
      body: { content: 'Ships Friday' },
    });
    expect(notice.status).toBe(201);
    const ivan = await connectStomp(server, await tokenFor('ivan'));
    try {
      await ivan.send(room.productId, { content: 'chat', clientMsgId: 'p-1' });
    } finally {
      await ivan.close();
    }
    const base = `${ROOMS}/${room.productId}/pin`;
    expectError(await api(server, 'PUT', base, { token: seller, body: { seq: 2 } }), 400, 'INVALID_INPUT');
    expectError(await api(server, 'PUT', base, { token: await tokenFor('ivan'), body: { seq: 1 } }), 403, 'FORBIDDEN');
    const pinned = await api(server, 'PUT', base, { token: seller, body: { seq: notice.body.seq } });
    expect(pinned.status).toBe(200);
    expect(pinned.body.pinned).toEqual(notice.body);
    // Signed-out visitors see it in the public snapshot.
    expect((await api(server, 'GET', `${ROOMS}/${room.productId}`)).body.pinned).toEqual(notice.body);
    const unpinned = await api(server, 'DELETE', base, { token: service });
    expect(unpinned.body.pinned).toBeNull();
    const events = (await page(room.productId, seller)).filter((m) => m.type === 'SYSTEM').map((m) => m.event?.type);
    expect(events).toEqual(['PINNED', 'UNPINNED']);
  });
});

describe('auto slow mode (SLOW_MODE_AUTO)', () => {
  it('turns on by itself when a room near its deadline gets more than perMinute CHAT messages in a minute', async () => {
    const busy = await startTestServer({ slowModeAuto: { windowMs: 600_000, perMinute: 3, slowModeMs: 5000 } });
    try {
      const room = await createRoom(busy, { hostId: 'seller-1', expiresInMs: 300_000 });
      for (const name of ['u1', 'u2', 'u3', 'u4']) {
        const peer = await connectStomp(busy, await tokenFor(name));
        try {
          expect((await peer.send(room.productId, { content: `hi from ${name}`, clientMsgId: `a-${name}` })).ok).toBe(true);
        } finally {
          await peer.close();
        }
      }
      const after = await api(busy, 'GET', `${ROOMS}/${room.productId}`);
      expect(after.body.slowModeMs).toBe(5000);
      const history = await api(busy, 'GET', `${ROOMS}/${room.productId}/messages`, { token: seller });
      const events = (history.body.messages as ChatMessage[]).filter((m) => m.type === 'SYSTEM').map((m) => m.event);
      expect(events).toEqual([{ type: 'SLOW_MODE_CHANGED', slowModeMs: 5000, auto: true }]);
    } finally {
      await busy.dispose();
    }
  });
});
