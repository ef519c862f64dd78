import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '@groupbuy/protocol';
import type { Principal } from '../auth/jwt.js';
import { api, connectStomp, createRoom, startTestServer, tokenFor, waitFor, type TestServer } from '../test-support/harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.dispose();
});

interface SseEvent {
  event: string;
  id: string;
  data: any;
}

/** Reads an SSE stream with fetch (what EventSource does) and parses events. */
async function openFeed(path: string, headers: Record<string, string> = {}, target: { url: string } = server) {
  const ctrl = new AbortController();
  const res = await fetch(target.url + path, { headers, signal: ctrl.signal });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  if (res.ok && res.body) {
    void (async () => {
      const decoder = new TextDecoder();
      let buf = '';
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buf += decoder.decode(chunk, { stream: true });
          let idx;
          while ((idx = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, idx);
            buf = buf.slice(idx + 2);
            const e: Partial<SseEvent> = {};
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) comments.push(line);
              else if (line.startsWith('event: ')) e.event = line.slice(7);
              else if (line.startsWith('id: ')) e.id = line.slice(4);
              else if (line.startsWith('data: ')) e.data = JSON.parse(line.slice(6));
            }
            if (e.event) events.push(e as SseEvent);
          }
        }
      } catch {
        // aborted
      }
    })();
  }
  return { res, events, comments, close: () => ctrl.abort() };
}

describe('SSE room feed', () => {
  it('sends the room on connect and on every change, and notifications with id = seq', async () => {
    const room = await createRoom(server, { hostId: 'seller', maxParticipants: 5 });
    const feed = await openFeed(`/api/chat/rooms/${room.productId}/events?token=${await tokenFor('viewer')}`);
    expect(feed.res.headers.get('content-type')).toContain('text/event-stream');
    // Proxies that buffer by default (nginx) pass the stream through as it is written.
    expect(feed.res.headers.get('x-accel-buffering')).toBe('no');
    await waitFor(() => feed.events.length === 1);
    expect(feed.events[0]).toMatchObject({ event: 'room', id: '0', data: { productId: room.productId, participantCount: 0 } });
    await api(server, 'POST', `/api/chat/rooms/${room.productId}/participants`, { token: await tokenFor('buyer1') });
    await waitFor(() => feed.events.length === 2);
    expect(feed.events[1]).toMatchObject({ event: 'room', id: '1', data: { participantCount: 1, status: 'ACTIVE', lastSeq: 1 } });
    await api(server, 'POST', `/api/chat/rooms/${room.productId}/notifications`, {
      token: await tokenFor('seller'),
      body: { content: '배송 시작!' },
    });
    await waitFor(() => feed.events.length === 3);
    expect(feed.events[2]).toMatchObject({ event: 'notification', id: '2', data: { type: 'NOTIFICATION', content: '배송 시작!' } });
    feed.close();
  });

  it('resumes from Last-Event-ID: replays the missed notifications, then the current room', async () => {
    const room = await createRoom(server, { hostId: 'seller2' });
    const seller = await tokenFor('seller2');
    for (const c of ['one', 'two', 'three']) {
      await api(server, 'POST', `/api/chat/rooms/${room.productId}/notifications`, { token: seller, body: { content: c } });
    }
    const feed = await openFeed(`/api/chat/rooms/${room.productId}/events`, {
      Authorization: `Bearer ${await tokenFor('v2')}`,
      'Last-Event-ID': '1',
    });
    await waitFor(() => feed.events.length === 3);
    expect(feed.events.map((e) => [e.event, e.id])).toEqual([
      ['notification', '2'],
      ['notification', '3'],
      ['room', '3'],
    ]);
    feed.close();
  });

  it.each([
    ['a token that is not valid in ?token=', () => Promise.resolve({ query: '?token=not-a-jwt', headers: {} })],
    [
      'an expired bearer token',
      async () => ({ query: '', headers: { Authorization: `Bearer ${await tokenFor('late', { ttlSeconds: -60 })}` } }),
    ],
    ['an empty ?token=', () => Promise.resolve({ query: '?token=', headers: {} })],
  ])('refuses a feed with %s with 401 UNAUTHENTICATED (a stale token is noticed, not read as signed out)', async (_what, make) => {
    const room = await createRoom(server);
    const { query, headers } = await make();
    const feed = await openFeed(`/api/chat/rooms/${room.productId}/events${query}`, headers);
    expect(feed.res.status).toBe(401);
    expect(await feed.res.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
  });

  it('answers an unknown room with 404 ROOM_NOT_FOUND', async () => {
    const feed = await openFeed(`/api/chat/rooms/none/events?token=${await tokenFor('v3')}`);
    expect(feed.res.status).toBe(404);
  });
});

const seller: Principal = { userId: 'seller-pub', name: 'Seller', role: 'user', expiresAtMs: Date.now() + 3_600_000 };

describe('SSE room feed for signed-out visitors', () => {
  it('sends the room, then a notice the trade service posts, and nothing of the chat', async () => {
    const room = await createRoom(server);
    const feed = await openFeed(`/api/chat/rooms/${room.productId}/events`);
    expect(feed.res.status).toBe(200);
    await waitFor(() => feed.events.length === 1);
    expect(feed.events[0]).toMatchObject({ event: 'room', data: { productId: room.productId, status: 'ACTIVE' } });
    const chat = await connectStomp(server, await tokenFor('asker'));
    try {
      expect(await chat.send(room.productId, { content: '질문 있어요', clientMsgId: 'pub-1' })).toEqual({ ok: true });
    } finally {
      await chat.close();
    }
    const service = await tokenFor('trade-service', { role: 'service' });
    await api(server, 'POST', `/api/chat/rooms/${room.productId}/notifications`, { token: service, body: { content: '오늘 발송합니다' } });
    await waitFor(() => feed.events.length === 2);
    expect(feed.events[1]).toMatchObject({ event: 'notification', id: '2', data: { type: 'NOTIFICATION', content: '오늘 발송합니다' } });
    expect(JSON.stringify(feed.events)).not.toContain('질문 있어요');
    feed.close();
  });

  it.each([
    ['?lastEventId=0', '?lastEventId=0', {}],
    ['Last-Event-ID: 0', '', { 'Last-Event-ID': '0' }],
  ])('replays the earlier notices from %s, then the room', async (_what, query, headers) => {
    const room = await createRoom(server, { hostId: seller.userId });
    for (const content of ['one', 'two']) await server.service.notify(seller, room.productId, { content });
    const feed = await openFeed(`/api/chat/rooms/${room.productId}/events${query}`, headers);
    await waitFor(() => feed.events.length === 3);
    expect(feed.events.map((e) => [e.event, e.id, e.data.content ?? null])).toEqual([
      ['notification', '1', 'one'],
      ['notification', '2', 'two'],
      ['room', '2', null],
    ]);
    feed.close();
  });

  it('replays the notices of a CANCELLED deal and its snapshot: they stay public product-page information', async () => {
    const room = await createRoom(server, { hostId: seller.userId });
    await server.service.notify(seller, room.productId, { content: '취소되었습니다, 환불 예정' });
    await server.service.settleByHost(seller, room.productId, 'CANCELLED');
    const feed = await openFeed(`/api/chat/rooms/${room.productId}/events?lastEventId=0`);
    await waitFor(() => feed.events.some((e) => e.event === 'room'));
    expect(feed.events.map((e) => e.event)).toEqual(['notification', 'room']);
    expect(feed.events[1]!.data).toMatchObject({ status: 'CANCELLED' });
    feed.close();
  });

  it('is not counted as a viewer', async () => {
    const room = await createRoom(server);
    const watcher = await connectStomp(server, await tokenFor('watcher-pub'));
    const feed = await openFeed(`/api/chat/rooms/${room.productId}/events`);
    try {
      await watcher.subscribe(room.productId);
      await waitFor(() => feed.events.length === 1);
      const res = await api(server, 'GET', `/api/chat/rooms/${room.productId}/viewers`, { token: await tokenFor('asks') });
      expect(res.body).toEqual({ count: 1, viewers: [{ userId: 'watcher-pub', name: 'User watcher-pub' }] });
    } finally {
      feed.close();
      await watcher.close();
    }
  });
});

describe('limits on signed-out feeds', () => {
  let small: TestServer;
  beforeAll(async () => {
    small = await startTestServer({ anonymousFeedLimits: { perRoom: 1, total: 2 } });
  });
  afterAll(async () => {
    await small.dispose();
  });

  it('refuses an anonymous feed over the per-room cap with 503 UNAVAILABLE and Retry-After, but not a signed-in one', async () => {
    const room = await createRoom(small);
    const first = await openFeed(`/api/chat/rooms/${room.productId}/events`, {}, small);
    expect(first.res.status).toBe(200);
    const second = await openFeed(`/api/chat/rooms/${room.productId}/events`, {}, small);
    expect(second.res.status).toBe(503);
    expect(second.res.headers.get('retry-after')).toBe('30');
    expect(await second.res.json()).toMatchObject({ error: { code: 'UNAVAILABLE', message: expect.stringMatching(/sign in/i) } });
    expect(await (await fetch(`${small.url}/metrics`)).text()).toMatch(/^groupbuy_anonymous_feeds_refused_total 1$/m);
    const signedIn = await openFeed(`/api/chat/rooms/${room.productId}/events?token=${await tokenFor('member')}`, {}, small);
    expect(signedIn.res.status).toBe(200);
    signedIn.close();
    first.close();
    // The place is given back when the reader leaves.
    const again = await waitFor(async () => {
      const f = await openFeed(`/api/chat/rooms/${room.productId}/events`, {}, small);
      if (f.res.status === 200) return f;
      f.close();
      return null;
    });
    again.close();
  });

  it('refuses an anonymous feed over the total cap in any room', async () => {
    const [a, b, c] = [await createRoom(small), await createRoom(small), await createRoom(small)];
    const open = await waitFor(async () => {
      const f = await openFeed(`/api/chat/rooms/${a.productId}/events`, {}, small);
      if (f.res.status === 200) return f;
      f.close();
      return null;
    });
    const second = await openFeed(`/api/chat/rooms/${b.productId}/events`, {}, small);
    expect(second.res.status).toBe(200);
    const third = await openFeed(`/api/chat/rooms/${c.productId}/events`, {}, small);
    expect(third.res.status).toBe(503);
    open.close();
    second.close();
  });
});

describe('resuming from further back than the replay window', () => {
  it(`says replay-truncated, then replays the notices among the latest ${LIMITS.replayWindow} messages instead of none, then the room`, async () => {
    const own = await startTestServer();
    try {
      const room = await createRoom(own, { hostId: seller.userId });
      const total = LIMITS.replayWindow + 3;
      for (let i = 1; i <= total; i++) await own.service.notify(seller, room.productId, { content: `notice ${i}` });
      const feed = await openFeed(`/api/chat/rooms/${room.productId}/events?lastEventId=0`, {}, own);
      await waitFor(() => feed.events.some((e) => e.event === 'room'), 30_000);
      const notices = feed.events.filter((e) => e.event === 'notification');
      expect(notices.length).toBe(LIMITS.replayWindow);
      expect([notices[0]!.id, notices.at(-1)!.id]).toEqual([String(total - LIMITS.replayWindow + 1), String(total)]);
      // The reader is told first that older notices were not replayed; the window's notices and the room follow.
      expect(feed.events[0]).toEqual({ event: 'replay-truncated', data: { roomId: room.productId, sinceSeq: 0, lastSeq: total } });
      expect(feed.events.at(-1)).toMatchObject({ event: 'room', id: String(total) });
      expect(feed.events.filter((e) => e.event === 'replay-truncated')).toHaveLength(1);
      feed.close();
    } finally {
      await own.dispose();
    }
  }, 60_000);
});
