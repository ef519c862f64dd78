import {
  ChatError,
  HTTP_STATUS,
  LIMITS,
  assertProductId,
  normalizeContent,
  parseClientMsgId,
  parseHistoryQuery,
  systemText,
} from '@groupbuy/protocol';
import type {
  Ack,
  ChatMessage,
  ClientCommand,
  CloseReason,
  ErrorInfo,
  MessagePage,
  Participant,
  Room,
  RoomStatus,
  ServerEvent,
  SystemEvent,
  Viewer,
  ViewerList,
} from '@groupbuy/protocol';
import type { Transport, TransportCallbacks, TransportContext, TransportFactory } from '../types.js';

/**
 * An in-memory groupbuy server for Storybook and component tests: the REST routes the SDK calls, a
 * `memory` transport, and handles to drive a room (joins, posts, lifecycle, disconnects) from a story.
 * It keeps the real server's rules — gap-free seqs, SYSTEM messages with `event` + `room`, the cap, the
 * statuses, content validation, rate limits, who counts as a viewer — so what a story shows is what a
 * shopper would see.
 */

/** A user as the simulator knows them (the token's `sub` and `name`). */
export interface MemoryUser {
  /** User id (JWT `sub`). */
  userId: string;
  /** Display name (JWT `name`). */
  name: string;
  /** JWT `role`; `service` may read every room. */
  role?: string;
}

/** A message to seed into a room's history. */
export interface MemorySeedMessage {
  /** The author; null or absent for a notice. */
  sender?: MemoryUser | null;
  /** Text (normalised like a real send). */
  content: string;
  /** @default 'CHAT' with a sender, 'NOTIFICATION' without */
  type?: 'CHAT' | 'NOTIFICATION';
  /** When it was stored, epoch ms or ISO. @default now */
  createdAt?: number | string;
}

/** What {@link MemoryBackend.addRoom} takes. */
export interface MemoryRoomInit {
  /** The product (= room) id. */
  productId: string;
  /** Product title. */
  title: string;
  /** The cap. @default 10 */
  maxParticipants?: number;
  /** Buyers needed by the deadline. @default maxParticipants */
  minParticipants?: number;
  /** The deadline, epoch ms or ISO. @default three hours from now */
  expiresAt?: number | string;
  /** The seller's user id. @default null */
  hostId?: string | null;
  /** Start in this status (seeded rooms only). @default 'ACTIVE' */
  status?: RoomStatus;
  /** Buyers already in the deal (no SYSTEM messages are written for them). */
  participants?: MemoryUser[];
  /**
   * People with the chat already open, in that order (see {@link MemoryBackend.watch}); buyers may be among
   * them. A room seeded CLOSED or CANCELLED admits only its buyers and seller (others: ChatError FORBIDDEN).
   */
  viewers?: MemoryUser[];
  /** History, oldest first; gets seqs 1, 2, 3 … */
  messages?: MemorySeedMessage[];
}

/** Options of {@link createMemoryBackend}. */
export interface MemoryBackendOptions {
  /** The server's clock, epoch ms. @default Date.now */
  now?: () => number;
  /** How far the server's clock is ahead of `now()`, in ms (shows in `Date` headers and timestamps). @default 0 */
  clockSkewMs?: number;
  /** Delay of every REST answer, acknowledgement and delivered event, in ms. @default 0 */
  latencyMs?: number;
  /** Token bucket per user per room; `false` turns it off. @default { capacity: 10, refillMs: 10000 } */
  rateLimit?: { capacity: number; refillMs: number } | false;
}

/** A scripted deal for {@link MemoryBackend.playDeal}. */
export interface DealScript {
  /** Buyers who join one after another. @default generated names up to the cap */
  buyers?: MemoryUser[];
  /** Time between two steps, in ms. @default 1500 */
  stepMs?: number;
  /** Lines the joining buyers say, used in turn. */
  lines?: string[];
  /** Drop every connection after this many joins, for `offlineMs`. @default no drop */
  disconnectAfterJoins?: number;
  /** How long the simulated outage lasts, in ms. @default 3000 */
  offlineMs?: number;
}

/** A running {@link DealScript}. */
export interface DealPlayback {
  /** Stops the script (what happened stays). */
  stop(): void;
  /** Resolves when the script ran to its end or was stopped. */
  done: Promise<void>;
}

/** The simulator: hand `transport` and `fetch` to `createChatClient`, drive the rooms with the rest. */
export interface MemoryBackend {
  /** The `memory` transport factory. */
  readonly transport: TransportFactory;
  /** Answers the SDK's REST routes. */
  readonly fetch: typeof fetch;
  /** A base URL to pair with `fetch` (any URL works; only the path is read). */
  readonly baseUrl: string;
  /** The server's clock, epoch ms (includes `clockSkewMs` and `advance`). */
  now(): number;
  /** An unsigned JWT carrying `user` as claims; the simulator trusts it. */
  tokenFor(user: MemoryUser): string;
  /** Creates a room (or replaces a seeded one with the same id). */
  addRoom(init: MemoryRoomInit): Room;
  /** The room's snapshot, or null. */
  getRoom(productId: string): Room | null;
  /** Posts a CHAT as `sender` (or a NOTIFICATION when `sender` is null), under the room's rules. */
  post(productId: string, message: { sender: MemoryUser | null; content: string }): ChatMessage;
  /** Joins `user` as a buyer, under the cap; throws ChatError ROOM_NOT_ACTIVE / ROOM_FULL. */
  join(productId: string, user: MemoryUser): Room;
  /** Removes a buyer while ACTIVE. */
  leave(productId: string, userId: string): Room;
  /**
   * Opens the room's chat as `user` without a client, as another shopper's browser would: they are listed
   * by the viewers route (a watcher unless they are a buyer) until `unwatch`, or until the deal ends for a
   * watcher. Same read rule as a subscription (throws ChatError FORBIDDEN / ROOM_NOT_FOUND). Clients learn
   * of it on their next viewers refresh (a join or leave, a resubscribe, or their periodic poll).
   */
  watch(productId: string, user: MemoryUser): void;
  /** Closes the chat `watch` opened for `userId` (connections of real clients are untouched). */
  unwatch(productId: string, userId: string): void;
  /** Moves an ACTIVE room to CLOSED or CANCELLED (host or trade service decision). */
  setStatus(productId: string, status: 'CLOSED' | 'CANCELLED', reason?: CloseReason): Room;
  /** Moves the server clock forward by `ms` and settles the rooms whose deadline passed. */
  advance(ms: number): void;
  /** Drops every live connection; new ones fail (and, with `rest: true`, REST too) until `reconnect()`. */
  disconnect(options?: { rest?: boolean }): void;
  /** Lets connections through again. */
  reconnect(): void;
  /**
   * Refuses every token `tokenFor` handed out so far, as a server restarted with a new secret would: live
   * connections close with UNAUTHENTICATED and those tokens are refused from then on; tokens made after
   * the call are accepted.
   */
  expireTokens(): void;
  /** Holds every chat send back, unstored and unanswered, until `releaseSends()`: messages stay pending. */
  holdSends(): void;
  /** Stores and answers the held sends, in order. */
  releaseSends(): void;
  /** Refuses every send with `error` until called again with null. */
  failSends(error: ErrorInfo | null): void;
  /** Plays a short deal: buyers join one by one, chat, an optional outage, until the room leaves ACTIVE. */
  playDeal(productId: string, script?: DealScript): DealPlayback;
  /** Live connections made through `transport` now (simulated viewers from `watch` are not counted). */
  readonly connectionCount: number;
  /** Drops connections and timers. */
  dispose(): void;
}

interface RoomState {
  room: Room;
  messages: ChatMessage[];
  participants: Map<string, Participant>;
  /** clientMsgId per sender → stored message, for idempotent retries. */
  sent: Map<string, ChatMessage>;
  buckets: Map<string, { tokens: number; atMs: number }>;
}

interface Connection {
  user: MemoryUser;
  callbacks: TransportCallbacks;
  /** Subscribed room → when it was subscribed (a backend-wide counter), so viewers list in opening order. */
  rooms: Map<string, number>;
  closed: boolean;
}

const DEFAULT_BUYER_NAMES = ['하윤', 'Ethan', '지호', 'Noa', '서아', 'Liam', '예준', 'Zoe', '수아', 'Kai', '도하', 'Ivy'];
const DEFAULT_LINES = ['안녕하세요! 저도 참여할게요 🙌', 'Is the shipping included?', '배송은 언제쯤 시작되나요?', 'Count me in!'];

function base64UrlEncode(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function base64UrlDecode(text: string): string {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

function toMs(value: number | string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  return typeof value === 'number' ? value : Date.parse(value);
}

function errorOf(err: unknown): ChatError {
  return err instanceof ChatError ? err : new ChatError('INTERNAL', 'The simulator failed.', { cause: err });
}

/** Creates an in-memory backend. See {@link MemoryBackend}. */
export function createMemoryBackend(options: MemoryBackendOptions = {}): MemoryBackend {
  const clock = options.now ?? Date.now;
  const latencyMs = options.latencyMs ?? 0;
  const rateLimit = options.rateLimit === undefined ? { capacity: 10, refillMs: 10_000 } : options.rateLimit;
  let skewMs = options.clockSkewMs ?? 0;
  let down = false;
  let restDown = false;
  let holding = false;
  let sendFailure: ErrorInfo | null = null;
  let idCounter = 0;
  // Tokens from tokenFor carry the epoch they were made in; expireTokens() moves it on.
  let tokenEpoch = 0;
  const held: Array<() => void> = [];
  const rooms = new Map<string, RoomState>();
  const connections = new Set<Connection>();
  // Chats opened by `watch`, keyed by room and user: connections nobody reads from, outside `connections`
  // so outages and `connectionCount` concern real clients only.
  const simulated = new Map<string, Connection>();
  let subscriptionCounter = 0;
  const timers = new Set<ReturnType<typeof setTimeout>>();

  const now = (): number => clock() + skewMs;
  const iso = (ms: number): string => new Date(ms).toISOString();

  function later(fn: () => void, ms = latencyMs): void {
    // Timers with the same delay fire in the order they were set, so deliveries keep the store's order.
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  }

  function stateOf(productId: string): RoomState {
    const state = rooms.get(productId);
    if (!state) throw new ChatError('ROOM_NOT_FOUND', `There is no room for product ${productId}.`);
    return state;
  }

  function userFromToken(token: string | null | undefined): MemoryUser {
    const payload = token?.split('.')[1];
    if (payload) {
      try {
        const claims = JSON.parse(base64UrlDecode(payload)) as Record<string, unknown>;
        const sub = claims['sub'];
        const name = claims['name'];
        const exp = claims['exp'];
        if (typeof exp === 'number' && exp * 1000 <= now()) {
          throw new ChatError('UNAUTHENTICATED', 'Your session expired. Please sign in again.');
        }
        const epoch = claims['epoch'];
        if (typeof epoch === 'number' && epoch < tokenEpoch) {
          throw new ChatError('UNAUTHENTICATED', 'This token is no longer valid. Please sign in again.');
        }
        if (typeof sub === 'string' && sub.length > 0) {
          const role = claims['role'];
          return {
            userId: sub,
            name: typeof name === 'string' ? name : sub,
            ...(typeof role === 'string' ? { role } : {}),
          };
        }
      } catch (err) {
        if (err instanceof ChatError) throw err;
      }
    }
    throw new ChatError('UNAUTHENTICATED', 'Sign in to use the chat.');
  }

  function canRead(state: RoomState, user: MemoryUser): boolean {
    if (state.room.status === 'ACTIVE' || user.role === 'service') return true;
    return state.participants.has(user.userId) || state.room.hostId === user.userId;
  }

  function assertCanRead(state: RoomState, user: MemoryUser): void {
    if (!canRead(state, user)) {
      throw new ChatError('FORBIDDEN', 'This deal has ended; only its buyers and the seller can read the chat.');
    }
  }

  function snapshot(state: RoomState): Room {
    return { ...state.room };
  }

  function deliver(productId: string, event: ServerEvent, only?: Connection): void {
    for (const conn of only ? [only] : connections) {
      if (!conn.rooms.has(productId)) continue;
      later(() => {
        if (!conn.closed && conn.rooms.has(productId)) conn.callbacks.onEvent(event);
      });
    }
  }

  function store(state: RoomState, message: Omit<ChatMessage, 'id' | 'seq' | 'roomId' | 'createdAt'>, atMs = now()): ChatMessage {
    const seq = state.room.lastSeq + 1;
    const stored: ChatMessage = { id: `mem-${++idCounter}`, roomId: state.room.productId, seq, createdAt: iso(atMs), ...message };
    state.room.lastSeq = seq;
    state.messages.push(stored);
    deliver(state.room.productId, { type: 'message', roomId: state.room.productId, message: stored });
    return stored;
  }

  function system(state: RoomState, event: SystemEvent): ChatMessage {
    const { status, participantCount, maxParticipants } = state.room;
    const room = { status, participantCount, maxParticipants };
    return store(state, { type: 'SYSTEM', sender: null, content: systemText(event, room), event, room });
  }

  function settle(state: RoomState, status: 'CLOSED' | 'CANCELLED', reason: CloseReason): void {
    if (state.room.status !== 'ACTIVE') return;
    state.room.status = status;
    state.room.closedAt = iso(now());
    system(state, { type: status, reason });
    // Watchers lose the room when it leaves ACTIVE, as on the real server.
    for (const conn of connections) {
      const keeps = state.participants.has(conn.user.userId) || state.room.hostId === conn.user.userId || conn.user.role === 'service';
      if (conn.rooms.has(state.room.productId) && !keeps) {
        deliver(state.room.productId, {
          type: 'subscription-ended',
          roomId: state.room.productId,
          error: { code: 'FORBIDDEN', message: 'The deal ended; only its buyers and the seller stay in the chat.' },
        }, conn);
        later(() => conn.rooms.delete(state.room.productId));
      }
    }
    for (const [key, conn] of simulated) {
      const keeps = state.participants.has(conn.user.userId) || state.room.hostId === conn.user.userId || conn.user.role === 'service';
      if (conn.rooms.has(state.room.productId) && !keeps) simulated.delete(key);
    }
  }

  // As the server's hub: every user with a live subscription, once, in the order they opened the chat;
  // the trade service reads along but is nobody's fellow shopper.
  function viewersOf(productId: string): Viewer[] {
    const subs: Array<{ at: number; user: MemoryUser }> = [];
    for (const conn of [...connections, ...simulated.values()]) {
      const at = conn.rooms.get(productId);
      if (at !== undefined && !conn.closed && conn.user.role !== 'service') subs.push({ at, user: conn.user });
    }
    subs.sort((a, b) => a.at - b.at);
    const seen = new Map<string, Viewer>();
    for (const { user } of subs) {
      if (!seen.has(user.userId)) seen.set(user.userId, { userId: user.userId, name: user.name.slice(0, LIMITS.nameMaxChars) });
    }
    return [...seen.values()];
  }

  function watchAs(state: RoomState, user: MemoryUser): void {
    const key = `${state.room.productId}\n${user.userId}`;
    if (simulated.has(key)) return;
    const conn: Connection = { user, callbacks: { onOpen() {}, onEvent() {}, onClose() {} }, rooms: new Map(), closed: false };
    subscribe(conn, { type: 'subscribe', roomId: state.room.productId });
    simulated.set(key, conn);
  }

  function settleDue(): void {
    for (const state of rooms.values()) {
      const { room } = state;
      if (room.status === 'ACTIVE' && Date.parse(room.expiresAt) <= now()) {
        settle(state, room.participantCount >= room.minParticipants ? 'CLOSED' : 'CANCELLED', 'DEADLINE');
      }
    }
    scheduleDeadlines();
  }

  let deadlineTimer: ReturnType<typeof setTimeout> | undefined;
  function scheduleDeadlines(): void {
    if (deadlineTimer !== undefined) clearTimeout(deadlineTimer);
    deadlineTimer = undefined;
    let next = Infinity;
    for (const { room } of rooms.values()) {
      if (room.status === 'ACTIVE') next = Math.min(next, Date.parse(room.expiresAt));
    }
    if (next === Infinity) return;
    // setTimeout overflows past 2^31-1 ms; a far deadline is simply re-checked later.
    deadlineTimer = setTimeout(settleDue, Math.min(Math.max(next - now(), 0), 2 ** 31 - 1));
  }

  function joinUser(state: RoomState, user: MemoryUser): { room: Room; joined: boolean } {
    if (state.participants.has(user.userId)) return { room: snapshot(state), joined: false };
    if (state.room.status !== 'ACTIVE') throw new ChatError('ROOM_NOT_ACTIVE', 'This deal is not open for joining any more.');
    if (state.room.participantCount >= state.room.maxParticipants) throw new ChatError('ROOM_FULL', 'This deal is full.');
    const name = user.name.slice(0, LIMITS.nameMaxChars);
    state.participants.set(user.userId, { userId: user.userId, name, joinedAt: iso(now()) });
    state.room.participantCount += 1;
    system(state, { type: 'JOINED', userId: user.userId, name });
    if (state.room.participantCount >= state.room.maxParticipants) settle(state, 'CLOSED', 'FILLED');
    return { room: snapshot(state), joined: true };
  }

  function leaveUser(state: RoomState, userId: string): { room: Room; left: boolean } {
    if (state.room.status !== 'ACTIVE') throw new ChatError('ROOM_NOT_ACTIVE', 'Buyers can leave only while the deal is open.');
    const participant = state.participants.get(userId);
    if (!participant) return { room: snapshot(state), left: false };
    state.participants.delete(userId);
    state.room.participantCount -= 1;
    system(state, { type: 'LEFT', userId, name: participant.name });
    return { room: snapshot(state), left: true };
  }

  function assertCanPost(state: RoomState, user: MemoryUser): void {
    const { status, hostId } = state.room;
    if (status === 'CANCELLED') throw new ChatError('ROOM_NOT_ACTIVE', 'This deal was cancelled; the chat is read-only.');
    if (status === 'CLOSED' && !state.participants.has(user.userId) && hostId !== user.userId && user.role !== 'service') {
      throw new ChatError('FORBIDDEN', 'This deal has closed; only its buyers and the seller can chat.');
    }
  }

  function takeToken(state: RoomState, userId: string): void {
    if (!rateLimit) return;
    const perMs = rateLimit.capacity / rateLimit.refillMs;
    const t = now();
    const bucket = state.buckets.get(userId) ?? { tokens: rateLimit.capacity, atMs: t };
    bucket.tokens = Math.min(rateLimit.capacity, bucket.tokens + (t - bucket.atMs) * perMs);
    bucket.atMs = t;
    state.buckets.set(userId, bucket);
    if (bucket.tokens < 1) {
      const retryAfterMs = Math.ceil((1 - bucket.tokens) / perMs);
      throw new ChatError('RATE_LIMITED', 'You are sending messages too fast.', { retryAfterMs });
    }
    bucket.tokens -= 1;
  }

  function sendChat(conn: Connection, command: Extract<ClientCommand, { type: 'send' }>): Ack {
    const state = stateOf(assertProductId(command.roomId));
    const content = normalizeContent(command.content);
    const clientMsgId = parseClientMsgId(command.clientMsgId);
    const key = `${conn.user.userId}\n${clientMsgId}`;
    const earlier = clientMsgId === undefined ? undefined : state.sent.get(key);
    if (earlier) {
      // A retry of a stored message: the sender alone gets it again, nobody sees a duplicate.
      deliver(state.room.productId, { type: 'message', roomId: state.room.productId, message: earlier }, conn);
      return { ok: true, message: earlier };
    }
    assertCanPost(state, conn.user);
    if (sendFailure) throw ChatError.fromInfo(sendFailure);
    takeToken(state, conn.user.userId);
    const message = store(state, {
      type: 'CHAT',
      sender: { userId: conn.user.userId, name: conn.user.name },
      content,
      ...(clientMsgId === undefined ? {} : { clientMsgId }),
    });
    if (clientMsgId !== undefined) state.sent.set(key, message);
    return { ok: true, message };
  }

  function subscribe(conn: Connection, command: Extract<ClientCommand, { type: 'subscribe' }>): Ack {
    const state = stateOf(assertProductId(command.roomId));
    assertCanRead(state, conn.user);
    if (conn.rooms.size >= LIMITS.subscriptionsPerConnection && !conn.rooms.has(state.room.productId)) {
      throw new ChatError('INVALID_INPUT', `A connection can follow at most ${LIMITS.subscriptionsPerConnection} rooms.`);
    }
    if (!conn.rooms.has(state.room.productId)) conn.rooms.set(state.room.productId, ++subscriptionCounter);
    if (command.sinceSeq !== undefined) {
      const missed = state.messages.filter((m) => m.seq > (command.sinceSeq ?? 0));
      if (missed.length > LIMITS.replayWindow) {
        deliver(state.room.productId, { type: 'replay-truncated', roomId: state.room.productId, sinceSeq: command.sinceSeq, lastSeq: state.room.lastSeq }, conn);
      } else {
        for (const message of missed) deliver(state.room.productId, { type: 'message', roomId: state.room.productId, message }, conn);
      }
    }
    return { ok: true, room: snapshot(state) };
  }

  function handle(conn: Connection, command: ClientCommand): Ack {
    try {
      switch (command.type) {
        case 'subscribe':
          return subscribe(conn, command);
        case 'unsubscribe':
          conn.rooms.delete(command.roomId);
          return { ok: true };
        case 'send':
          return sendChat(conn, command);
      }
    } catch (err) {
      return { ok: false, error: errorOf(err).toInfo() };
    }
  }

  const transport: TransportFactory = (context: TransportContext): Transport => {
    let conn: Connection | null = null;
    let closed = false;
    return {
      name: 'memory',
      open(callbacks) {
        later(() => {
          if (closed) return;
          if (down) {
            closed = true;
            callbacks.onClose({ reason: 'memory backend is offline' });
            return;
          }
          let user: MemoryUser;
          try {
            user = userFromToken(context.token);
          } catch (err) {
            closed = true;
            callbacks.onClose({ error: errorOf(err).toInfo(), reason: 'refused' });
            return;
          }
          conn = { user, callbacks, rooms: new Map(), closed: false };
          connections.add(conn);
          callbacks.onOpen();
        });
      },
      send(command) {
        return new Promise<Ack>((resolve, reject) => {
          const current = conn;
          if (!current || current.closed) {
            reject(new Error('memory transport is not open'));
            return;
          }
          const run = (): void => {
            if (current.closed) {
              reject(new Error('memory transport closed before the acknowledgement'));
              return;
            }
            const ack = handle(current, command);
            // The stored message is delivered first (as on STOMP), then the acknowledgement.
            later(() => (current.closed ? reject(new Error('memory transport closed before the acknowledgement')) : resolve(ack)));
          };
          if (holding && command.type === 'send') held.push(run);
          else run();
        });
      },
      close() {
        closed = true;
        if (conn) {
          conn.closed = true;
          connections.delete(conn);
        }
      },
    };
  };

  function json(status: number, body: unknown): Response {
    return new Response(body === null ? null : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', date: new Date(now()).toUTCString() },
    });
  }

  // The routes of packages/server/src/routes/rooms.ts that a shopper's client calls, with the same shapes.
  function route(method: string, path: string, query: URLSearchParams, token: string | null): Response {
    const user = userFromToken(token);
    const m = /^\/api\/chat\/rooms\/([^/]+)(\/messages|\/participants|\/participants\/me|\/viewers)?$/.exec(path);
    if (!m) throw new ChatError('NOT_FOUND', `Nothing at ${method} ${path}.`);
    const state = stateOf(assertProductId(decodeURIComponent(m[1] ?? '')));
    const sub = m[2] ?? '';
    if (method === 'GET' && sub === '') return json(200, snapshot(state));
    if (method === 'GET' && sub === '/messages') {
      assertCanRead(state, user);
      return json(200, page(state, Object.fromEntries(query)));
    }
    if (method === 'GET' && sub === '/participants') {
      assertCanRead(state, user);
      return json(200, { participants: [...state.participants.values()] });
    }
    if (method === 'GET' && sub === '/viewers') {
      assertCanRead(state, user);
      const body: ViewerList = { viewers: viewersOf(state.room.productId) };
      return json(200, body);
    }
    if (method === 'POST' && sub === '/participants') {
      if (user.role === 'service') throw new ChatError('FORBIDDEN', 'The trade service cannot join a deal.');
      const { room, joined } = joinUser(state, user);
      return json(joined ? 201 : 200, room);
    }
    if (method === 'DELETE' && sub === '/participants/me') return json(200, leaveUser(state, user.userId).room);
    throw new ChatError('NOT_FOUND', `Nothing at ${method} ${path}.`);
  }

  function page(state: RoomState, raw: Record<string, unknown>): MessagePage {
    const q = parseHistoryQuery(raw);
    const all = state.messages;
    if (q.after !== undefined) {
      const newer = all.filter((msg) => msg.seq > (q.after ?? 0) && (q.before === undefined || msg.seq < q.before));
      return { messages: newer.slice(0, q.limit), hasMore: newer.length > q.limit };
    }
    const older = q.before === undefined ? all : all.filter((msg) => msg.seq < (q.before ?? 0));
    return { messages: older.slice(-q.limit), hasMore: older.length > q.limit };
  }

  const memoryFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    await new Promise<void>((resolve) => later(resolve));
    if (restDown) throw new TypeError('Failed to fetch (memory backend is offline)');
    const url = new URL(request.url);
    const auth = request.headers.get('authorization');
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : url.searchParams.get('token');
    try {
      return route(request.method.toUpperCase(), url.pathname, url.searchParams, token);
    } catch (err) {
      const error = errorOf(err);
      return json(HTTP_STATUS[error.code], { error: error.toInfo() });
    }
  };

  function dropAll(): void {
    for (const conn of [...connections]) {
      conn.closed = true;
      connections.delete(conn);
      const { callbacks } = conn;
      later(() => callbacks.onClose({ reason: 'memory backend dropped the connection' }), 0);
    }
  }

  const backend: MemoryBackend = {
    transport,
    fetch: memoryFetch as typeof fetch,
    baseUrl: 'http://memory.invalid',
    now,
    tokenFor(user) {
      const header = base64UrlEncode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
      const claims = base64UrlEncode(JSON.stringify({ sub: user.userId, name: user.name, ...(user.role ? { role: user.role } : {}), epoch: tokenEpoch }));
      return `${header}.${claims}.`;
    },
    addRoom(init) {
      const t = now();
      const max = init.maxParticipants ?? 10;
      const state: RoomState = {
        room: {
          productId: assertProductId(init.productId),
          title: init.title,
          status: init.status ?? 'ACTIVE',
          maxParticipants: max,
          minParticipants: init.minParticipants ?? max,
          participantCount: 0,
          expiresAt: iso(toMs(init.expiresAt, t + 3 * 3_600_000)),
          createdAt: iso(t - 86_400_000),
          closedAt: init.status && init.status !== 'ACTIVE' ? iso(t) : null,
          hostId: init.hostId ?? null,
          lastSeq: 0,
        },
        messages: [],
        participants: new Map(),
        sent: new Map(),
        buckets: new Map(),
      };
      for (const user of init.participants ?? []) {
        state.participants.set(user.userId, { userId: user.userId, name: user.name, joinedAt: iso(t - 3_600_000) });
      }
      state.room.participantCount = state.participants.size;
      for (const seed of init.messages ?? []) {
        const sender = seed.sender ?? null;
        store(state, {
          type: seed.type ?? (sender ? 'CHAT' : 'NOTIFICATION'),
          sender: sender && { userId: sender.userId, name: sender.name },
          content: normalizeContent(seed.content),
        }, toMs(seed.createdAt, t));
      }
      for (const key of [...simulated.keys()]) if (key.startsWith(`${state.room.productId}\n`)) simulated.delete(key);
      rooms.set(state.room.productId, state);
      for (const user of init.viewers ?? []) watchAs(state, user);
      scheduleDeadlines();
      return snapshot(state);
    },
    getRoom(productId) {
      const state = rooms.get(productId);
      return state ? snapshot(state) : null;
    },
    post(productId, { sender, content }) {
      const state = stateOf(productId);
      if (sender) assertCanPost(state, sender);
      return store(state, {
        type: sender ? 'CHAT' : 'NOTIFICATION',
        sender: sender && { userId: sender.userId, name: sender.name },
        content: normalizeContent(content),
      });
    },
    join(productId, user) {
      return joinUser(stateOf(productId), user).room;
    },
    leave(productId, userId) {
      return leaveUser(stateOf(productId), userId).room;
    },
    watch(productId, user) {
      watchAs(stateOf(productId), user);
    },
    unwatch(productId, userId) {
      simulated.delete(`${productId}\n${userId}`);
    },
    setStatus(productId, status, reason = 'HOST') {
      const state = stateOf(productId);
      settle(state, status, reason);
      scheduleDeadlines();
      return snapshot(state);
    },
    advance(ms) {
      skewMs += ms;
      settleDue();
    },
    disconnect(opts) {
      down = true;
      restDown = opts?.rest ?? false;
      dropAll();
    },
    reconnect() {
      down = false;
      restDown = false;
    },
    expireTokens() {
      tokenEpoch += 1;
      for (const conn of [...connections]) {
        conn.closed = true;
        connections.delete(conn);
        const { callbacks } = conn;
        const error = { code: 'UNAUTHENTICATED' as const, message: 'This token is no longer valid. Please sign in again.' };
        later(() => callbacks.onClose({ error, reason: 'token refused' }), 0);
      }
    },
    holdSends() {
      holding = true;
    },
    releaseSends() {
      holding = false;
      for (const run of held.splice(0)) run();
    },
    failSends(error) {
      sendFailure = error;
    },
    playDeal(productId, script = {}) {
      const state = stateOf(productId);
      const stepMs = script.stepMs ?? 1500;
      const lines = script.lines ?? DEFAULT_LINES;
      const free = state.room.maxParticipants - state.room.participantCount;
      const buyers =
        script.buyers ??
        Array.from({ length: free }, (_, i) => ({ userId: `deal-buyer-${i + 1}`, name: DEFAULT_BUYER_NAMES[i % DEFAULT_BUYER_NAMES.length] ?? `Buyer ${i + 1}` }));
      let stopped = false;
      let finish: () => void = () => undefined;
      const done = new Promise<void>((resolve) => (finish = resolve));
      const steps: Array<() => void> = [];
      buyers.forEach((buyer, i) => {
        steps.push(() => backend.join(productId, buyer));
        const line = lines[i % Math.max(lines.length, 1)];
        if (line && state.room.status === 'ACTIVE') steps.push(() => backend.post(productId, { sender: buyer, content: line }));
        if (script.disconnectAfterJoins === i + 1) {
          steps.push(() => {
            backend.disconnect();
            later(() => backend.reconnect(), script.offlineMs ?? 3000);
          });
        }
      });
      const run = (i: number): void => {
        if (stopped || i >= steps.length || state.room.status !== 'ACTIVE') {
          finish();
          return;
        }
        try {
          steps[i]?.();
        } catch {
          // A step the room refuses (it closed meanwhile) ends the script like the real deal would.
        }
        later(() => run(i + 1), stepMs);
      };
      later(() => run(0), stepMs);
      return {
        stop() {
          stopped = true;
          finish();
        },
        done,
      };
    },
    get connectionCount() {
      return connections.size;
    },
    dispose() {
      dropAll();
      simulated.clear();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      if (deadlineTimer !== undefined) clearTimeout(deadlineTimer);
    },
  };
  return backend;
}
