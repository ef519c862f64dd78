import {
  ChatError,
  DESTINATIONS,
  ROOM_ENDING_CODES,
  SSE_EVENTS,
  errorCodeForStatus,
  toChatError,
  type ChatMessage,
  type PrivateNotice,
  type Room,
} from '@groupbuy/protocol';
import { browserPlatform } from '../platform.js';
import { Reconnector } from '../reconnect.js';
import { RestClient } from '../rest.js';
import type { PlatformEvents } from '../types.js';
import { joinUrl, withQuery } from '../url.js';
import { parseJson, privateNotice } from './shared.js';

/** The `EventSource` constructor: the browser's, or e.g. the `eventsource` package's in Node. */
export type EventSourceLike = new (url: string) => EventSource;

/** Notices the feed could not replay: those among seqs `sinceSeq`…`lastSeq` older than the server's replay window. */
export interface FeedDiscontinuity {
  /** The seq the feed resumed after (its `lastEventId`). */
  sinceSeq: number;
  /** The room's newest seq when the feed resumed. */
  lastSeq: number;
}

/** Options of {@link watchRoom}. */
export interface WatchRoomOptions {
  /**
   * Returns a JWT; called before every (re)connect, so an expired token is refreshed (and for the room
   * re-read after a discontinuity). Leave it out for a signed-out visitor: the public feed (room snapshot
   * and notices) needs no token.
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
   * The feed resumed from further back than the server replays: notices older than its replay window were
   * missed and will not arrive. The notices inside the window follow, and the room is re-read and handed to
   * `onRoom`.
   */
  onDiscontinuity?: (gap: FeedDiscontinuity) => void;
  /** Something only the signed-in user is told (issue 11): PII_MASKED, MUTED, UNMUTED. Never on a signed-out feed. */
  onNotice?: (notice: PrivateNotice) => void;
  /**
   * A failure. The watcher keeps retrying after it, except for ROOM_NOT_FOUND and FORBIDDEN, after which
   * it stops.
   */
  onError?: (error: ChatError) => void;
  /** The EventSource constructor. @default globalThis.EventSource */
  EventSource?: EventSourceLike;
  /** `fetch` for re-reading the room after a discontinuity. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Reconnect triggers, as for the chat client. @default browser events when `window` exists, none otherwise */
  platform?: PlatformEvents;
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
 * pages that show the deal's status without the chat. It reconnects through the same loop as the chat
 * client (full-jitter backoff, platform wake-ups, stale attempts ignored): on an error the EventSource is
 * closed and a new one opened with a fresh token and the `lastEventId`, so missed notifications are replayed.
 *
 * @example
 * const watcher = watchRoom(baseUrl, 'p-123', { getToken, onRoom: (room) => render(room) });
 */
export function watchRoom(baseUrl: string, productId: string, options: WatchRoomOptions): RoomWatcher {
  const found = options.EventSource ?? (globalThis as { EventSource?: EventSourceLike }).EventSource;
  if (!found) throw new ChatError('UNAVAILABLE', 'No EventSource here: pass { EventSource }.');
  const EventSourceCtor: EventSourceLike = found;
  const roomPath = `/rooms/${encodeURIComponent(productId)}`;
  const url = joinUrl(baseUrl, `${DESTINATIONS.apiBase}${roomPath}/events`);
  const rest = new RestClient({
    baseUrl,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    token: async () => options.getToken?.(),
  });
  let source: EventSource | undefined;
  let closed = false;
  let lastEventId: string | undefined = options.lastEventId === undefined ? undefined : String(options.lastEventId);
  let lastNotificationSeq = 0;
  let lastRoomSeq = -1;

  const reconnector = new Reconnector({
    initialDelayMs: options.reconnectInitialDelayMs ?? 500,
    maxDelayMs: options.reconnectMaxDelayMs ?? 15_000,
    platform: options.platform ?? browserPlatform(),
    open: (attempt) => void open(attempt),
    offline: () => {
      if (source) fail(reconnector.current, new ChatError('UNAVAILABLE', 'The network went away.'));
    },
  });

  function drop(): void {
    source?.close();
    source = undefined;
  }

  function fail(attempt: number, error: ChatError): void {
    if (!reconnector.isCurrent(attempt) || closed) return;
    drop();
    options.onError?.(error);
    if (ROOM_ENDING_CODES.has(error.code)) stop();
    else reconnector.retry();
  }

  function stop(): void {
    closed = true;
    reconnector.stop();
    drop();
  }

  function deliverRoom(next: Room): void {
    lastRoomSeq = Math.max(lastRoomSeq, next.lastSeq);
    options.onRoom(next);
  }

  /** Re-reads the room after a discontinuity; one the feed has already brought something newer than is dropped. */
  async function reload(): Promise<void> {
    try {
      const { body } = await rest.request<Room>('GET', roomPath);
      if (!closed && body.lastSeq >= lastRoomSeq) deliverRoom(body);
    } catch (err) {
      if (!closed) options.onError?.(toChatError(err)); // the feed goes on, and brings the room on its next change
    }
  }

  async function open(attempt: number): Promise<void> {
    drop();
    let token: string | undefined;
    try {
      token = await options.getToken?.();
    } catch (err) {
      fail(attempt, toChatError(err));
      return;
    }
    if (!reconnector.isCurrent(attempt) || closed) return;
    const es = new EventSourceCtor(withQuery(url, { token, lastEventId }));
    source = es;
    const listen = (type: string, handle: (data: Record<string, unknown>) => void): void => {
      es.addEventListener(type, (event: MessageEvent) => {
        if (!reconnector.isCurrent(attempt) || closed) return;
        if (event.lastEventId) lastEventId = event.lastEventId;
        const data = parseJson(event.data);
        if (typeof data === 'object' && data !== null) handle(data as Record<string, unknown>);
      });
    };
    listen(SSE_EVENTS.room, (data) => {
      reconnector.succeeded(attempt);
      deliverRoom(data as unknown as Room);
    });
    listen(SSE_EVENTS.notification, (data) => {
      const message = data as unknown as ChatMessage;
      if (message.seq <= lastNotificationSeq) return; // replayed after a resume we had already seen
      lastNotificationSeq = message.seq;
      options.onNotification?.(message);
    });
    listen(SSE_EVENTS.notice, (data) => {
      const notice = privateNotice(data['notice']);
      if (notice) options.onNotice?.(notice);
    });
    listen(SSE_EVENTS.replayTruncated, (data) => {
      options.onDiscontinuity?.({ sinceSeq: Number(data['sinceSeq']), lastSeq: Number(data['lastSeq']) });
      void reload();
    });
    es.onerror = (event: Event) => {
      const status = (event as { code?: unknown }).code;
      // The `eventsource` package reports the HTTP status as `code`; browsers report nothing (retried).
      const code = typeof status === 'number' && status >= 400 ? errorCodeForStatus(status) : undefined;
      fail(
        attempt,
        new ChatError(code ?? 'UNAVAILABLE', code ? `The room feed was refused (${String(status)}).` : 'The room feed was interrupted.'),
      );
    };
  }

  reconnector.start();
  return { close: stop };
}
