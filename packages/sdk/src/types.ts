import type { SendOptions } from './sends.js';
import type { UploadOptions, UploadedImage } from './attachments.js';
import type { JoinOptions } from './insights.js';
import type {
  Ack,
  AddressList,
  ChatMessage,
  ClientCommand,
  ErrorCode,
  ErrorInfo,
  Invite,
  MessageReport,
  Participant,
  PrivateNotice,
  Room,
  RoomStats,
  ServerEvent,
  ShippingAddress,
  ShippingAddressInput,
  Viewer,
} from '@groupbuy/protocol';

/**
 * The client's connection, as a string union (logs read as words, not numbers). `'auth-required'`: the
 * server refused the token (UNAUTHENTICATED) and a fresh `getToken()` threw or gave a token it refused
 * again; the client stops reconnecting until `reconnect()` (queued sends stay queued).
 */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'offline' | 'auth-required' | 'closed';

/** Why a transport closed; passed once to {@link TransportCallbacks.onClose}. */
export interface TransportCloseInfo {
  /** When the server refused or ended the connection with a protocol error (e.g. UNAUTHENTICATED). */
  error?: ErrorInfo;
  /** Free-form diagnostic (close code, reason) for logs. */
  reason?: string;
}

/** What a transport reports to the client core. Callbacks from a closed transport must not fire. */
export interface TransportCallbacks {
  /** The connection is usable: commands may be sent. */
  onOpen(): void;
  /** A server event arrived. */
  onEvent(event: ServerEvent): void;
  /** The connection ended (called at most once, never after `close()`). */
  onClose(info: TransportCloseInfo): void;
  /** A diagnostic that does not end the connection. */
  onError?(error: unknown): void;
}

/**
 * One connection attempt. A transport only moves frames: it never reconnects by itself; the client
 * core owns state, reconnect and recovery, and makes a new transport for every attempt.
 */
export interface Transport {
  /** Which wire protocol this is (`memory`: the in-process transport of `@groupbuy/testing`, no wire at all). */
  readonly name: 'stomp' | 'socket.io' | 'ws' | 'memory';
  /** Starts connecting; results arrive through `callbacks`. */
  open(callbacks: TransportCallbacks): void;
  /** Sends a command; resolves with the server's acknowledgement (rejects only if the connection drops). */
  send(command: ClientCommand): Promise<Ack>;
  /** Closes the connection. Idempotent; no callback fires afterwards. */
  close(): void;
}

/** What the core hands a transport factory for each connection attempt. */
export interface TransportContext {
  /** The server's base URL, e.g. `https://shop.example/` (http(s); transports derive ws(s) URLs). */
  baseUrl: string;
  /** A fresh token from `getToken()` for this attempt. */
  token: string;
}

/** Makes a transport for one connection attempt. Each `@groupbuy/sdk/<transport>` entry exports one. */
export type TransportFactory = (context: TransportContext) => Transport;

/** Injectable platform hooks for reconnect triggers (`online`, `visibilitychange`, `pageshow`). */
export interface PlatformEvents {
  /** Registers a listener; returns a function that removes it. */
  subscribe(onWake: () => void, onOffline: () => void): () => void;
  /** False when the platform knows it is offline (`navigator.onLine === false`). */
  isOnline(): boolean;
}

/** Options of {@link createChatClient}. */
export interface ChatClientOptions {
  /** The server's base URL (REST and realtime), e.g. `http://localhost:8080`. */
  baseUrl: string;
  /**
   * Returns a JWT; called on every (re)connect and REST call that needs a fresh one, so tokens can be
   * refreshed. After the server refused a token (UNAUTHENTICATED) it is asked once more at once; when that
   * throws or gives a token refused again, the client enters `'auth-required'`.
   */
  getToken: () => string | Promise<string>;
  /** The transport factory, from `@groupbuy/sdk/stomp`, `/socket.io` or `/ws` (stories and tests: `@groupbuy/testing`'s in-process one). */
  transport: TransportFactory;
  /** `fetch` for REST calls. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** First reconnect delay cap, in ms. @default 500 */
  reconnectInitialDelayMs?: number;
  /** Largest reconnect delay cap, in ms (full jitter is applied after the cap). @default 15000 */
  reconnectMaxDelayMs?: number;
  /** How long a command waits for its acknowledgement, in ms. @default 10000 */
  ackTimeoutMs?: number;
  /** Reconnect triggers. @default browser events when `window` exists, none otherwise */
  platform?: PlatformEvents;
  /** Makes client message ids. @default crypto.randomUUID */
  createClientMsgId?: () => string;
  /**
   * Where sends still waiting (and failed ones not yet discarded) are kept across reloads, per base URL,
   * user and room, for 24 h. @default `localStorage` when available, else memory (lost with the client);
   * memory also for a base URL on the reserved `.invalid` domain (the in-process server of `@groupbuy/testing`)
   */
  outboxStorage?: OutboxStorage;
}

/**
 * The part of the Web Storage API the persisted outbox uses (`localStorage` fits). Methods may throw
 * (quota, privacy mode): the outbox then carries on in memory.
 */
export interface OutboxStorage {
  /** The stored value, or null. */
  getItem(key: string): string | null;
  /** Stores a value. */
  setItem(key: string, value: string): void;
  /** Removes a value. */
  removeItem(key: string): void;
}

/** The signed-in user, read from the token's claims (for display; the server verifies the token). */
export interface CurrentUser {
  /** JWT `sub`. */
  userId: string;
  /** JWT `name`. */
  name: string;
  /** JWT `role`, when present. */
  role?: string;
}

/** Delivery state of a message in a session's list. */
export type MessageStatus = 'pending' | 'sent' | 'failed';

/**
 * A message as a session shows it: a stored message (`status: 'sent'`, with `seq`) or the optimistic
 * copy of one of this client's sends (`pending` / `failed`, `seq` undefined until stored).
 */
export type ViewMessage =
  | (ChatMessage & { status: 'sent'; error?: undefined })
  | (Omit<ChatMessage, 'seq' | 'id'> & {
      id: string;
      seq?: undefined;
      clientMsgId: string;
      status: 'pending' | 'failed';
      /** Why it failed (`failed` only). */
      error?: ErrorInfo;
    });

/** This client's optimistic copy of a send that is not stored yet (`pending`, or `failed` with its error). */
export type OptimisticMessage = Exclude<ViewMessage, { status: 'sent' }>;

/** Typed events of a {@link RoomSession}; each listener gets the payload shown. */
export interface RoomSessionEvents {
  /** The room snapshot changed (status, count, …). */
  room: Room;
  /** The message list changed (new, older page, status change). Payload: the whole ordered list. */
  messages: readonly ViewMessage[];
  /** A stored message arrived live (not from history paging). */
  message: ChatMessage;
  /** The participant list changed. */
  participants: readonly Participant[];
  /** The list of people with the chat open changed (buyers and watchers alike). */
  viewers: readonly Viewer[];
  /** The connection state changed. */
  state: ConnectionState;
  /** An error worth showing (failed send, join refused, subscription ended …). */
  error: ErrorInfo & { clientMsgId?: string };
  /** Messages were missed beyond the replay window: the list was reloaded from the latest page. */
  discontinuity: { sinceSeq: number; lastSeq: number };
  /** Who else is typing changed (issue 12). Payload: the whole list, in the order they started. */
  typing: readonly Viewer[];
  /** The unread count changed (issue 12). */
  unread: number;
  /** Something only this user is told (issue 11): PII_MASKED (use the address form), MUTED, UNMUTED. */
  notice: PrivateNotice;
  /** The user's mute or slow-mode cooldown began, changed or ended (issue 11): the new values of both. */
  moderation: { mutedUntil: string | null; cooldownUntil: number | null };
}

/**
 * The signed-in buyer's own shipping address in one room (issue 11, `session.address`): stored apart from the
 * chat, read only by them and the seller. Every method throws a ChatError on refusal; `save` checks the input
 * with the protocol's `parseShippingAddressInput` first (INVALID_INPUT naming the field, as the server would).
 */
export interface ShippingAddressApi {
  /** The user's saved address, or null when they gave none. */
  get(): Promise<ShippingAddress | null>;
  /** Saves (replaces) the address; resolves with it as stored, normalised (phone dashed). */
  save(input: ShippingAddressInput): Promise<ShippingAddress>;
  /** Forgets the address. */
  remove(): Promise<void>;
}

/** Listener type for {@link RoomSessionEvents}. */
export type Listener<T> = (payload: T) => void;

/** One room (= product) as seen by this client. Get it with `client.room(productId)`. */
export interface RoomSession {
  /** The product (= room) id. */
  readonly productId: string;
  /** The latest room snapshot, or null until loaded. */
  readonly room: Room | null;
  /** serverTime − clientTime in ms, measured from REST `Date` headers; add it to `Date.now()` for countdowns. */
  readonly serverTimeOffsetMs: number;
  /** Stored messages ascending by seq, followed by this client's pending/failed ones. */
  readonly messages: readonly ViewMessage[];
  /** The buyers. */
  readonly participants: readonly Participant[];
  /**
   * Who has this room's chat open right now, each user once (buyers included: watchers are the viewers
   * who are not participants). Refreshed on (re)subscribe, on joins and leaves, and every 20 s while open.
   * In a large room only the first `LIMITS.viewersListMax` (the first to open the chat): {@link viewerCount}
   * is how many there are; `room.viewers()` over REST lists them all.
   */
  readonly viewers: readonly Viewer[];
  /** How many have this room's chat open (at least `viewers.length`; the list's length from an older server). */
  readonly viewerCount: number;
  /** The client's connection state. */
  readonly state: ConnectionState;
  /** True while older history exists beyond the loaded messages. */
  readonly hasOlder: boolean;
  /** True when the signed-in user is a buyer in this deal. */
  readonly isParticipant: boolean;
  /** True when the signed-in user is the room's host (seller). */
  readonly isHost: boolean;
  /**
   * Who else is typing now (issue 12): each name stays `LIMITS.typingExpiryMs` after its last typing event,
   * and goes at once when that user's message arrives. Never the signed-in user.
   */
  readonly typingUsers: readonly Viewer[];
  /**
   * Messages after the user's read position that are someone else's and not SYSTEM lines (issue 12): the
   * server's count on load and subscribe, then live as messages arrive and reads (here or elsewhere) happen.
   */
  readonly unreadCount: number;
  /**
   * "I am typing": call on every input change; at most one command goes out per `LIMITS.typingThrottleMs`
   * (the rest are dropped here), and only while subscribed. Best effort, never throws.
   */
  typing(): void;
  /**
   * Moves the read position forward to `seq` (@default the room's latest message): `POST …/read`, idempotent.
   * The user's other tabs and devices hear it as a `read` event.
   */
  markRead(seq?: number): Promise<void>;
  /** Resolves once the room snapshot and the latest page are loaded (rejects with a ChatError). */
  ready(): Promise<void>;
  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof RoomSessionEvents>(type: K, listener: Listener<RoomSessionEvents[K]>): () => void;
  /** Loads up to 50 older messages through REST; resolves with how many were added. */
  loadOlder(): Promise<number>;
  /**
   * Joins the deal as a buyer (rejects with ChatError ROOM_FULL, ROOM_NOT_ACTIVE …). `options.ref` is the
   * invite code the shopper came with (`inviteRefFromUrl(location.href)`): the JOINED event then names the
   * inviter; an unknown or the user's own code is ignored and the join goes ahead (issue 12).
   */
  join(options?: JoinOptions): Promise<void>;
  /** The signed-in user's invite link code for this room, the same on every call; `inviteUrl(page, invite)` builds the link. */
  invite(): Promise<Invite>;
  /** The room's funnel: viewers, chatters, joins, inviters, participants over time (host and service; FORBIDDEN otherwise). */
  stats(): Promise<RoomStats>;
  /** Leaves the deal (while ACTIVE). */
  leave(): Promise<void>;
  /**
   * Sends optimistically: returns the pending copy at once; it becomes `sent` or `failed` later. Throws
   * ChatError INVALID_INPUT for content the server would refuse (empty, over 2000 characters).
   */
  send(content: string, options?: SendOptions): OptimisticMessage;
  /**
   * Uploads an image (JPEG, PNG or WebP, at most 10 MB) to this room; pass the answer, with alt text, to
   * `send(text, { attachments })`. `onProgress` reports bytes sent (XMLHttpRequest in a browser).
   */
  upload(file: Blob, options?: UploadOptions): Promise<UploadedImage>;
  /** Sends a failed message again (same clientMsgId, so the server stores it once). */
  retry(clientMsgId: string): void;
  /** Drops a failed or queued message. */
  discard(clientMsgId: string): void;
  /**
   * When the user's mute in this room ends (ISO-8601, server clock), or null (issue 11): set by a MUTED notice
   * or a send refused MUTED, cleared by UNMUTED or when it passes. A send meanwhile fails with MUTED.
   */
  readonly mutedUntil: string | null;
  /**
   * Epoch ms on this device's clock (compare with `Date.now()`) until which slow mode refuses the user's next
   * send, or null: from the room's `slowModeMs` and the user's last stored message (the protocol's `sendWait`),
   * or a RATE_LIMITED refusal's `retryAfterMs`. Null for the host and the service, and while slow mode is off.
   */
  readonly cooldownUntil: number | null;
  /** Erases a message (the host, the service, or its sender within 5 minutes); it comes back as a tombstone. */
  deleteMessage(seq: number): Promise<void>;
  /** Mutes a user for `durationMs` (1 s – 7 days; host and service): their sends are refused with MUTED. */
  mute(userId: string, durationMs: number): Promise<void>;
  /** Lifts a user's mute (host and service). */
  unmute(userId: string): Promise<void>;
  /** Reports a message to the seller, with a reason of 1–500 characters. */
  report(seq: number, reason: string): Promise<void>;
  /** The room's reports (host and service). */
  reports(): Promise<MessageReport[]>;
  /** Sets slow mode: one CHAT message per `slowModeMs` per user, 0 = off (host and service). */
  setSlowMode(slowModeMs: number): Promise<void>;
  /** Pins a NOTIFICATION under the header (host and service); `room.pinned` follows. */
  pin(seq: number): Promise<void>;
  /** Takes the pinned notice down (host and service). */
  unpin(): Promise<void>;
  /** The signed-in buyer's own shipping address in this room. */
  readonly address: ShippingAddressApi;
  /** Every buyer's shipping address (host and service; FORBIDDEN for anyone else). */
  addresses(): Promise<AddressList>;
  /** The same list as CSV, for the seller's shipping tool (host and service). */
  addressesCsv(): Promise<string>;
  /**
   * Lets go of this session: each `client.room(productId)` call is paired with one `dispose()`, and the
   * session unsubscribes and frees everything when the last holder disposed it (it cannot be used after).
   */
  dispose(): void;
}

/** The client: one connection shared by every room session. */
export interface ChatClient {
  /** The server's base URL it was created with (REST, realtime, and what a message's image paths are relative to). */
  readonly baseUrl: string;
  /** The connection state. */
  readonly state: ConnectionState;
  /** The signed-in user, once the first token was read (null before). */
  readonly user: CurrentUser | null;
  /** The session for a product: the same object for every caller until all of them disposed it (pair each call with `dispose()`). */
  room(productId: string): RoomSession;
  /** Subscribes to connection-state changes; returns the unsubscribe function. */
  onState(listener: Listener<ConnectionState>): () => void;
  /**
   * Connects again at once, asking `getToken()` anew: what a page calls once it has a new token for a
   * client in `'auth-required'` (from any other open state it replaces the connection). No-op once closed.
   */
  reconnect(): void;
  /** Closes the connection and every session. */
  close(): void;
}

/** Re-exported for convenience. */
export type { Ack, ClientCommand, ErrorCode, ErrorInfo, ServerEvent };
