import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LIMITS } from '@groupbuy/protocol';
import { api, createRoom, openRaw, startTestServer, tokenFor, waitFor, type TestServer } from '../test-support/harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ allowedOrigins: ['https://shop.example'] });
});
afterAll(async () => {
  await server.dispose();
});

const chat = (id: string, token: string, extra = '') => `/chat/${id}?token=${encodeURIComponent(token)}${extra}`;

describe('plain WebSocket /chat/{productId}', () => {
  it("delivers Message JSON that the seed's React hook appends as-is, and takes { content, timestamp }", async () => {
    const room = await createRoom(server);
    const a = await openRaw(server, chat(room.productId, await tokenFor('wa')));
    const b = await openRaw(server, chat(room.productId, await tokenFor('wb')));
    await new Promise((r) => setTimeout(r, 50));
    a.ws.send(JSON.stringify({ content: '공구 참여합니다', timestamp: Date.now() }));
    b.ws.send(JSON.stringify({ content: 'me too', clientMsgId: 'b-1' }));
    for (const peer of [a, b]) {
      await waitFor(() => peer.frames.length === 2);
      expect(peer.frames.map((f) => [f.type, f.seq, f.content])).toEqual([
        ['CHAT', 1, '공구 참여합니다'],
        ['CHAT', 2, 'me too'],
      ]);
    }
    expect(b.frames[1].clientMsgId).toBe('b-1');
    a.ws.close();
    b.ws.close();
  });

  it('tells a socket to come back at once when the server shuts down: an ERROR object with retryAfterMs 0, then close 1012', async () => {
    const own = await startTestServer();
    const room = await createRoom(own);
    const peer = await openRaw(own, chat(room.productId, await tokenFor('restarting'), '&ready=1'));
    await waitFor(() => peer.frames.some((f) => f.type === 'READY'));
    await own.dispose();
    await waitFor(() => peer.closeCode() !== null);
    expect(peer.frames.at(-1)).toEqual({ type: 'ERROR', error: { code: 'UNAVAILABLE', message: expect.any(String), retryAfterMs: 0 } });
    expect(peer.closeCode()).toBe(1012);
  });

  it('answers bad input with an ERROR object carrying the clientMsgId and keeps the socket open', async () => {
    const room = await createRoom(server);
    const peer = await openRaw(server, chat(room.productId, await tokenFor('wc')));
    peer.ws.send(JSON.stringify({ content: '', clientMsgId: 'x-1' }));
    peer.ws.send('{not json');
    peer.ws.send(JSON.stringify({ content: 'y'.repeat(2001) }));
    await waitFor(() => peer.frames.length === 3);
    expect(peer.frames[0]).toEqual({ type: 'ERROR', error: { code: 'INVALID_INPUT', message: expect.any(String) }, clientMsgId: 'x-1' });
    expect(peer.frames.every((f) => f.type === 'ERROR' && f.error.code === 'INVALID_INPUT')).toBe(true);
    peer.ws.send(JSON.stringify({ content: 'ok now' }));
    await waitFor(() => peer.frames.some((f) => f.content === 'ok now'));
    expect(peer.closeCode()).toBeNull();
    peer.ws.close();
  });

  it('closes with 4401 and UNAUTHENTICATED for a bad token', async () => {
    const room = await createRoom(server);
    const peer = await openRaw(server, chat(room.productId, 'not-a-jwt'));
    await waitFor(() => peer.closeCode() !== null);
    expect(peer.closeCode()).toBe(4401);
    expect(peer.frames[0]).toMatchObject({ type: 'ERROR', error: { code: 'UNAUTHENTICATED' } });
  });

  it('closes with 4404 and ROOM_NOT_FOUND for an unknown room', async () => {
    const peer = await openRaw(server, chat('nope', await tokenFor('wd')));
    await waitFor(() => peer.closeCode() !== null);
    expect(peer.closeCode()).toBe(4404);
    expect(peer.frames[0]).toMatchObject({ type: 'ERROR', error: { code: 'ROOM_NOT_FOUND' } });
  });

  it('replays after sinceSeq and re-sends a retried clientMsgId only to its sender', async () => {
    const room = await createRoom(server);
    const writer = await openRaw(server, chat(room.productId, await tokenFor('we')));
    for (let i = 1; i <= 3; i++) writer.ws.send(JSON.stringify({ content: `m${i}` }));
    await waitFor(() => writer.frames.length === 3);
    const reader = await openRaw(server, chat(room.productId, await tokenFor('wf'), '&sinceSeq=1'));
    await waitFor(() => reader.frames.length === 2);
    expect(reader.frames.map((f) => f.seq)).toEqual([2, 3]);
    writer.ws.send(JSON.stringify({ content: 'dup', clientMsgId: 'd-1' }));
    writer.ws.send(JSON.stringify({ content: 'dup', clientMsgId: 'd-1' }));
    await waitFor(() => writer.frames.length === 5);
    expect(writer.frames.slice(3).map((f) => f.seq)).toEqual([4, 4]);
    await waitFor(() => reader.frames.length === 3);
    await new Promise((r) => setTimeout(r, 100));
    expect(reader.frames.map((f) => f.seq)).toEqual([2, 3, 4]);
    writer.ws.close();
    reader.ws.close();
  });

  it('says READY with the last seq after the replay when asked with ready=1, and never otherwise', async () => {
    const room = await createRoom(server);
    const writer = await openRaw(server, chat(room.productId, await tokenFor('wr1')));
    writer.ws.send(JSON.stringify({ content: 'one' }));
    writer.ws.send(JSON.stringify({ content: 'two' }));
    await waitFor(() => writer.frames.length === 2);
    const reader = await openRaw(server, chat(room.productId, await tokenFor('wr2'), '&sinceSeq=0&ready=1'));
    await waitFor(() => reader.frames.length === 3);
    expect(reader.frames.map((f) => f.type)).toEqual(['CHAT', 'CHAT', 'READY']);
    expect(reader.frames[2]).toEqual({ type: 'READY', roomId: room.productId, lastSeq: 2 });
    expect(writer.frames.every((f) => f.type === 'CHAT')).toBe(true);
    writer.ws.close();
    reader.ws.close();
  });

  it('closes a socket that floods frames with RATE_LIMITED and 4429', async () => {
    const room = await createRoom(server);
    const peer = await openRaw(server, chat(room.productId, await tokenFor('wflood')));
    for (let i = 0; i < 400; i++) peer.ws.send('{"content":""}');
    await waitFor(() => peer.closeCode() !== null);
    expect(peer.closeCode()).toBe(4429);
    expect(peer.frames.at(-1)).toMatchObject({ type: 'ERROR', error: { code: 'RATE_LIMITED' } });
  });

  it('closes an oversized frame with PAYLOAD_TOO_LARGE', async () => {
    const room = await createRoom(server);
    const peer = await openRaw(server, chat(room.productId, await tokenFor('wg')));
    await new Promise((r) => setTimeout(r, 50));
    peer.ws.send(JSON.stringify({ content: 'z'.repeat(LIMITS.frameMaxBytes + 1) }));
    await waitFor(() => peer.closeCode() !== null);
    expect(peer.frames.at(-1)).toMatchObject({ type: 'ERROR', error: { code: 'PAYLOAD_TOO_LARGE' } });
    // 4000 + HTTP status, like every refusal on this endpoint.
    expect(peer.closeCode()).toBe(4413);
  });

  it('ends a watcher with SUBSCRIPTION_ENDED and 4403 when the deal closes', async () => {
    const room = await createRoom(server, { maxParticipants: 2 });
    const watcher = await openRaw(server, chat(room.productId, await tokenFor('wwatch')));
    await new Promise((r) => setTimeout(r, 50));
    for (const u of ['wb1', 'wb2'])
      await api(server, 'POST', `/api/chat/rooms/${room.productId}/participants`, { token: await tokenFor(u) });
    await waitFor(() => watcher.closeCode() !== null);
    expect(watcher.closeCode()).toBe(4403);
    expect(watcher.frames.at(-2)).toMatchObject({ type: 'SYSTEM', event: { type: 'CLOSED' } });
    expect(watcher.frames.at(-1)).toMatchObject({ type: 'SUBSCRIPTION_ENDED', error: { code: 'FORBIDDEN' } });
  });

  it('refuses a cross-site upgrade from an unlisted origin and accepts a listed one', async () => {
    const room = await createRoom(server);
    const token = await tokenFor('wh');
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(server.wsUrl + chat(room.productId, token), { origin: 'https://evil.example' });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => undefined);
    });
    expect(status).toBe(403);
    const ok = await new Promise<boolean>((resolve) => {
      const ws = new WebSocket(server.wsUrl + chat(room.productId, token), { origin: 'https://shop.example' });
      ws.on('open', () => {
        ws.close();
        resolve(true);
      });
      ws.on('error', () => resolve(false));
    });
    expect(ok).toBe(true);
  });
});
