import type { Context } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { SSE_EVENTS, assertProductId, parseSeq, type Room } from '@groupbuy/protocol';
import type { Principal } from '../auth/jwt.js';
import type { RealtimeContext } from './context.js';
import type { Delivery } from './hub.js';

/** Keep-alive comment interval, in ms: below common proxy idle timeouts (30–60 s). */
export const SSE_KEEPALIVE_MS = 15_000;

/**
 * `GET /api/chat/rooms/{productId}/events`: a read-only feed for product pages (count, status, notices).
 * `room` events carry the Room on connect and on every change; `notification` events carry NOTIFICATION
 * messages; `id:` is the seq, so `Last-Event-ID` resumes where the page left off.
 */
export async function roomEvents(c: Context, principal: Principal, ctx: RealtimeContext): Promise<Response> {
  const productId = assertProductId(c.req.param('productId'));
  const lastEventId = parseSeq(c.req.header('Last-Event-ID') ?? c.req.query('lastEventId'), 'Last-Event-ID');
  // Read the room before the stream starts, so an unknown room is a 404 and not an empty 200 stream.
  let room: Room = await ctx.service.getRoom(productId);
  return streamSSE(c, async (stream) => {
    // SSE writes are async; chain them so events leave in seq order.
    let writing: Promise<void> = Promise.resolve();
    const write = (event: string, data: string, id: number) => {
      writing = writing.then(() => stream.writeSSE({ event, data, id: String(id) })).catch(() => undefined);
    };
    const writeRoom = () => write(SSE_EVENTS.room, JSON.stringify(room), room.lastSeq);
    const onDelivery = (d: Delivery) => {
      const m = d.message;
      room = { ...room, lastSeq: Math.max(room.lastSeq, m.seq) };
      if (m.type === 'NOTIFICATION') write(SSE_EVENTS.notification, d.json, m.seq);
      if (m.type === 'SYSTEM' && m.room) {
        room = { ...room, ...m.room, closedAt: m.room.status === 'ACTIVE' ? null : (room.closedAt ?? m.createdAt) };
        if (!replaying) writeRoom();
      }
    };
    let replaying = true;
    let ended = false;
    const unregister = ctx.hub.register({
      transport: 'sse',
      principal,
      close: () => {
        ended = true;
        void stream.close();
      },
      terminate: () => {
        ended = true;
        void stream.close();
      },
    });
    const sub = await ctx.hub.subscribe(
      principal,
      productId,
      lastEventId,
      { deliver: onDelivery, replayTruncated: () => undefined, ended: () => void stream.close() },
      { publicFeed: true },
    );
    replaying = false;
    writeRoom();
    stream.onAbort(() => {
      ended = true;
    });
    try {
      while (!ended && !stream.aborted && !stream.closed) {
        await stream.sleep(SSE_KEEPALIVE_MS);
        if (!stream.aborted && !stream.closed) await keepAlive(stream);
      }
    } finally {
      ctx.hub.unsubscribe(sub);
      unregister();
    }
  }, async (err) => {
    ctx.logger.log('warn', 'sse stream failed', { room: productId, user: principal.userId, error: String(err) });
  });
}

async function keepAlive(stream: SSEStreamingApi): Promise<void> {
  await stream.write(': ping\n\n');
}
