import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { ChatError, DESTINATIONS, LIMITS, SOCKET_IO_EVENTS, toChatError, type Ack, type ClientCommand } from '@groupbuy/protocol';
import type { Principal } from '../auth/jwt.js';
import { ConnectionSession, verifyToken, type DecodedCommand } from './connection.js';
import type { RealtimeContext } from './context.js';
import { emitDelivery, emitViewers } from './socket-io-packet.js';

type AckFn = (ack: Ack) => void;

// What the handshake leaves on the socket for its connection.
interface SocketData {
  principal: Principal;
}

/**
 * Socket.IO endpoint on the same HTTP server, a codec over {@link ConnectionSession}. Commands are events with acknowledgements
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

  io.use((socket, next) => {
    const auth = socket.handshake.auth as { token?: unknown } | undefined;
    verifyToken(ctx, 'socket.io', typeof auth?.token === 'string' ? auth.token : null).then(
      (principal) => {
        (socket.data as SocketData).principal = principal;
        next();
      },
      (err: unknown) => {
        const error = toChatError(err).toInfo();
        next(Object.assign(new Error(error.message), { data: { error } }));
      },
    );
  });

  // socket.io's own advice for memory ("Discard the initial HTTP request"): engine.io keeps each connection's
  // IncomingMessage (its headers, socket and parser leftovers) for its whole life; the handshake reads it null-safe.
  io.engine.on('connection', (raw: { request: unknown }) => {
    raw.request = null;
  });
  io.on('connection', (socket) => onConnection(socket, ctx));
  return io;
}

// Bytes of an engine.io packet's payload (a Socket.IO packet is encoded to a string before engine.io sees it).
// A message's packet text is the same string for every socket: its byte count is taken once.
let lastText = '';
let lastTextBytes = 0;
function packetBytes(packet: { data?: unknown }): number {
  const { data } = packet;
  if (typeof data === 'string') {
    if (data !== lastText) {
      lastText = data;
      lastTextBytes = Buffer.byteLength(data);
    }
    return lastTextBytes;
  }
  return data instanceof ArrayBuffer || ArrayBuffer.isView(data) ? data.byteLength : 0;
}

// Socket.IO events as session commands: made once, not per socket.
const decoders = {
  subscribe: (p): DecodedCommand => ({ type: 'subscribe', roomId: p['roomId'], sinceSeq: p['sinceSeq'] }),
  unsubscribe: (p): DecodedCommand => ({ type: 'unsubscribe', roomId: p['roomId'] }),
  send: (p): DecodedCommand => ({ type: 'send', roomId: p['roomId'], body: p }),
  typing: (p): DecodedCommand => ({ type: 'typing', roomId: p['roomId'] }),
} satisfies Record<ClientCommand['type'], (payload: Record<string, unknown>) => DecodedCommand>;
const decoderEntries = Object.entries(decoders);
const ignoreAck: AckFn = () => undefined;

function onConnection(socket: Socket, ctx: RealtimeContext): void {
  // What waits in this server for the client, through engine.io's public events: packets created since the
  // last flush (its write buffer), plus the batch handed to the transport until the transport is writable
  // again (the WebSocket send callback fires once the socket took the bytes; polling, once a GET carried them).
  let unflushed = 0;
  let inFlight = 0;
  socket.conn.on('packetCreate', (packet: { data?: unknown }) => (unflushed += packetBytes(packet)));
  socket.conn.on('flush', () => {
    inFlight = unflushed;
    unflushed = 0;
  });
  const session = new ConnectionSession(ctx, {
    transport: 'socket.io',
    acksCarryResults: true,
    // Encoded once per message for every socket (socket-io-packet.ts), as socket.io's room broadcasts are.
    deliver: (_id, d) => emitDelivery(socket, SOCKET_IO_EVENTS.message, d),
    event: (_id, e) => {
      if (e.type === 'replay-truncated')
        socket.emit(SOCKET_IO_EVENTS.replayTruncated, { roomId: e.roomId, sinceSeq: e.sinceSeq, lastSeq: e.lastSeq });
      else if (e.type === 'viewers') emitViewers(socket, SOCKET_IO_EVENTS.viewers, e);
      else if (e.type === 'typing') socket.emit(SOCKET_IO_EVENTS.typing, { roomId: e.roomId, user: e.user });
      else if (e.type === 'read') socket.emit(SOCKET_IO_EVENTS.read, { roomId: e.roomId, seq: e.seq });
      else if (e.type === 'notice') socket.emit(SOCKET_IO_EVENTS.notice, { roomId: e.roomId, notice: e.notice });
      else socket.emit(SOCKET_IO_EVENTS.subscriptionEnded, { roomId: e.roomId, error: e.error });
    },
    close: (error) => {
      socket.emit(SOCKET_IO_EVENTS.error, { error });
      socket.disconnect(true);
    },
    // Discarding: a plain close would wait for the write buffer to drain, which a stalled client never does.
    terminate: () => socket.conn.close(true),
    bufferedBytes: () => unflushed + (socket.conn.transport.writable ? 0 : inFlight),
  });
  session.start((socket.data as SocketData).principal);
  socket.on('disconnect', () => session.dispose());

  for (const [name, decode] of decoderEntries) {
    socket.on(name, (payload: unknown, ack?: unknown) => {
      const reply: AckFn = typeof ack === 'function' ? (ack as AckFn) : ignoreAck;
      if (!session.admit()) return;
      if (typeof payload === 'object' && payload !== null) return session.handle(decode(payload as Record<string, unknown>), reply);
      const error = new ChatError('INVALID_INPUT', `"${name}" needs an object payload.`).toInfo();
      session.run(() => reply({ ok: false, error }));
    });
  }
}
