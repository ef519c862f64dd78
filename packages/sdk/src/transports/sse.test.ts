import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EventSource } from 'eventsource';
import { LIMITS, type ChatError, type ChatMessage, type Room } from '@groupbuy/protocol';
import { createRoom, devToken, joinRoom, notify, startTestServer, waitFor, type TestServer } from '../test-support/server.js';
import type { PlatformEvents } from '../types.js';
import { watchRoom, type EventSourceLike, type FeedDiscontinuity, type RoomWatcher, type WatchRoomOptions } from './sse.js';

const NodeEventSource = EventSource as unknown as EventSourceLike;

/** EventSource behind a network a test can unplug: while down, every attempt goes to a closed port. */
function unpluggable(): { EventSource: EventSourceLike; up: boolean } {
  const network = {
    up: true,
    EventSource: function (url: string) {
      return new NodeEventSource(network.up ? url : 'http://127.0.0.1:1/unreachable');
    } as unknown as EventSourceLike,
  };
  return network;
}

/** The page's wake-up and offline events, fired by the test (the platform is not ours to run). */
function testPlatform(): PlatformEvents & { wake(): void; goOffline(): void } {
  let handlers: { onWake: () => void; onOffline: () => void } | undefined;
  return {
    subscribe(onWake, onOffline) {
      handlers = { onWake, onOffline };
      return () => {
        handlers = undefined;
      };
    },
    isOnline: () => true,
    wake: () => handlers?.onWake(),
    goOffline: () => handlers?.onOffline(),
  };
}

describe('watchRoom (SSE)', () => {
  let server: TestServer;
  let url: string;
  const watchers: RoomWatcher[] = [];

  /** A watcher that records everything it is told. */
  function watch(productId: string, options: Partial<WatchRoomOptions> = {}) {
    const seen = {
      rooms: [] as Room[],
      notices: [] as ChatMessage[],
      errors: [] as ChatError[],
      gaps: [] as FeedDiscontinuity[],
      tokens: 0,
    };
    const token = devToken(url, 'watcher');
    watchers.push(
      watchRoom(url, productId, {
        getToken: () => {
          seen.tokens += 1;
          return token;
        },
        EventSource: NodeEventSource,
        reconnectInitialDelayMs: 20,
        reconnectMaxDelayMs: 200,
        onRoom: (room) => seen.rooms.push(room),
        onNotification: (message) => seen.notices.push(message),
        onError: (error) => seen.errors.push(error),
        onDiscontinuity: (gap) => seen.gaps.push(gap),
        ...options,
      }),
    );
    return seen;
  }

  beforeAll(async () => {
    server = await startTestServer();
    url = server.url;
  });
  afterEach(() => {
    for (const watcher of watchers.splice(0)) watcher.close();
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('delivers the room on connect and again when a buyer joins', async () => {
    const room = await createRoom(url);
    const seen = watch(room.productId);
    await waitFor('the first room event', () => seen.rooms.length > 0);
    expect(seen.rooms[0]).toMatchObject({ productId: room.productId, status: 'ACTIVE', participantCount: 0 });

    await joinRoom(url, room.productId, 'ann');
    await waitFor('the room after the join', () => seen.rooms.at(-1)?.participantCount === 1);
  });

  it('delivers notices as notification events, in order', async () => {
    const room = await createRoom(url);
    const seen = watch(room.productId);
    await waitFor('the first room event', () => seen.rooms.length > 0);

    await notify(url, room.productId, 'Shipping starts Monday');
    await notify(url, room.productId, 'Tracking numbers are out');
    await waitFor('both notices', () => seen.notices.length === 2);
    expect(seen.notices.map((n) => n.content)).toEqual(['Shipping starts Monday', 'Tracking numbers are out']);
    expect(seen.notices.every((n) => n.type === 'NOTIFICATION')).toBe(true);
  });

  it('resumes with the last event id after a drop: the notices it missed arrive, each once', async () => {
    const room = await createRoom(url);
    const network = unpluggable();
    await notify(url, room.productId, 'before the watcher'); // not replayed: a first connect has no last event id
    const seen = watch(room.productId, { EventSource: network.EventSource });
    await waitFor('the first room event', () => seen.rooms.length > 0);
    await notify(url, room.productId, 'seen live');
    await waitFor('the live notice', () => seen.notices.length === 1);

    network.up = false;
    server.server.dropConnections();
    await waitFor('the watcher to notice', () => seen.errors.length > 0);
    await notify(url, room.productId, 'missed 1');
    await notify(url, room.productId, 'missed 2');
    const tokensWhileDown = seen.tokens;
    network.up = true;

    await waitFor('the missed notices', () => seen.notices.length === 3);
    expect(seen.notices.map((n) => n.content)).toEqual(['seen live', 'missed 1', 'missed 2']);
    expect(seen.tokens).toBeGreaterThan(tokensWhileDown);
    expect(seen.errors.every((e) => e.code === 'UNAVAILABLE')).toBe(true);
  });

  it('gives a signed-out visitor (no getToken) the room and live notices', async () => {
    const room = await createRoom(url);
    const seen = { rooms: [] as Room[], notices: [] as ChatMessage[], errors: [] as ChatError[] };
    watchers.push(
      watchRoom(url, room.productId, {
        EventSource: NodeEventSource,
        onRoom: (r) => seen.rooms.push(r),
        onNotification: (m) => seen.notices.push(m),
        onError: (e) => seen.errors.push(e),
      }),
    );
    await waitFor('the first room event', () => seen.rooms.length > 0);
    await notify(url, room.productId, 'Open to everyone');
    await waitFor('the notice', () => seen.notices.length === 1);
    expect(seen.notices[0]).toMatchObject({ type: 'NOTIFICATION', content: 'Open to everyone' });
    expect(seen.errors).toEqual([]);
  });

  it('starts from lastEventId 0 with the stored notices, each once, then live ones', async () => {
    const room = await createRoom(url);
    await notify(url, room.productId, 'stored 1');
    await notify(url, room.productId, 'stored 2');
    const notices: string[] = [];
    const rooms: Room[] = [];
    watchers.push(
      watchRoom(url, room.productId, {
        EventSource: NodeEventSource,
        lastEventId: 0,
        onRoom: (r) => rooms.push(r),
        onNotification: (m) => notices.push(m.content),
      }),
    );
    await waitFor('the stored notices', () => notices.length === 2);
    await notify(url, room.productId, 'live');
    await waitFor('the live notice', () => notices.length === 3);
    expect(notices).toEqual(['stored 1', 'stored 2', 'live']);
    expect(rooms.length).toBeGreaterThan(0);
  });

  it('stops with ROOM_NOT_FOUND for a room that does not exist', async () => {
    const seen = watch('no-such-room');
    await waitFor('the refusal', () => seen.errors.length > 0);
    expect(seen.errors.map((e) => e.code)).toEqual(['ROOM_NOT_FOUND']);
    expect(seen.tokens).toBe(1);
  });

  it('reconnects at once on a platform wake-up instead of waiting out its backoff, and the notices it missed arrive', async () => {
    const room = await createRoom(url);
    const network = unpluggable();
    const platform = testPlatform();
    // A first retry delay no test waits for: only the wake-up can bring the feed back in time.
    const seen = watch(room.productId, {
      EventSource: network.EventSource,
      platform,
      reconnectInitialDelayMs: 3_600_000,
      reconnectMaxDelayMs: 3_600_000,
    });
    await waitFor('the first room event', () => seen.rooms.length > 0);
    await notify(url, room.productId, 'seen live');
    await waitFor('the live notice', () => seen.notices.length === 1);

    platform.goOffline();
    await waitFor('the feed to stop', () => seen.errors.length > 0);
    await notify(url, room.productId, 'missed while offline');
    const roomsBefore = seen.rooms.length;
    platform.wake();

    await waitFor('the missed notice', () => seen.notices.length === 2);
    expect(seen.notices.map((n) => n.content)).toEqual(['seen live', 'missed while offline']);
    await waitFor('the room again', () => seen.rooms.length > roomsBefore);
    expect(seen.errors.map((e) => e.code)).toEqual(['UNAVAILABLE']);
  });

  it('tells the caller when it resumes from beyond the replay window, re-reads the room and delivers the notices inside the window', async () => {
    const room = await createRoom(url);
    const total = LIMITS.replayWindow + 5;
    for (let i = 0; i < total; i += 50) {
      await Promise.all(Array.from({ length: Math.min(50, total - i) }, (_, k) => notify(url, room.productId, `notice ${i + k + 1}`)));
    }
    const seen = watch(room.productId, { lastEventId: 1 });

    await waitFor('the discontinuity', () => seen.gaps.length > 0);
    const lastSeq = total + (room.lastSeq ?? 0);
    expect(seen.gaps).toEqual([{ sinceSeq: 1, lastSeq }]);
    await waitFor('the current room', () => seen.rooms.some((r) => r.lastSeq === lastSeq));
    await waitFor('the newest notice', () => seen.notices.some((n) => n.seq === lastSeq));
    // Only what the window holds came: each once, in order, nothing from before it.
    const seqs = seen.notices.map((n) => n.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs[0]).toBeGreaterThan(lastSeq - LIMITS.replayWindow);
    expect(seen.errors).toEqual([]);
  });
});
