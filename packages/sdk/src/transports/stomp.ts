import { Client, TickerStrategy, type IMessage, type StompSubscription } from '@stomp/stompjs';
import {
  DESTINATIONS,
  RESTART_NOTICE,
  RESTART_STOMP_HEADER,
  STOMP_HEADERS,
  roomAppDestination,
  roomTypingDestination,
  roomTopic,
  type ErrorInfo,
} from '@groupbuy/protocol';
import type { TransportFactory, TransportCloseInfo } from '../types.js';
import { webSocketUrl } from '../url.js';
import { Link, errorInfo, parseJson, resolveWebSocket, toServerEvent, type FrameKind, type WebSocketLike } from './shared.js';

/** Options of {@link stompTransport}. */
export interface StompTransportOptions {
  /** The WebSocket constructor (e.g. `WebSocket` from the `ws` package in Node). @default globalThis.WebSocket */
  WebSocket?: WebSocketLike;
  /** Heart-beat interval offered both ways, in ms; 0 turns heart-beats off. @default 10000 */
  heartbeatMs?: number;
  /** How long the socket and STOMP handshake may take before the attempt is given up, in ms. @default 20000 */
  connectTimeoutMs?: number;
}

const KINDS: ReadonlySet<string> = new Set<FrameKind>([
  'message',
  'replay-truncated',
  'subscription-ended',
  'viewers',
  'error',
  'typing',
  'read',
  'notice',
]);

function kindOf(message: IMessage): FrameKind {
  const kind = message.headers[STOMP_HEADERS.kind] ?? 'message';
  return KINDS.has(kind) ? (kind as FrameKind) : 'message';
}

/**
 * STOMP 1.2 over WebSocket (`/ws`) with @stomp/stompjs: every room multiplexed on one connection, the
 * token in the CONNECT `Authorization` header, commands acknowledged by RECEIPT frames and refusals
 * arriving on `/user/queue/errors` with the refused frame's receipt id.
 *
 * @example
 * createChatClient({ baseUrl, getToken, transport: stompTransport() });
 */
export function stompTransport(options: StompTransportOptions = {}): TransportFactory {
  return ({ baseUrl, token }) => {
    const WebSocketCtor = resolveWebSocket(options.WebSocket);
    const heartbeatMs = options.heartbeatMs ?? 10_000;
    const link = new Link();
    const rooms = new Map<string, StompSubscription>();
    let receipts = 0;
    let refusal: ErrorInfo | undefined;

    const client = new Client({
      webSocketFactory: () => new WebSocketCtor(webSocketUrl(baseUrl, DESTINATIONS.stompPath), ['v12.stomp', 'v11.stomp', 'v10.stomp']),
      connectHeaders: { Authorization: `Bearer ${token}` },
      reconnectDelay: 0, // only the client core reconnects
      // Without it, a socket that opens but never gets CONNECTED (a proxy, an overloaded server) would
      // leave the client "connecting" for ever: neither onConnect nor a close would come.
      connectionTimeout: options.connectTimeoutMs ?? 20_000,
      heartbeatIncoming: heartbeatMs,
      heartbeatOutgoing: heartbeatMs,
      // A worker keeps heart-beats on time in a background tab, where timers are throttled.
      heartbeatStrategy: typeof Worker === 'undefined' ? TickerStrategy.Interval : TickerStrategy.Worker,
      debug: () => {},
      // Every RECEIPT settles its command here: stompjs' per-receipt watchers would stay registered for
      // each frame the server refused (its answer comes on /user/queue/errors, not as a RECEIPT).
      onUnhandledReceipt: (frame) => {
        const id = frame.headers['receipt-id'];
        if (id !== undefined) link.settle(id, { ok: true });
      },
      onConnect: () => {
        // Errors about single frames come here; subscribe before anything can be refused.
        client.subscribe(DESTINATIONS.userErrors, onUserFrame);
        link.open();
      },
      onStompError: (frame) => {
        const body = parseJson(frame.body) as { error?: unknown } | undefined;
        refusal = errorInfo(body?.error ?? { code: frame.headers['message'], message: frame.headers['message'] });
        // The hint header alone (a body some proxy or server left out) still means "come back now".
        if (frame.headers[RESTART_STOMP_HEADER.name] === RESTART_STOMP_HEADER.value) refusal = { ...RESTART_NOTICE };
      },
      onWebSocketClose: (event?: { code?: number; reason?: string }) => {
        const info: TransportCloseInfo = { reason: `socket closed (${event?.code ?? '?'} ${event?.reason ?? ''})` };
        if (refusal) info.error = refusal;
        link.end(info);
        void client.deactivate();
      },
      onWebSocketError: (event) => link.diagnostic(event),
    });

    function onUserFrame(frame: IMessage): void {
      const kind = kindOf(frame);
      const event = toServerEvent(kind, parseJson(frame.body));
      if (!event) return;
      const receipt = frame.headers['receipt-id'];
      if (event.type === 'error' && receipt !== undefined && link.settle(receipt, { ok: false, error: event.error })) {
        return;
      }
      link.event(event);
    }

    function withReceipt(send: (receipt: string) => void) {
      const receipt = `r-${++receipts}`;
      return link.ack(receipt, () => {
        send(receipt);
      });
    }

    return {
      name: 'stomp',
      open(callbacks) {
        link.attach(callbacks);
        client.activate();
      },
      send(command) {
        const { roomId } = command;
        switch (command.type) {
          case 'subscribe':
            return withReceipt((receipt) => {
              rooms.get(roomId)?.unsubscribe();
              const headers: Record<string, string> = { id: `room-${roomId}`, receipt };
              if (command.sinceSeq !== undefined) headers[STOMP_HEADERS.sinceSeq] = String(command.sinceSeq);
              const onFrame = (frame: IMessage): void => {
                const event = toServerEvent(kindOf(frame), parseJson(frame.body), roomId);
                if (event) link.event(event);
              };
              rooms.set(roomId, client.subscribe(roomTopic(roomId), onFrame, headers));
            });
          case 'unsubscribe':
            rooms.get(roomId)?.unsubscribe();
            rooms.delete(roomId);
            return Promise.resolve({ ok: true });
          case 'send':
            return withReceipt((receipt) =>
              client.publish({
                destination: roomAppDestination(roomId),
                body: JSON.stringify({
                  content: command.content,
                  clientMsgId: command.clientMsgId,
                  ...(command.attachments ? { attachments: command.attachments } : {}),
                }),
                headers: { receipt, 'content-type': 'application/json' },
              }),
            );
          case 'typing':
            // Ephemeral and best effort: no receipt, nothing to retry.
            if (client.connected) client.publish({ destination: roomTypingDestination(roomId), body: '' });
            return Promise.resolve({ ok: true });
        }
      },
      close() {
        link.shut();
        void client.deactivate();
      },
    };
  };
}
