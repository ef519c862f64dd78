import {
  ChatError,
  isErrorCode,
  type Ack,
  type ChatMessage,
  type ErrorInfo,
  type PrivateNotice,
  type ServerEvent,
  type Viewer,
} from '@groupbuy/protocol';
import type { TransportCallbacks, TransportCloseInfo } from '../types.js';

/** The `WebSocket` constructor a transport uses: the browser's, or e.g. the `ws` package's in Node. */
export type WebSocketLike = new (url: string, protocols?: string | string[]) => WebSocket;

/** The injected WebSocket, else the global one; throws a clear error when neither exists. */
export function resolveWebSocket(injected: WebSocketLike | undefined): WebSocketLike {
  const ctor = injected ?? (globalThis as { WebSocket?: WebSocketLike }).WebSocket;
  if (!ctor) throw new ChatError('UNAVAILABLE', 'No WebSocket here: pass { WebSocket } (e.g. from the "ws" package).');
  return ctor;
}

/** A wire error object as a protocol ErrorInfo (INTERNAL when it is not one). */
export function errorInfo(value: unknown): ErrorInfo {
  const v = value as Partial<ErrorInfo> | undefined;
  if (v && isErrorCode(v.code)) return ChatError.fromInfo(v).toInfo();
  return ChatError.fromInfo(undefined).toInfo();
}

/** Parses a JSON text frame; undefined when it is not JSON. */
export function parseJson(data: unknown): unknown {
  if (typeof data !== 'string') return undefined;
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

/** The four kinds of frame every realtime transport carries, whatever each calls them on its wire. */
export type FrameKind = 'message' | 'replay-truncated' | 'subscription-ended' | 'viewers' | 'error' | 'typing' | 'read' | 'notice';

/**
 * A wire value as a {@link PrivateNotice} (issue 11), or undefined when its kind is not one. Its fields are the
 * server's: the session checks what it relies on (a MUTED notice's `until` is parsed, and ignored when it is no time).
 */
export function privateNotice(value: unknown): PrivateNotice | undefined {
  const kind = typeof value === 'object' && value !== null ? (value as { kind?: unknown }).kind : undefined;
  return kind === 'PII_MASKED' || kind === 'MUTED' || kind === 'UNMUTED' ? (value as PrivateNotice) : undefined;
}

/**
 * Maps one decoded frame body to a {@link ServerEvent}; `roomId` is the room the frame arrived on, when the
 * wire says so outside the body. Undefined when the body is not what its kind promises.
 */
export function toServerEvent(kind: FrameKind, body: unknown, roomId?: string): ServerEvent | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  const room = typeof b['roomId'] === 'string' ? b['roomId'] : roomId;
  switch (kind) {
    case 'message': {
      const m = body as ChatMessage;
      return typeof m.seq === 'number' && typeof m.roomId === 'string' ? { type: 'message', roomId: m.roomId, message: m } : undefined;
    }
    case 'replay-truncated':
      if (room === undefined) return undefined;
      return { type: 'replay-truncated', roomId: room, sinceSeq: Number(b['sinceSeq']), lastSeq: Number(b['lastSeq']) };
    case 'subscription-ended':
      return room === undefined ? undefined : { type: 'subscription-ended', roomId: room, error: errorInfo(b['error']) };
    case 'viewers': {
      const list = b['viewers'];
      if (room === undefined || !Array.isArray(list)) return undefined;
      const viewers = list.filter(isViewer).map((v) => ({ userId: v.userId, name: v.name }));
      // `count` is the total (the list is capped at LIMITS.viewersListMax); an older server sent the whole list.
      const count = b['count'];
      const total = typeof count === 'number' && Number.isSafeInteger(count) && count >= viewers.length ? count : viewers.length;
      return { type: 'viewers', roomId: room, count: total, viewers };
    }
    case 'typing': {
      // Issue 12: someone else is typing (ephemeral).
      const user = b['user'];
      return room === undefined || !isViewer(user)
        ? undefined
        : { type: 'typing', roomId: room, user: { userId: user.userId, name: user.name } };
    }
    case 'read': {
      // Issue 12: this user read up to `seq` elsewhere.
      const seq = b['seq'];
      return room === undefined || typeof seq !== 'number' ? undefined : { type: 'read', roomId: room, seq };
    }
    case 'notice': {
      // Issue 11: something only this user is told.
      const notice = privateNotice(b['notice']);
      return room === undefined || !notice ? undefined : { type: 'notice', roomId: room, notice };
    }
    case 'error': {
      const event: ServerEvent = { type: 'error', error: errorInfo(b['error']) };
      if (room !== undefined) event.roomId = room;
      if (typeof b['clientMsgId'] === 'string') event.clientMsgId = b['clientMsgId'];
      return event;
    }
  }
}

function isViewer(value: unknown): value is Viewer {
  const v = value as Partial<Viewer> | null;
  return typeof v === 'object' && v !== null && typeof v.userId === 'string' && typeof v.name === 'string';
}

/** An acknowledgement as the protocol's Ack (a malformed one becomes an INTERNAL refusal). */
export function toAck(value: unknown): Ack {
  const v = value as { ok?: unknown; error?: unknown } | undefined;
  if (v?.ok === true) return v as Ack;
  return { ok: false, error: errorInfo(v?.error) };
}

/** The error every pending command rejects with when its connection ends. */
export function connectionLost(): ChatError {
  return new ChatError('UNAVAILABLE', 'The connection to the chat server was lost.');
}

/**
 * Guards a transport's callbacks: nothing fires before `open()` or after `close()`, `onClose` fires at
 * most once, and every command still waiting for an acknowledgement is rejected when the connection ends.
 */
export class Link<K = string> {
  private callbacks: TransportCallbacks | undefined;
  private ended = false;
  private readonly waiting = new Map<K, { resolve: (ack: Ack) => void; reject: (err: unknown) => void }>();

  /** True once the connection ended or was closed. */
  get closed(): boolean {
    return this.ended;
  }

  /** Starts delivering callbacks. */
  attach(callbacks: TransportCallbacks): void {
    this.callbacks = callbacks;
  }

  /** The connection is usable. */
  open(): void {
    if (!this.ended) this.callbacks?.onOpen();
  }

  /** A server event arrived. */
  event(event: ServerEvent): void {
    if (!this.ended) this.callbacks?.onEvent(event);
  }

  /** A diagnostic that does not end the connection. */
  diagnostic(error: unknown): void {
    if (!this.ended) this.callbacks?.onError?.(error);
  }

  /** The connection ended by itself: reports it once and rejects what waits. */
  end(info: TransportCloseInfo): void {
    if (this.ended) return;
    const callbacks = this.callbacks;
    this.shut();
    callbacks?.onClose(info);
  }

  /** `close()` was called: silences every callback and rejects what waits. */
  shut(): void {
    this.ended = true;
    this.callbacks = undefined;
    for (const w of this.waiting.values()) w.reject(connectionLost());
    this.waiting.clear();
  }

  /** Waits for the acknowledgement filed under `key`; `start` sends the command once the waiter is in place. */
  ack(key: K, start: () => void): Promise<Ack> {
    if (this.ended) return Promise.reject(connectionLost());
    return new Promise<Ack>((resolve, reject) => {
      this.waiting.set(key, { resolve, reject });
      try {
        start();
      } catch (err) {
        this.waiting.delete(key);
        reject(err);
      }
    });
  }

  /** Settles the acknowledgement filed under `key`; false when nothing waits for it. */
  settle(key: K, ack: Ack): boolean {
    const w = this.waiting.get(key);
    if (!w) return false;
    this.waiting.delete(key);
    w.resolve(ack);
    return true;
  }
}
