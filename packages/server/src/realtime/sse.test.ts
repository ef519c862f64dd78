import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createRoom, startTestServer, tokenFor, waitFor, type TestServer } from '../test-support/harness.js';

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
async function openFeed(path: string, headers: Record<string, string> = {}) {
  const ctrl = new AbortController();
  const res = await fetch(server.url + path, { headers, signal: ctrl.signal });
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
    await waitFor(() => feed.events.length === 1);
    expect(feed.events[0]).toMatchObject({ event: 'room', id: '0', data: { productId: room.productId, participantCount: 0 } });
    await api(server, 'POST', `/api/chat/rooms/${room.productId}/participants`, { token: await tokenFor('buyer1') });
    await waitFor(() => feed.events.length === 2);
    expect(feed.events[1]).toMatchObject({ event: 'room', id: '1', data: { participantCount: 1, status: 'ACTIVE', lastSeq: 1 } });
    await api(server, 'POST', `/api/chat/rooms/${room.productId}/notifications`, { token: await tokenFor('seller'), body: { content: '배송 시작!' } });
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
    const feed = await openFeed(`/api/chat/rooms/${room.productId}/events`, { Authorization: `Bearer ${await tokenFor('v2')}`, 'Last-Event-ID': '1' });
    await waitFor(() => feed.events.length === 3);
    expect(feed.events.map((e) => [e.event, e.id])).toEqual([
      ['notification', '2'],
      ['notification', '3'],
      ['room', '3'],
    ]);
    feed.close();
  });

  it('refuses a feed without a token with 401 UNAUTHENTICATED', async () => {
    const room = await createRoom(server);
    const feed = await openFeed(`/api/chat/rooms/${room.productId}/events`);
    expect(feed.res.status).toBe(401);
    expect(await feed.res.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
  });

  it('answers an unknown room with 404 ROOM_NOT_FOUND', async () => {
    const feed = await openFeed(`/api/chat/rooms/none/events?token=${await tokenFor('v3')}`);
    expect(feed.res.status).toBe(404);
  });
});
