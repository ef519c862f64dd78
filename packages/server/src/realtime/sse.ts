import type { Context } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { ChatError, LIMITS, SSE_EVENTS, assertProductId, parseSeq, type Room } from '@groupbuy/protocol';
import type { Principal } from '../auth/jwt.js';
import type { AnonymousFeedLimits, RealtimeContext } from './context.js';
import { slowConsumerCut } from './slow-consumer.js';
import type { Delivery, HubSubscription } from './hub.js';

/** Keep-alive comment interval, in ms: below common proxy idle timeouts (30–60 s). */
export const SSE_KEEPALIVE_MS = 15_000;

/** {@link AnonymousFeedLimits} when none are given. */
export const DEFAULT_ANONYMOUS_FEED_LIMITS: Readonly<AnonymousFeedLimits> = { perRoom: 1000, total: 10_000 };

/** How long a refused anonymous reader should wait before trying again, in ms (sent as `Retry-After`). */
export const ANONYMOUS_FEED_RETRY_MS = 30_000;

/**
 * Counts anonymous feeds: nobody is accountable for them (no user id, no rate limit per user), so each
 * costs a socket and a replay that only a cap keeps in check. Signed-in readers are not counted.
 */
export class AnonymousFeedGate {
  private total = 0;
  private readonly perRoom = new Map<string, number>();

  constructor(private readonly limits: Readonly<AnonymousFeedLimits>) {}

  /** Takes a place in `roomId`; returns the function that gives it back (safe to call twice). Throws ChatError UNAVAILABLE when full. */
  acquire(roomId: string): () => void {
    const inRoom = this.perRoom.get(roomId) ?? 0;
    if (inRoom >= this.limits.perRoom || this.total >= this.limits.total) {
      throw new ChatError('UNAVAILABLE', 'Too many signed-out visitors are following deals right now. Sign in, or try again in a minute.', {
        retryAfterMs: ANONYMOUS_FEED_RETRY_MS,
      });
    }
    this.perRoom.set(roomId, inRoom + 1);
    this.total += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total -= 1;
      const left = (this.perRoom.get(roomId) ?? 1) - 1;
      if (left > 0) this.perRoom.set(roomId, left);
      else this.perRoom.delete(roomId);
    };
  }
}

// How the hub sees an anonymous reader: no user id a token could carry (a verified one is never empty),
// a "session" that never expires, and — like every public feed — never a viewer.
const ANONYMOUS_READER: Principal = { userId: '', name: '', role: 'user', expiresAtMs: Number.POSITIVE_INFINITY };

/**
 * `GET /api/chat/rooms/{productId}/events`: a read-only feed for product pages (count, status, notices),
 * for signed-in and anonymous (`principal` null, counted by `gate`) readers alike.
 * `room` events carry the Room on connect and on every change; `notification` events carry NOTIFICATION
 * messages; `id:` is the seq, so `Last-Event-ID` resumes where the page left off, and `Last-Event-ID: 0`
 * replays the notices among the room's latest {@link LIMITS.replayWindow} messages. A resume from further back
 * than that first gets a `replay-truncated` event `{ roomId, sinceSeq, lastSeq }`.
 */
export async function roomEvents(
  c: Context,
  principal: Principal | null,
  ctx: RealtimeContext,
  gate: AnonymousFeedGate,
): Promise<Response> {
  const productId = assertProductId(c.req.param('productId'));
  const lastEventId = parseSeq(c.req.header('Last-Event-ID') ?? c.req.query('lastEventId'), 'Last-Event-ID');
  // Read the room before the stream starts, so an unknown room is a 404 and not an empty 200 stream.
  let room: Room = await ctx.service.getRoom(productId);
  // A feed that starts further back than the replay window is told so, then gets the notices inside it:
  // unlike a chat client it has no history to reload, and notices are what a product page shows.
  const truncated = lastEventId !== undefined && room.lastSeq - lastEventId > LIMITS.replayWindow;
  const sinceSeq = lastEventId === undefined ? undefined : Math.max(lastEventId, room.lastSeq - LIMITS.replayWindow);
  let release: () => void = () => undefined;
  if (!principal) {
    try {
      release = gate.acquire(productId);
    } catch (err) {
      // The cap biting is an operator's cue to add instances or raise it.
      ctx.metrics.inc('groupbuy_anonymous_feeds_refused_total');
      throw err;
    }
  }
  const reader = principal ?? ANONYMOUS_READER;
  // nginx buffers proxied responses unless told otherwise; this header turns that off for this response even
  // behind a proxy configured without `proxy_buffering off` (deploy/nginx sets both).
  c.header('X-Accel-Buffering', 'no');
  return streamSSE(
    c,
    async (stream) => {
      // SSE writes are async; chain them so events leave in seq order. A write settles once the response
      // took it (hono's stream passes Node's backpressure on), so `queued` is what waits in this server.
      let writing: Promise<void> = Promise.resolve();
      let queued = 0;
      const write = (event: string, data: string, id?: number) => {
        if (ended) return;
        const bytes = Buffer.byteLength(data);
        const cut = slowConsumerCut(ctx, 'sse', queued + bytes, principal?.userId ?? null);
        // The stream just ends (an EventSource reconnects with its Last-Event-ID): SSE has no error frame.
        if (cut) {
          stop(true);
          return;
        }
        queued += bytes;
        writing = writing
          .then(() => stream.writeSSE({ event, data, ...(id === undefined ? {} : { id: String(id) }) }))
          .catch(() => undefined)
          .finally(() => (queued -= bytes));
      };
      // Every message moves the seq, but a feed writes only notices and room changes: the Room is copied when
      // one goes out, not for each chat message and reader.
      let lastSeq = room.lastSeq;
      const writeRoom = () => {
        room = { ...room, lastSeq };
        write(SSE_EVENTS.room, JSON.stringify(room), lastSeq);
      };
      const onDelivery = (d: Delivery) => {
        const m = d.message;
        lastSeq = Math.max(lastSeq, m.seq);
        if (m.type === 'NOTIFICATION') write(SSE_EVENTS.notification, d.json, m.seq);
        if (m.type === 'SYSTEM' && m.room) {
          room = { ...room, ...m.room, closedAt: m.room.status === 'ACTIVE' ? null : (room.closedAt ?? m.createdAt) };
          if (!replaying) writeRoom();
        }
      };
      let replaying = true;
      let ended = false;
      // Wakes the keep-alive wait, so a reader who leaves gives back its subscription (and its place among
      // the anonymous feeds) at once instead of at the next ping.
      let wake: () => void = () => undefined;
      const stop = (closeStream: boolean) => {
        ended = true;
        wake();
        if (closeStream) void stream.close();
      };
      const unregister = ctx.hub.register({
        transport: 'sse',
        principal: reader,
        close: () => stop(true),
        terminate: () => stop(true),
      });
      stream.onAbort(() => stop(false));
      let sub: HubSubscription | null = null;
      // No `id:`: the reader's Last-Event-ID stays where it was until a replayed notice moves it.
      if (truncated) write(SSE_EVENTS.replayTruncated, JSON.stringify({ roomId: productId, sinceSeq: lastEventId, lastSeq: room.lastSeq }));
      try {
        sub = await ctx.hub.subscribe(
          reader,
          productId,
          sinceSeq,
          {
            deliver: onDelivery,
            replayTruncated: () => undefined,
            viewers: () => undefined,
            ended: () => stop(true),
            // Issue 11: the signed-in reader's own private notices (the hub routes them by user id; never to ANONYMOUS_READER).
            notice: (notice) => write(SSE_EVENTS.notice, JSON.stringify({ roomId: productId, notice })),
          },
          { publicFeed: true },
        );
        replaying = false;
        writeRoom();
        while (!ended && !stream.aborted && !stream.closed) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, SSE_KEEPALIVE_MS);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          if (!ended && !stream.aborted && !stream.closed) await keepAlive(stream);
        }
      } finally {
        if (sub) ctx.hub.unsubscribe(sub);
        unregister();
        release();
      }
    },
    async (err) => {
      ctx.logger.log('warn', 'sse stream failed', { room: productId, user: principal?.userId ?? null, error: String(err) });
    },
  );
}

async function keepAlive(stream: SSEStreamingApi): Promise<void> {
  await stream.write(': ping\n\n');
}
