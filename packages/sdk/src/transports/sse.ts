import { ChatError, DESTINATIONS, ROOM_ENDING_CODES, SSE_EVENTS, errorCodeForStatus, toChatError, type ChatMessage, type ErrorCode, type Room } from '@groupbuy/protocol';
import { RetryTimer } from '../backoff.js';
import { joinUrl, withQuery } from '../url.js';
import { parseJson } from './shared.js';

/** The `EventSource` constructor: the browser's, or e.g. the `eventsource` package's in Node. */
export type EventSourceLike = new (url: string) => EventSource;

/** Options of {@link watchRoom}. */
export interface WatchRoomOptions {
  /**
   * Returns a JWT; called before every (re)connect, so an expired token is refreshed. Leave it out for a
   * signed-out visitor: the public feed (room snapshot and notices) needs no token.
   */
  getToken?: () => string | Promise<string>;
  /**
   * Where the feed starts: `0` replays the room's stored notices (within the server's replay window)
   * before going live. @default undefined (live from now, with the current room snapshot)
   */
  lastEventId?: number | string;
  /** The room snapshot: on connect and on every change (status, count …). */
  onRoom: (room: Room) => void;
  /** A NOTIFICATION message (seller or trade-service notice), each delivered once. */
  onNotification?: (message: ChatMessage) => void;
  /**
   * A failure. The watcher keeps retrying after it, except for ROOM_NOT_FOUND and FORBIDDEN, after which
   * it stops.
   */
  onError?: (error: ChatError) => void;
  /** The EventSource constructor. @default globalThis.EventSource */
  EventSource?: EventSourceLike;
  /** First reconnect delay cap, in ms. @default 500 */
  reconnectInitialDelayMs?: number;
  /** Largest reconnect delay cap, in ms. @default 15000 */
  reconnectMaxDelayMs?: number;
}

/** A running {@link watchRoom} feed. */
export interface RoomWatcher {
  /** Stops the feed. Idempotent. */
  close(): void;
}


/**
 * A read-only live feed of one room over Server-Sent Events (`GET /api/chat/rooms/{id}/events`), for
 * pages that show the deal's status without the chat. On an error the EventSource is closed and reopened
 * by this watcher's own backoff with a fresh token and `lastEventId`, so missed notifications are replayed.
 *
 * @example
 * const watcher = watchRoom(baseUrl, 'p-123', { getToken, onRoom: (room) => render(room) });
 */
export function watchRoom(baseUrl: string, productId: string, options: WatchRoomOptions): RoomWatcher {
  const found = options.EventSource ?? (globalThis as { EventSource?: EventSourceLike }).EventSource;
  if (!found) throw new ChatError('UNAVAILABLE', 'No EventSource here: pass { EventSource }.');
  const EventSourceCtor: EventSourceLike = found;
  const retry = new RetryTimer({
    initialDelayMs: options.reconnectInitialDelayMs ?? 500,
    maxDelayMs: options.reconnectMaxDelayMs ?? 15_000,
  });
  const url = joinUrl(baseUrl, `${DESTINATIONS.apiBase}/rooms/${encodeURIComponent(productId)}/events`);
  let source: EventSource | undefined;
  let attempt = 0;
  let closed = false;
  let lastEventId: string | undefined = options.lastEventId === undefined ? undefined : String(options.lastEventId);
  let lastNotificationSeq = 0;

  function fail(current: number, error: ChatError): void {
    if (current !== attempt || closed) return;
    source?.close();
    source = undefined;
    options.onError?.(error);
    if (ROOM_ENDING_CODES.has(error.code)) closed = true;
    else retry.schedule(() => void connect());
  }

  async function connect(): Promise<void> {
    const current = ++attempt;
    let token: string | undefined;
    try {
      token = await options.getToken?.();
    } catch (err) {
      fail(current, toChatError(err));
      return;
    }
    if (current !== attempt || closed) return;
    const es = new EventSourceCtor(withQuery(url, { token, lastEventId }));
    source = es;
    const listen = (type: string, handle: (data: unknown) => void): void => {
      es.addEventListener(type, (event: MessageEvent) => {
        if (current !== attempt || closed) return;
        if (event.lastEventId) lastEventId = event.lastEventId;
        const data = parseJson(event.data);
        if (data !== undefined) handle(data);
      });
    };
    listen(SSE_EVENTS.room, (room) => {
      retry.reset();
      options.onRoom(room as Room);
    });
    listen(SSE_EVENTS.notification, (data) => {
      const message = data as ChatMessage;
      if (message.seq <= lastNotificationSeq) return; // replayed after a resume we had already seen
      lastNotificationSeq = message.seq;
      options.onNotification?.(message);
    });
    es.onerror = (event: Event) => {
      const status = (event as { code?: unknown }).code;
      // The `eventsource` package reports the HTTP status as `code`; browsers report nothing (retried).
      const code = typeof status === 'number' && status >= 400 ? errorCodeForStatus(status) : undefined;
      fail(current, new ChatError(code ?? 'UNAVAILABLE', code ? `The room feed was refused (${status}).` : 'The room feed was interrupted.'));
    };
  }

  void connect();
  return {
    close() {
      closed = true;
      attempt += 1;
      retry.cancel();
      source?.close();
      source = undefined;
    },
  };
}
