import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type { Ack, ChatMessage } from '@groupbuy/protocol';
import { api, createRoom, startTestServer, tokenFor, waitFor, type TestServer } from '../test-support/harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.dispose();
});

function connect(token: string | undefined, target: TestServer = server): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(target.url, {
      path: '/socket.io',
      auth: token ? { token } : {},
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    socket.on('connect', () => resolve(socket));
    socket.on('connect_error', (err) => reject(err));
  });
}

const emit = (socket: Socket, event: string, payload: unknown) => socket.emitWithAck(event, payload) as Promise<Ack>;

describe('Socket.IO endpoint', () => {
  it('subscribes with an ack carrying the room and sends with an ack carrying the stored message', async () => {
    const room = await createRoom(server);
    const a = await connect(await tokenFor('sa'));
    const b = await connect(await tokenFor('sb'));
    const got: ChatMessage[] = [];
    b.on('message', (m: ChatMessage) => got.push(m));
    expect(await emit(a, 'subscribe', { roomId: room.productId })).toMatchObject({ ok: true, room: { productId: room.productId } });
    expect(await emit(b, 'subscribe', { roomId: room.productId })).toMatchObject({ ok: true });
    const ack = await emit(a, 'send', { roomId: room.productId, content: '몇 개 남았나요?', clientMsgId: 'io-1' });
    expect(ack).toMatchObject({ ok: true, message: { seq: 1, content: '몇 개 남았나요?', clientMsgId: 'io-1' } });
    await waitFor(() => got.length === 1);
    expect(got[0]!.seq).toBe(1);
    a.disconnect();
    b.disconnect();
  });

  it('answers errors as acks with protocol codes and keeps the socket', async () => {
    const room = await createRoom(server);
    const s = await connect(await tokenFor('sc'));
    expect(await emit(s, 'subscribe', { roomId: 'missing' })).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_FOUND' } });
    expect(await emit(s, 'subscribe', { roomId: 'bad id!' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await emit(s, 'send', { roomId: room.productId, content: '' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await emit(s, 'send', 'nonsense')).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(s.connected).toBe(true);
    s.disconnect();
  });

  it('refuses a connection without a valid token with UNAUTHENTICATED in connect_error', async () => {
    const err = (await connect('garbage').catch((e: unknown) => e)) as { data?: unknown };
    expect(err.data).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
  });

  it('replays since sinceSeq before the subscribe ack and dedups a retried send', async () => {
    const room = await createRoom(server);
    const w = await connect(await tokenFor('sd'));
    for (let i = 1; i <= 4; i++) await emit(w, 'send', { roomId: room.productId, content: `m${i}`, clientMsgId: `c${i}` });
    const again = await emit(w, 'send', { roomId: room.productId, content: 'm4', clientMsgId: 'c4' });
    expect(again).toMatchObject({ ok: true, message: { seq: 4 } });
    const r = await connect(await tokenFor('se'));
    const got: number[] = [];
    r.on('message', (m: ChatMessage) => got.push(m.seq));
    await emit(r, 'subscribe', { roomId: room.productId, sinceSeq: 2 });
    expect(got).toEqual([3, 4]);
    const page = await api(server, 'GET', `/api/chat/rooms/${room.productId}/messages`, { token: await tokenFor('sf') });
    expect(page.body.messages).toHaveLength(4);
    w.disconnect();
    r.disconnect();
  });

  it('ends a watcher with subscription-ended when the deal closes, and keeps the socket', async () => {
    const room = await createRoom(server, { maxParticipants: 2 });
    const watcher = await connect(await tokenFor('swatch'));
    const ended: unknown[] = [];
    watcher.on('subscription-ended', (body: unknown) => ended.push(body));
    expect(await emit(watcher, 'subscribe', { roomId: room.productId })).toMatchObject({ ok: true });
    for (const u of ['sb1', 'sb2'])
      await api(server, 'POST', `/api/chat/rooms/${room.productId}/participants`, { token: await tokenFor(u) });
    await waitFor(() => ended.length === 1);
    expect(ended[0]).toEqual({ roomId: room.productId, error: { code: 'FORBIDDEN', message: expect.any(String) } });
    expect(watcher.connected).toBe(true);
    watcher.disconnect();
  });

  it('says chat-error UNAUTHENTICATED and disconnects when the token expires while connected', async () => {
    // Whole-second `exp` (floored): 3 s leaves at least 2 for the handshake on a busy machine (see stomp.test.ts).
    const s = await connect(await tokenFor('sbrief', { ttlSeconds: 3 }));
    const errors: unknown[] = [];
    s.on('chat-error', (body: unknown) => errors.push(body));
    await waitFor(() => s.disconnected, 10_000, 'the server to end the expired socket');
    expect(errors).toEqual([{ error: { code: 'UNAUTHENTICATED', message: expect.any(String) } }]);
  });

  it('says chat-error UNAVAILABLE with retryAfterMs 0 (reconnect now) and disconnects when the server shuts down', async () => {
    const own = await startTestServer();
    const s = await connect(await tokenFor('srestart'), own);
    const errors: unknown[] = [];
    s.on('chat-error', (body: unknown) => errors.push(body));
    await own.dispose();
    await waitFor(() => s.disconnected, 5_000, 'the server to end the socket');
    expect(errors).toEqual([{ error: { code: 'UNAVAILABLE', message: expect.any(String), retryAfterMs: 0 } }]);
  });
});
