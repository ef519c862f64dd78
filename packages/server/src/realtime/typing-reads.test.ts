// Issue 12 against a listening server: typing relayed over STOMP, Socket.IO, the plain WebSocket and REST
// (never back to the typist's own connections, extras within the throttle dropped), across two instances
// through Redis; read positions over REST with unreadCount in GET room and the subscribe ack, and the
// `read` event on the reader's other connections only.
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomTypingDestination, type Ack, type Room, type Viewer } from '@groupbuy/protocol';
import { api, connectStomp, createRoom, openRaw, startTestServer, tokenFor, waitFor, type TestServer } from '../test-support/harness.js';
import { twoInstances } from '../test-support/instances.js';

function connectIo(server: TestServer, token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(server.url, { path: '/socket.io', auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    socket.on('connect', () => resolve(socket));
    socket.on('connect_error', reject);
  });
}

const chatPath = (id: string, token: string) => `/chat/${id}?token=${encodeURIComponent(token)}&ready=1`;

describe('typing and read positions on one instance', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('STOMP: typing reaches others once per throttle window, never the typist’s own connections', async () => {
    const room = await createRoom(server);
    const a = await connectStomp(server, await tokenFor('st-a', { name: '민지' }));
    const a2 = await connectStomp(server, await tokenFor('st-a', { name: '민지' }));
    const b = await connectStomp(server, await tokenFor('st-b'));
    for (const p of [a, a2, b]) await p.subscribe(room.productId);
    // Two typing frames inside one window, then a chat message: frames of one connection run in order, so
    // when the message reaches b, both typing frames were handled.
    a.client.publish({ destination: roomTypingDestination(room.productId), body: '' });
    a.client.publish({ destination: roomTypingDestination(room.productId), body: '' });
    await a.send(room.productId, { content: 'hi', clientMsgId: 'c1' });
    await waitFor(() => b.messages.get(room.productId)?.some((m) => m.content === 'hi'));
    await waitFor(() => a2.messages.get(room.productId)?.some((m) => m.content === 'hi'));
    const typing = b.control.filter((c) => c.kind === 'typing');
    expect(typing).toEqual([{ kind: 'typing', body: { roomId: room.productId, user: { userId: 'st-a', name: '민지' } } }]);
    expect(a.control.filter((c) => c.kind === 'typing')).toEqual([]);
    expect(a2.control.filter((c) => c.kind === 'typing')).toEqual([]);
    for (const p of [a, a2, b]) await p.close();
  });

  it('STOMP: typing in a room that does not exist is refused on the errors queue', async () => {
    const a = await connectStomp(server, await tokenFor('st-c'));
    a.client.publish({ destination: roomTypingDestination('no-such-room'), body: '' });
    await waitFor(() => a.errors.length > 0 || a.stompErrors.length > 0);
    expect(a.errors[0]?.body.error.code).toBe('ROOM_NOT_FOUND');
    expect(a.closed()).toBe(false);
    await a.close();
  });

  it('Socket.IO: typing reaches the other user as a typing event', async () => {
    const room = await createRoom(server);
    const a = await connectIo(server, await tokenFor('io-a', { name: 'Minji' }));
    const b = await connectIo(server, await tokenFor('io-b'));
    const seenByA: unknown[] = [];
    const seenByB: { roomId: string; user: Viewer }[] = [];
    a.on('typing', (e: unknown) => seenByA.push(e));
    b.on('typing', (e: { roomId: string; user: Viewer }) => seenByB.push(e));
    for (const s of [a, b])
      expect(await (s.emitWithAck('subscribe', { roomId: room.productId }) as Promise<Ack>)).toMatchObject({ ok: true });
    expect(await (a.emitWithAck('typing', { roomId: room.productId }) as Promise<Ack>)).toEqual({ ok: true });
    await waitFor(() => seenByB.length === 1);
    expect(seenByB[0]).toEqual({ roomId: room.productId, user: { userId: 'io-a', name: 'Minji' } });
    expect(seenByA).toEqual([]);
    a.disconnect();
    b.disconnect();
  });

  it('plain WebSocket: {type:"TYPING"} reaches the other socket as a TYPING frame', async () => {
    const room = await createRoom(server);
    const a = await openRaw(server, chatPath(room.productId, await tokenFor('ws-a')));
    const b = await openRaw(server, chatPath(room.productId, await tokenFor('ws-b')));
    await waitFor(() => a.frames.some((f) => f.type === 'READY') && b.frames.some((f) => f.type === 'READY'));
    a.ws.send(JSON.stringify({ type: 'TYPING' }));
    await waitFor(() => b.frames.some((f) => f.type === 'TYPING'));
    expect(b.frames.find((f) => f.type === 'TYPING')).toEqual({
      type: 'TYPING',
      roomId: room.productId,
      user: { userId: 'ws-a', name: 'User ws-a' },
    });
    a.ws.send(JSON.stringify({ content: 'after typing' }));
    await waitFor(() => a.frames.some((f) => f.content === 'after typing'));
    expect(a.frames.filter((f) => f.type === 'TYPING')).toEqual([]);
    a.ws.close();
    b.ws.close();
  });

  it('REST: POST typing (for SSE clients) reaches socket subscribers; the trade service may not type', async () => {
    const room = await createRoom(server);
    const b = await connectStomp(server, await tokenFor('rt-b'));
    await b.subscribe(room.productId);
    const res = await api(server, 'POST', `/api/chat/rooms/${room.productId}/typing`, { token: await tokenFor('rt-a') });
    expect(res.status).toBe(204);
    await waitFor(() => b.control.some((c) => c.kind === 'typing'));
    expect(b.control.find((c) => c.kind === 'typing')?.body.user.userId).toBe('rt-a');
    const service = await api(server, 'POST', `/api/chat/rooms/${room.productId}/typing`, {
      token: await tokenFor('trade-service', { role: 'service' }),
    });
    expect(service.status).toBe(403);
    expect(service.body.error.code).toBe('FORBIDDEN');
    await b.close();
  });

  it('read positions: unreadCount in GET room and the subscribe ack, forward only, read events to the reader’s other connections', async () => {
    const room = await createRoom(server);
    const readerToken = await tokenFor('rd-a');
    const writer = await connectStomp(server, await tokenFor('rd-b'));
    const other = await connectStomp(server, await tokenFor('rd-c'));
    const readerTab = await connectStomp(server, readerToken);
    for (const p of [writer, other, readerTab]) await p.subscribe(room.productId);
    for (let i = 1; i <= 3; i++) await writer.send(room.productId, { content: `m${i}`, clientMsgId: `w${i}` });
    const mine = await connectIo(server, readerToken);
    const ack = (await mine.emitWithAck('subscribe', { roomId: room.productId })) as Ack;
    expect(ack.ok && ack.room?.unreadCount).toBe(3);
    const get = async () => (await api(server, 'GET', `/api/chat/rooms/${room.productId}`, { token: readerToken })).body as Room;
    expect((await get()).unreadCount).toBe(3);
    // Signed out: the public snapshot has no unreadCount.
    expect(((await api(server, 'GET', `/api/chat/rooms/${room.productId}`)).body as Room).unreadCount).toBeUndefined();

    const reads: { roomId: string; seq: number }[] = [];
    mine.on('read', (e: { roomId: string; seq: number }) => reads.push(e));
    const read = await api(server, 'POST', `/api/chat/rooms/${room.productId}/read`, { token: readerToken, body: { seq: 2 } });
    expect(read).toMatchObject({ status: 200, body: { seq: 2, unreadCount: 1 } });
    expect((await get()).unreadCount).toBe(1);
    await waitFor(() => reads.length === 1 && readerTab.control.some((c) => c.kind === 'read'));
    expect(reads[0]).toEqual({ roomId: room.productId, seq: 2 });
    expect(readerTab.control.find((c) => c.kind === 'read')?.body).toEqual({ roomId: room.productId, seq: 2 });

    // Back or the same: nothing moves, nothing is pushed.
    expect((await api(server, 'POST', `/api/chat/rooms/${room.productId}/read`, { token: readerToken, body: { seq: 1 } })).body).toEqual({
      seq: 2,
      unreadCount: 1,
    });
    // The reader's own message does not count; a barrier message then shows no second read event arrived.
    await readerTab.send(room.productId, { content: 'mine', clientMsgId: 'r1' });
    expect((await get()).unreadCount).toBe(1);
    await api(server, 'POST', `/api/chat/rooms/${room.productId}/read`, { token: readerToken, body: { seq: 4 } });
    await waitFor(() => reads.length === 2);
    expect(reads.map((r) => r.seq)).toEqual([2, 4]);
    expect((await get()).unreadCount).toBe(0);
    expect(writer.control.filter((c) => c.kind === 'read')).toEqual([]);
    expect(other.control.filter((c) => c.kind === 'read')).toEqual([]);
    mine.disconnect();
    for (const p of [writer, other, readerTab]) await p.close();
  });

  it('read: bad input is INVALID_INPUT, an unknown room ROOM_NOT_FOUND, no token UNAUTHENTICATED', async () => {
    const room = await createRoom(server);
    const token = await tokenFor('rd-x');
    for (const body of [{}, { seq: -1 }, { seq: 'x' }, { seq: 1.5 }]) {
      const res = await api(server, 'POST', `/api/chat/rooms/${room.productId}/read`, { token, body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_INPUT');
    }
    expect((await api(server, 'POST', '/api/chat/rooms/nope/read', { token, body: { seq: 1 } })).body.error.code).toBe('ROOM_NOT_FOUND');
    expect((await api(server, 'POST', `/api/chat/rooms/${room.productId}/read`, { body: { seq: 1 } })).status).toBe(401);
  });
});

describe('typing across two instances (Redis bus, PostgreSQL)', () => {
  let one: TestServer;
  let two: TestServer;
  const pair = twoInstances('typing');
  beforeAll(() => {
    ({ one, two } = pair);
  });

  it('a typist on one instance reaches a subscriber on the other; the read event reaches the reader’s tab there', async () => {
    const room = await createRoom(one);
    const a = await connectStomp(one, await tokenFor('x-a'));
    const b = await connectIo(two, await tokenFor('x-b'));
    const typing: { user: Viewer }[] = [];
    const reads: { seq: number }[] = [];
    b.on('typing', (e: { user: Viewer }) => typing.push(e));
    b.on('read', (e: { seq: number }) => reads.push(e));
    await a.subscribe(room.productId);
    await b.emitWithAck('subscribe', { roomId: room.productId });
    // The bus follows a room once its SUBSCRIBE is confirmed: a message published after both subscribed
    // that reaches the other side shows the channel carries traffic.
    await a.send(room.productId, { content: 'ping', clientMsgId: 'p1' });
    const got: unknown[] = [];
    b.on('message', (m: unknown) => got.push(m));
    await waitFor(async () => {
      a.client.publish({ destination: roomTypingDestination(room.productId), body: '' });
      return typing.length > 0;
    });
    expect(typing[0]?.user).toEqual({ userId: 'x-a', name: 'User x-a' });
    await api(one, 'POST', `/api/chat/rooms/${room.productId}/read`, { token: await tokenFor('x-b'), body: { seq: 1 } });
    await waitFor(() => reads.length === 1);
    expect(reads[0]?.seq).toBe(1);
    b.disconnect();
    await a.close();
  });
});
