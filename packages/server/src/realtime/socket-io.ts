import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import {
  ChatError,
  DESTINATIONS,
  LIMITS,
  SOCKET_IO_EVENTS,
  assertProductId,
  parseSendBody,
  parseSeq,
  toChatError,
  type Ack,
} from '@groupbuy/protocol';
import type { Principal } from '../auth/jwt.js';
import type { RealtimeContext } from './context.js';
import type { HubSubscription } from './hub.js';

type AckFn = (ack: Ack) => void;

/**
 * Socket.IO endpoint on the same HTTP server. Commands are events with acknowledgements
 * (`subscribe` / `unsubscribe` / `send`); errors are `{ ok: false, error: { code, message } }` acks.
 */
export function attachSocketIo(
  httpServer: HttpServer,
  ctx: RealtimeContext,
  isOriginAllowed: (origin: string | undefined, host: string | undefined) => boolean,
): Server {
  const io = new Server(httpServer, {
    path: DESTINATIONS.socketIoPath,
    serveClient: false,
    maxHttpBufferSize: LIMITS.frameMaxBytes,
    // Our own upgrade handler serves /ws and /chat/*; engine.io must not destroy those sockets.
    destroyUpgrade: false,
    allowRequest: (req, callback) => callback(null, isOriginAllowed(req.headers.origin, req.headers.host)),
  });

  io.use(async (socket, next) => {
    const auth = socket.handshake.auth as { token?: unknown } | undefined;
    try {
      const principal = await ctx.verifier.verify(typeof auth?.token === 'string' ? auth.token : null);
      socket.data['principal'] = principal;
      next();
    } catch (err) {
      ctx.metrics.inc('groupbuy_auth_failures_total', { transport: 'socket.io' });
      const error = toChatError(err).toInfo();
      next(Object.assign(new Error(error.message), { data: { error } }));
    }
  });

  io.on('connection', (socket) => onConnection(socket, ctx));
  return io;
}

function onConnection(socket: Socket, ctx: RealtimeContext): void {
  const principal = socket.data['principal'] as Principal;
  const subs = new Map<string, HubSubscription | null>();
  let work: Promise<void> = Promise.resolve();

  const unregister = ctx.hub.register({
    transport: 'socket.io',
    principal,
    close: (error) => {
      socket.emit(SOCKET_IO_EVENTS.error, { error });
      socket.disconnect(true);
    },
    terminate: () => socket.conn.close(),
  });

  socket.on('disconnect', () => {
    for (const s of subs.values()) if (s) ctx.hub.unsubscribe(s);
    subs.clear();
    unregister();
  });

  // Commands run one at a time per socket, so sends are stored in the order they were emitted.
  const command = (name: string, run: (payload: Record<string, unknown>) => Promise<Ack>) => {
    socket.on(name, (payload: unknown, ack?: unknown) => {
      const reply: AckFn = typeof ack === 'function' ? (ack as AckFn) : () => {};
      try {
        ctx.frameLimiter.take(`io:${socket.id}`);
      } catch {
        reply({ ok: false, error: { code: 'RATE_LIMITED', message: 'Too many commands on this connection; reconnect and slow down.' } });
        socket.disconnect(true);
        return;
      }
      work = work.then(async () => {
        try {
          if (typeof payload !== 'object' || payload === null) throw new ChatError('INVALID_INPUT', `"${name}" needs an object payload.`);
          reply(await run(payload as Record<string, unknown>));
        } catch (err) {
          const error = toChatError(err);
          if (error.code === 'INTERNAL') ctx.logger.log('error', 'socket.io command failed', { user: principal.userId, error: String(err) });
          reply({ ok: false, error: error.toInfo() });
          if (error.code === 'UNAUTHENTICATED') socket.disconnect(true);
        }
      });
    });
  };

  command(SOCKET_IO_EVENTS.subscribe, async (p) => {
    const roomId = assertProductId(p['roomId']);
    const sinceSeq = parseSeq(p['sinceSeq'], 'sinceSeq');
    if (subs.has(roomId)) throw new ChatError('INVALID_INPUT', `Already subscribed to "${roomId}".`);
    if (subs.size >= LIMITS.subscriptionsPerConnection) {
      throw new ChatError('INVALID_INPUT', `A connection can follow at most ${LIMITS.subscriptionsPerConnection} rooms.`);
    }
    subs.set(roomId, null);
    try {
      const sub = await ctx.hub.subscribe(principal, roomId, sinceSeq, {
        deliver: (d) => socket.emit(SOCKET_IO_EVENTS.message, d.message),
        replayTruncated: (info) => socket.emit(SOCKET_IO_EVENTS.replayTruncated, info),
        ended: (error) => {
          subs.delete(roomId);
          socket.emit(SOCKET_IO_EVENTS.subscriptionEnded, { roomId, error });
        },
      });
      if (!subs.has(roomId) || socket.disconnected) ctx.hub.unsubscribe(sub);
      else subs.set(roomId, sub);
    } catch (err) {
      subs.delete(roomId);
      throw err;
    }
    return { ok: true, room: await ctx.service.getRoom(roomId) };
  });

  command(SOCKET_IO_EVENTS.unsubscribe, async (p) => {
    const roomId = assertProductId(p['roomId']);
    const sub = subs.get(roomId);
    subs.delete(roomId);
    if (sub) ctx.hub.unsubscribe(sub);
    return { ok: true };
  });

  command(SOCKET_IO_EVENTS.send, async (p) => {
    const roomId = assertProductId(p['roomId']);
    const body = parseSendBody(p);
    const { message } = await ctx.service.post(principal, roomId, body);
    return { ok: true, message };
  });
}
