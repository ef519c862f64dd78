import { io } from 'socket.io-client';
import { DESTINATIONS, SOCKET_IO_EVENTS, type ErrorInfo } from '@groupbuy/protocol';
import type { TransportCloseInfo, TransportFactory } from '../types.js';
import { joinUrl } from '../url.js';
import { Link, errorInfo, toAck, toServerEvent, type FrameKind } from './shared.js';

/** Options of {@link socketIoTransport}. */
export interface SocketIoTransportOptions {
  /** How long the handshake may take before the attempt counts as failed, in ms. @default 20000 */
  connectTimeoutMs?: number;
}

/** Server events and the frame kind each carries. */
const EVENTS: ReadonlyArray<readonly [string, FrameKind]> = [
  [SOCKET_IO_EVENTS.message, 'message'],
  [SOCKET_IO_EVENTS.replayTruncated, 'replay-truncated'],
  [SOCKET_IO_EVENTS.subscriptionEnded, 'subscription-ended'],
  [SOCKET_IO_EVENTS.viewers, 'viewers'],
  [SOCKET_IO_EVENTS.typing, 'typing'],
  [SOCKET_IO_EVENTS.read, 'read'],
  [SOCKET_IO_EVENTS.notice, 'notice'],
  [SOCKET_IO_EVENTS.error, 'error'],
];

/**
 * Socket.IO (`/socket.io`, WebSocket only) with socket.io-client: every room on one socket, the token in
 * the handshake's `auth`, commands acknowledged through Socket.IO ack callbacks. socket.io-client's own
 * reconnection is off: the client core reconnects, with a fresh token each time.
 *
 * @example
 * createChatClient({ baseUrl, getToken, transport: socketIoTransport() });
 */
export function socketIoTransport(options: SocketIoTransportOptions = {}): TransportFactory {
  return ({ baseUrl, token }) => {
    // io("https://host/some/path") would read the path as a namespace: pass the origin, and the path apart.
    const base = new URL(baseUrl);
    const socket = io(base.origin, {
      path: joinUrl(base.pathname, DESTINATIONS.socketIoPath),
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      autoConnect: false,
      timeout: options.connectTimeoutMs ?? 20_000,
    });
    const link = new Link<number>();
    let acks = 0;
    let refusal: ErrorInfo | undefined;

    socket.on('connect', () => link.open());
    socket.on('connect_error', (err: Error & { data?: { error?: unknown } }) => {
      const info: TransportCloseInfo = { reason: err.message };
      if (err.data?.error !== undefined) info.error = errorInfo(err.data.error);
      link.end(info);
      socket.disconnect();
    });
    socket.on('disconnect', (reason) => {
      const info: TransportCloseInfo = { reason };
      if (refusal) info.error = refusal;
      link.end(info);
    });
    for (const [name, kind] of EVENTS) {
      socket.on(name, (body: unknown) => {
        const event = toServerEvent(kind, body);
        if (!event) return;
        // A connection-level error (token expired) comes just before the server disconnects.
        if (event.type === 'error' && event.roomId === undefined && event.clientMsgId === undefined) refusal = event.error;
        link.event(event);
      });
    }

    return {
      name: 'socket.io',
      open(callbacks) {
        link.attach(callbacks);
        socket.connect();
      },
      send(command) {
        const id = ++acks;
        const { type, ...payload } = command;
        return link.ack(id, () => {
          socket.emit(SOCKET_IO_EVENTS[type], payload, (ack: unknown) => link.settle(id, toAck(ack)));
        });
      },
      close() {
        link.shut();
        socket.disconnect();
      },
    };
  };
}
