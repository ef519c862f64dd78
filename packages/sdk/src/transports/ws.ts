import {
  DESTINATIONS,
  RESTART_CLOSE_CODE,
  RESTART_NOTICE,
  ROOM_ENDING_CODES,
  WS_CONTROL_TYPES,
  errorCodeForStatus,
  type ErrorCode,
  type ErrorInfo,
} from '@groupbuy/protocol';
import type { TransportFactory } from '../types.js';
import { webSocketUrl, withQuery } from '../url.js';
import { Link, connectionLost, errorInfo, parseJson, resolveWebSocket, toServerEvent, type WebSocketLike } from './shared.js';

/** Options of {@link wsTransport}. */
export interface WsTransportOptions {
  /** The WebSocket constructor (e.g. `WebSocket` from the `ws` package in Node). @default globalThis.WebSocket */
  WebSocket?: WebSocketLike;
}

// The server closes a refused socket with 4000 + the HTTP status of the error (1011: its own failure).
function codeOfClose(closeCode: number): ErrorCode | undefined {
  if (closeCode >= 4400 && closeCode < 4600) return errorCodeForStatus(closeCode - 4000);
  return closeCode === 1011 ? 'INTERNAL' : undefined;
}

const OPEN = 1; // WebSocket.OPEN, without relying on the injected constructor's statics

/**
 * The plain WebSocket endpoint `/chat/{productId}?token=&sinceSeq=`: one socket per subscribed room,
 * held inside the transport. A send is acknowledged by the stored message coming back with its
 * clientMsgId, or refused by an ERROR carrying it. The transport is usable at once; each room's socket
 * opens when the room is subscribed, and the subscription is acknowledged by the server's READY.
 *
 * @example
 * createChatClient({ baseUrl, getToken, transport: wsTransport() });
 */
export function wsTransport(options: WsTransportOptions = {}): TransportFactory {
  return ({ baseUrl, token }) => {
    const WebSocketCtor = resolveWebSocket(options.WebSocket);
    const link = new Link();
    const sockets = new Map<string, WebSocket>();

    function end(info: { error?: ErrorInfo; reason: string }): void {
      link.end(info);
      for (const socket of sockets.values()) socket.close(1000);
      sockets.clear();
    }

    function subscribe(roomId: string, sinceSeq: number | undefined) {
      sockets.get(roomId)?.close(1000);
      const url = withQuery(webSocketUrl(baseUrl, DESTINATIONS.wsPrefix + encodeURIComponent(roomId)), {
        token,
        sinceSeq,
        ready: 1,
        viewers: 1,
      });
      const socket = new WebSocketCtor(url);
      sockets.set(roomId, socket);
      const subscribed = `subscribe ${roomId}`;
      let refusal: ErrorInfo | undefined;
      let ended = false;

      // A close always follows an error; the listener also keeps Node's `ws` from throwing an unhandled 'error'.
      socket.onerror = (event: Event) => link.diagnostic(event);
      socket.onmessage = (message: MessageEvent) => {
        const body = parseJson(message.data) as { type?: unknown; clientMsgId?: unknown } | undefined;
        if (!body) return;
        const sendKey = typeof body.clientMsgId === 'string' ? `send ${roomId} ${body.clientMsgId}` : undefined;
        switch (body.type) {
          case WS_CONTROL_TYPES.error: {
            const error = errorInfo((body as { error?: unknown }).error);
            if (sendKey === undefined)
              refusal = error; // a connection-level refusal: the close follows
            else if (!link.settle(sendKey, { ok: false, error })) link.event({ type: 'error', roomId, error });
            return;
          }
          case WS_CONTROL_TYPES.ready:
            // Authorised and replayed: the subscription is live (asked for with ready=1).
            link.settle(subscribed, { ok: true });
            return;
          case WS_CONTROL_TYPES.typing:
          case WS_CONTROL_TYPES.read: {
            const event = toServerEvent(body.type === WS_CONTROL_TYPES.typing ? 'typing' : 'read', body, roomId);
            if (event) link.event(event);
            return;
          }
          case WS_CONTROL_TYPES.notice: {
            const event = toServerEvent('notice', body, roomId);
            if (event) link.event(event);
            return;
          }
          case WS_CONTROL_TYPES.viewers: {
            const event = toServerEvent('viewers', body, roomId);
            if (event) link.event(event);
            return;
          }
          case WS_CONTROL_TYPES.replayTruncated:
          case WS_CONTROL_TYPES.subscriptionEnded: {
            ended ||= body.type === WS_CONTROL_TYPES.subscriptionEnded;
            const kind = ended ? 'subscription-ended' : 'replay-truncated';
            const event = toServerEvent(kind, body, roomId);
            if (event) link.event(event);
            return;
          }
          default: {
            const event = toServerEvent('message', body, roomId);
            if (event?.type !== 'message') return;
            link.event(event);
            if (sendKey !== undefined) link.settle(sendKey, { ok: true, message: event.message });
          }
        }
      };
      socket.onclose = (event: CloseEvent) => {
        if (sockets.get(roomId) !== socket) return; // unsubscribed, replaced, or the transport closed
        sockets.delete(roomId);
        if (ended) return;
        const code = codeOfClose(event.code);
        // 1012 (Service Restart) without an ERROR frame before it still means "come back now".
        const restart = event.code === RESTART_CLOSE_CODE ? { ...RESTART_NOTICE } : undefined;
        const error = refusal ?? restart ?? (code ? { code, message: event.reason || code } : undefined);
        // A refusal about one room ends that room's feed; the other rooms' sockets carry on.
        if (error && ROOM_ENDING_CODES.has(error.code)) {
          if (!link.settle(subscribed, { ok: false, error })) {
            link.event({ type: 'subscription-ended', roomId, error });
          }
          return;
        }
        end({ ...(error ? { error } : {}), reason: `room ${roomId} socket closed (${event.code})` });
      };
      return link.ack(subscribed, () => {});
    }

    return {
      name: 'ws',
      open(callbacks) {
        link.attach(callbacks);
        queueMicrotask(() => link.open());
      },
      send(command) {
        const { roomId } = command;
        switch (command.type) {
          case 'subscribe':
            return subscribe(roomId, command.sinceSeq);
          case 'unsubscribe': {
            const socket = sockets.get(roomId);
            sockets.delete(roomId);
            socket?.close(1000);
            return Promise.resolve({ ok: true });
          }
          case 'send': {
            const socket = sockets.get(roomId);
            if (!socket || socket.readyState !== OPEN) return Promise.reject(connectionLost());
            const { content, clientMsgId, attachments } = command;
            return link.ack(`send ${roomId} ${clientMsgId}`, () =>
              socket.send(JSON.stringify({ content, clientMsgId, ...(attachments ? { attachments } : {}) })),
            );
          }
          case 'typing': {
            // Ephemeral and best effort: no acknowledgement, nothing to retry.
            const socket = sockets.get(roomId);
            if (socket?.readyState === OPEN) socket.send(JSON.stringify({ type: WS_CONTROL_TYPES.typing }));
            return Promise.resolve({ ok: true });
          }
        }
      },
      close() {
        link.shut();
        for (const socket of sockets.values()) socket.close(1000);
        sockets.clear();
      },
    };
  };
}
