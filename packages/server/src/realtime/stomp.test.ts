import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '@groupbuy/protocol';
import { api, connectStomp, createRoom, openRaw, startTestServer, tokenFor, waitFor, type TestServer } from '../test-support/harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ heartbeatMs: 300 });
});
afterAll(async () => {
  await server.dispose();
});

/** A raw STOMP frame (NUL-terminated). */
function frame(command: string, headers: Record<string, string>, body = ''): string {
  return `${command}\n${Object.entries(headers)
    .map(([k, v]) => `${k}:${v}`)
    .join('\n')}\n\n${body}\u0000`;
}

describe('STOMP 1.2 on /ws', () => {
  it('runs the seed flow: CONNECT, SUBSCRIBE /topic/chat/{id}, SEND /app/chat/{id}, messages both ways', async () => {
    const room = await createRoom(server);
    const alice = await connectStomp(server, await tokenFor('alice'));
    const bob = await connectStomp(server, await tokenFor('bob'));
    await alice.subscribe(room.productId);
    await bob.subscribe(room.productId);
    expect(await alice.send(room.productId, { content: '안녕하세요! 배송은 언제인가요?', clientMsgId: 'a-1' })).toEqual({ ok: true });
    expect(await bob.send(room.productId, { content: 'Tomorrow 🍊', timestamp: Date.now() })).toEqual({ ok: true });
    for (const peer of [alice, bob]) {
      const got = await waitFor(() => (peer.messages.get(room.productId)?.length === 2 ? peer.messages.get(room.productId) : null));
      expect(got.map((m) => [m.seq, m.sender?.userId, m.content])).toEqual([
        [1, 'alice', '안녕하세요! 배송은 언제인가요?'],
        [2, 'bob', 'Tomorrow 🍊'],
      ]);
    }
    expect(alice.messages.get(room.productId)![0]!.clientMsgId).toBe('a-1');
    await alice.close();
    await bob.close();
  });

  it('answers CONNECT with version 1.2 and a heart-beat, and selects the v12.stomp subprotocol', async () => {
    const peer = await openRaw(server, '/ws', ['v12.stomp']);
    expect(peer.ws.protocol).toBe('v12.stomp');
    peer.ws.send(frame('CONNECT', { 'accept-version': '1.2', host: 'x', passcode: await tokenFor('carol'), 'heart-beat': '0,0' }));
    const connected = await waitFor(() => peer.frames.find((f) => typeof f === 'string' && f.startsWith('CONNECTED')));
    expect(connected).toContain('version:1.2');
    expect(connected).toMatch(/heart-beat:\d+,\d+/);
    peer.ws.close();
  });

  it('accepts the token in passcode', async () => {
    const peer = await connectStomp(server, null, { connectHeaders: { login: 'x', passcode: await tokenFor('dave') } });
    expect(peer.client.connected).toBe(true);
    await peer.close();
  });

  it('refuses a CONNECT without a token with an ERROR frame and closes', async () => {
    await expect(connectStomp(server, null)).rejects.toThrow('UNAUTHENTICATED');
  });

  it('refuses an expired token with an ERROR frame', async () => {
    const expired = await tokenFor('erin', { ttlSeconds: -10 });
    const err = (await connectStomp(server, expired).catch((e: unknown) => e)) as {
      frame: { headers: { message?: string }; body: string };
    };
    expect(err.frame.headers.message).toBe('UNAUTHENTICATED');
    expect(JSON.parse(err.frame.body).error.message).toMatch(/expired/);
  });

  it('closes a connection that sends SEND before CONNECT', async () => {
    const peer = await openRaw(server, '/ws', ['v12.stomp']);
    peer.ws.send(frame('SEND', { destination: '/app/chat/x' }, '{"content":"hi"}'));
    await waitFor(() => peer.closeCode() !== null);
    expect(peer.frames.some((f) => typeof f === 'string' && f.startsWith('ERROR') && f.includes('UNAUTHENTICATED'))).toBe(true);
  });

  it('answers a malformed frame with ERROR and closes it, while a second client in the room keeps working', async () => {
    const room = await createRoom(server);
    const good = await connectStomp(server, await tokenFor('good'));
    await good.subscribe(room.productId);
    const bad = await openRaw(server, '/ws', ['v12.stomp']);
    bad.ws.send(frame('CONNECT', { 'accept-version': '1.2', host: 'x', passcode: await tokenFor('bad') }));
    await waitFor(() => bad.frames.find((f) => typeof f === 'string' && f.startsWith('CONNECTED')));
    bad.ws.send('HELLO-NOT-STOMP\nfoo:bar\n\nbody\u0000');
    await waitFor(() => bad.closeCode() !== null);
    const error = bad.frames.find((f) => typeof f === 'string' && f.startsWith('ERROR'));
    expect(error).toContain('message:INVALID_INPUT');
    expect(bad.closeCode()).toBe(1002);
    expect(await good.send(room.productId, { content: 'still here' })).toEqual({ ok: true });
    await waitFor(() => good.messages.get(room.productId)?.some((m) => m.content === 'still here'));
    await good.close();
  });

  it('closes a connection whose frame is larger than the limit with PAYLOAD_TOO_LARGE', async () => {
    const peer = await openRaw(server, '/ws', ['v12.stomp']);
    peer.ws.send(frame('CONNECT', { 'accept-version': '1.2', host: 'x', passcode: await tokenFor('big') }));
    await waitFor(() => peer.frames.find((f) => typeof f === 'string' && f.startsWith('CONNECTED')));
    peer.ws.send(frame('SEND', { destination: '/app/chat/x' }, 'x'.repeat(LIMITS.frameMaxBytes + 10)));
    await waitFor(() => peer.closeCode() !== null);
    expect(peer.frames.find((f) => typeof f === 'string' && f.startsWith('ERROR'))).toContain('PAYLOAD_TOO_LARGE');
    expect(peer.closeCode()).toBe(1009);
  });

  it('says UNAVAILABLE with the x-reconnect:now hint in an ERROR frame and closes with 1012 (service restart) when the server shuts down', async () => {
    const own = await startTestServer();
    const peer = await openRaw(own, '/ws', ['v12.stomp']);
    peer.ws.send(frame('CONNECT', { 'accept-version': '1.2', host: 'x', passcode: await tokenFor('stayer') }));
    await waitFor(() => peer.frames.find((f) => typeof f === 'string' && f.startsWith('CONNECTED')));
    await own.dispose();
    await waitFor(() => peer.closeCode() !== null);
    const error = peer.frames.find((f) => typeof f === 'string' && f.startsWith('ERROR')) as string;
    expect(error).toContain('message:UNAVAILABLE');
    expect(error).toContain('x-reconnect:now');
    expect(error).toContain('"retryAfterMs":0');
    expect(peer.closeCode()).toBe(1012);
  });

  it('closes a silent connection that negotiated heart-beats', async () => {
    const peer = await openRaw(server, '/ws', ['v12.stomp']);
    peer.ws.send(frame('CONNECT', { 'accept-version': '1.2', host: 'x', passcode: await tokenFor('silent'), 'heart-beat': '300,0' }));
    await waitFor(() => peer.closeCode() !== null, 10_000, 'the server to close a silent connection');
    expect(peer.frames.find((f) => typeof f === 'string' && f.startsWith('ERROR'))).toContain('heart-beat');
  });

  it('reports refused SENDs on /user/queue/errors with the receipt-id and keeps the connection', async () => {
    const room = await createRoom(server);
    const peer = await connectStomp(server, await tokenFor('frank'));
    await peer.subscribe(room.productId);
    expect(await peer.send(room.productId, { content: '   ', clientMsgId: 'e-1' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await peer.send(room.productId, { content: 'x'.repeat(2001) })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await peer.send(room.productId, 'not json')).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await peer.send('no-such-room', { content: 'hi' })).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_FOUND' } });
    expect(peer.errors[0]!.body).toMatchObject({ clientMsgId: 'e-1', roomId: room.productId });
    expect(await peer.send(room.productId, { content: 'fine' })).toEqual({ ok: true });
    expect(peer.client.connected).toBe(true);
    await peer.close();
  });

  it('refuses a SUBSCRIBE to an unknown room or destination without closing', async () => {
    const peer = await connectStomp(server, await tokenFor('gina'));
    await expect(peer.subscribe('missing-room')).rejects.toMatchObject({ error: { code: 'ROOM_NOT_FOUND' } });
    expect(peer.client.connected).toBe(true);
    await peer.close();
  });

  it('rate-limits a sender with RATE_LIMITED after 10 messages in 10 s', async () => {
    const room = await createRoom(server);
    const peer = await connectStomp(server, await tokenFor('spammer'));
    const results = [];
    for (let i = 0; i < 12; i++) results.push(await peer.send(room.productId, { content: `msg ${i}` }));
    expect(results.slice(0, 10).every((r) => r.ok)).toBe(true);
    expect(results[10]).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(results[10]!.error.retryAfterMs).toBeGreaterThan(0);
    await peer.close();
  });

  it('disconnects a connection that floods frames with RATE_LIMITED, while others keep chatting', async () => {
    const room = await createRoom(server);
    const good = await connectStomp(server, await tokenFor('calm'));
    await good.subscribe(room.productId);
    const flood = await openRaw(server, '/ws', ['v12.stomp']);
    flood.ws.send(frame('CONNECT', { 'accept-version': '1.2', host: 'x', passcode: await tokenFor('flooder') }));
    await waitFor(() => flood.frames.find((f) => typeof f === 'string' && f.startsWith('CONNECTED')));
    const burst = Array.from({ length: 100 }, () => frame('SEND', { destination: `/app/chat/${room.productId}` }, '{"content":""}')).join(
      '',
    );
    for (let i = 0; i < 4; i++) flood.ws.send(burst);
    await waitFor(() => flood.closeCode() !== null);
    expect(flood.frames.find((f) => typeof f === 'string' && f.startsWith('ERROR'))).toContain('message:RATE_LIMITED');
    expect(await good.send(room.productId, { content: 'unaffected' })).toEqual({ ok: true });
    await good.close();
  });

  it('replays every message after since-seq before live ones, with no gap and no duplicate', async () => {
    const room = await createRoom(server);
    const writer = await connectStomp(server, await tokenFor('writer'));
    for (let i = 1; i <= 5; i++) await writer.send(room.productId, { content: `m${i}` });
    const reader = await connectStomp(server, await tokenFor('reader'));
    await reader.subscribe(room.productId, { 'since-seq': '2' });
    await writer.send(room.productId, { content: 'm6' });
    const got = await waitFor(() => (reader.messages.get(room.productId)?.length === 4 ? reader.messages.get(room.productId) : null));
    expect(got.map((m) => m.seq)).toEqual([3, 4, 5, 6]);
    await writer.close();
    await reader.close();
  });

  it('says replay-truncated when more than the replay window was missed', async () => {
    const room = await createRoom(server, { hostId: 'seller' });
    const seller = await tokenFor('seller');
    for (let i = 0; i < LIMITS.replayWindow + 5; i++) {
      await server.service.notify({ userId: 'seller', name: 'Seller', role: 'user', expiresAtMs: Date.now() + 60_000 }, room.productId, {
        content: `notice ${i}`,
      });
    }
    const reader = await connectStomp(server, seller);
    await reader.subscribe(room.productId, { 'since-seq': '1' });
    const truncated = await waitFor(() => reader.control.find((c) => c.kind === 'replay-truncated'));
    expect(truncated.body).toEqual({ roomId: room.productId, sinceSeq: 1, lastSeq: LIMITS.replayWindow + 5 });
    expect(reader.messages.get(room.productId) ?? []).toEqual([]);
    await reader.close();
  });

  it('stores a retried clientMsgId once and answers the retry with the stored message', async () => {
    const room = await createRoom(server);
    const peer = await connectStomp(server, await tokenFor('retry'));
    const other = await connectStomp(server, await tokenFor('other'));
    await peer.subscribe(room.productId);
    await other.subscribe(room.productId);
    await peer.send(room.productId, { content: 'once', clientMsgId: 'same-id' });
    await peer.send(room.productId, { content: 'once', clientMsgId: 'same-id' });
    await waitFor(() => peer.messages.get(room.productId)?.length === 2);
    expect(peer.messages.get(room.productId)!.map((m) => m.seq)).toEqual([1, 1]);
    const page = await api(server, 'GET', `/api/chat/rooms/${room.productId}/messages`, { token: await tokenFor('x') });
    expect(page.body.messages).toHaveLength(1);
    await other.send(room.productId, { content: 'after' });
    await waitFor(() => other.messages.get(room.productId)?.length === 2);
    expect(other.messages.get(room.productId)!.map((m) => m.content)).toEqual(['once', 'after']);
    await peer.close();
    await other.close();
  });

  it('ends watchers’ subscriptions after the closing SYSTEM message; buyers keep chatting', async () => {
    const room = await createRoom(server, { maxParticipants: 2 });
    const [buyer1, buyer2, watcherToken] = await Promise.all([tokenFor('b1'), tokenFor('b2'), tokenFor('watcher')]);
    const b1 = await connectStomp(server, buyer1);
    const watcher = await connectStomp(server, watcherToken);
    await b1.subscribe(room.productId);
    await watcher.subscribe(room.productId);
    await api(server, 'POST', `/api/chat/rooms/${room.productId}/participants`, { token: buyer1 });
    await api(server, 'POST', `/api/chat/rooms/${room.productId}/participants`, { token: buyer2 });
    const ended = await waitFor(() => watcher.errors.find((e) => e.headers['x-kind'] === 'subscription-ended'));
    expect(ended.body.error.code).toBe('FORBIDDEN');
    const seen = watcher.messages.get(room.productId)!;
    expect(seen.at(-1)).toMatchObject({
      type: 'SYSTEM',
      event: { type: 'CLOSED', reason: 'FILLED' },
      room: { status: 'CLOSED', participantCount: 2 },
    });
    expect(await b1.send(room.productId, { content: 'When do we pick up?' })).toEqual({ ok: true });
    expect(await watcher.send(room.productId, { content: 'me too?' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await expect(watcher.subscribe(room.productId)).rejects.toMatchObject({ error: { code: 'FORBIDDEN' } });
    await waitFor(() => b1.messages.get(room.productId)?.some((m) => m.content === 'When do we pick up?'));
    expect(watcher.messages.get(room.productId)!.some((m) => m.content === 'When do we pick up?')).toBe(false);
    await b1.close();
    await watcher.close();
  });

  it('refuses chat in a CANCELLED room with ROOM_NOT_ACTIVE', async () => {
    const room = await createRoom(server);
    const token = await tokenFor('hank');
    await api(server, 'POST', `/api/chat/rooms/${room.productId}/participants`, { token });
    await api(server, 'POST', `/api/chat/rooms/${room.productId}/cancel`, { token: await tokenFor('svc', { role: 'service' }) });
    const peer = await connectStomp(server, token);
    expect(await peer.send(room.productId, { content: 'hello?' })).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_ACTIVE' } });
    await peer.close();
  });

  it('closes the connection with UNAUTHENTICATED when the token expires while connected', async () => {
    // `exp` is in whole seconds (floored): a 1 s token can have only a few ms left by the time CONNECT is
    // read on a busy machine, and be refused there. 3 s leaves at least 2.
    const peer = await connectStomp(server, await tokenFor('short', { ttlSeconds: 3 }));
    await waitFor(() => peer.closed(), 10_000, 'the expired session to close');
    expect(peer.stompErrors.at(-1)?.headers['message']).toBe('UNAUTHENTICATED');
  });

  it('counts open connections in /metrics', async () => {
    const peer = await connectStomp(server, await tokenFor('metered'));
    const text = (await api(server, 'GET', '/metrics')).body as string;
    expect(text).toMatch(/groupbuy_connections\{transport="stomp"\} [1-9]/);
    await peer.close();
  });
});

describe('viewers', () => {
  it('lists who has the chat open, each user once, and drops them when they leave', async () => {
    const room = await createRoom(server);
    const [aToken, bToken] = await Promise.all([tokenFor('viewer-a', { name: '민지' }), tokenFor('viewer-b', { name: 'Alex' })]);
    const a = await connectStomp(server, aToken);
    const a2 = await connectStomp(server, aToken);
    const b = await connectStomp(server, bToken);
    for (const peer of [a, a2, b]) await peer.subscribe(room.productId);
    const list = await api(server, 'GET', `/api/chat/rooms/${room.productId}/viewers`, { token: aToken });
    expect(list.body).toEqual({
      count: 2,
      viewers: [
        { userId: 'viewer-a', name: '민지' },
        { userId: 'viewer-b', name: 'Alex' },
      ],
    });
    await b.close();
    await waitFor(
      async () => (await api(server, 'GET', `/api/chat/rooms/${room.productId}/viewers`, { token: aToken })).body.viewers.length === 1,
    );
    await a.close();
    await a2.close();
  });

  it('keeps the viewer list of a closed deal from outsiders', async () => {
    const room = await createRoom(server);
    await api(server, 'POST', `/api/chat/rooms/${room.productId}/close`, { token: await tokenFor('svc-v', { role: 'service' }) });
    const res = await api(server, 'GET', `/api/chat/rooms/${room.productId}/viewers`, { token: await tokenFor('outsider') });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });
});
