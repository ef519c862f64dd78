import { ChatError, parseSendBody, type ChatMessage, type ErrorInfo, type Room } from '@groupbuy/protocol';
import type { TransportFactory } from '@groupbuy/sdk';
import {
  DEFAULT_RATE_LIMIT,
  MemoryStore,
  TokenVerifier,
  assembleCore,
  signToken,
  type ConnectionSession,
  type HubSubscription,
  type JwtConfig,
  type Principal,
  type RateLimit,
  type ServerCore,
} from '@groupbuy/server/core';
import { createTestClock, type TestClock } from './clock.js';
import { Faults } from './faults.js';
import { inProcessTransport } from './in-process-transport.js';
import { seedRoom, type RoomSeed, type TestUser } from './seed.js';

/** Options of {@link createInProcessServer}. */
export interface InProcessServerOptions {
  /** The server's clock. @default a {@link TestClock} `clockSkewMs` ahead of this machine */
  clock?: TestClock;
  /** How far the server's clock runs ahead of this machine's, in ms (ignored with `clock`). @default 0 */
  clockSkewMs?: number;
  /** Delay of every REST answer, acknowledgement and delivered event, in ms. @default 0 */
  latencyMs?: number;
  /** Messages per user per room; `false` for no limit. @default the server's DEFAULT_RATE_LIMIT */
  rateLimit?: RateLimit | false;
  /** Lifetime of the tokens {@link InProcessServer.tokenFor} mints, in s. @default 30 days (a story may scrub far) */
  tokenTtlSeconds?: number;
}

/**
 * The reference server's real core (RoomService, Hub, DeadlineScheduler, the Hono API routes, HS256 tokens)
 * on an in-memory store, bus and presence, in this page or process. Hand `transport`, `fetch` and
 * `baseUrl` to `createChatClient`; drive rooms with the rest. Every driver call goes through the same
 * service a REST request would, so what a story shows is what a shopper would see.
 */
export interface InProcessServer {
  /** The core itself (service, hub, scheduler, store, api …), for what the driver does not cover. */
  readonly core: ServerCore;
  /** The server's clock: `advance(ms)` scrubs time, see {@link InProcessServer.advance}. */
  readonly clock: TestClock;
  /** The SDK transport into this core (one `ConnectionSession` per connection, no socket). */
  readonly transport: TransportFactory;
  /** Answers REST and SSE with the server's own Hono routes (`app.fetch`), with a `Date` from the clock. */
  readonly fetch: typeof fetch;
  /** A base URL to pair with `fetch`, unique to this server (on `.invalid`, so the SDK persists no outbox). */
  readonly baseUrl: string;
  /** The server's time, epoch ms. */
  now(): number;
  /** A real HS256 token for `user`, signed with the server's current secret; `ttlSeconds` overrides the default. */
  tokenFor(user: TestUser, options?: { ttlSeconds?: number }): Promise<string>;
  /** Writes a room and its history (see {@link RoomSeed}) and opens its `viewers`' chats. */
  addRoom(seed: RoomSeed): Promise<Room>;
  /** The room, or null. */
  getRoom(productId: string): Promise<Room | null>;
  /** Posts a CHAT as `sender` under the room's rules, or, with `sender: null`, a NOTIFICATION from the trade service. */
  post(productId: string, message: { sender: TestUser | null; content: string }): Promise<ChatMessage>;
  /** Joins `user` as a buyer (ChatError ROOM_FULL, ROOM_NOT_ACTIVE …, as on the server). */
  join(productId: string, user: TestUser): Promise<Room>;
  /** Removes the buyer `userId` while the deal is ACTIVE. */
  leave(productId: string, userId: string): Promise<Room>;
  /** Closes or cancels the deal as the trade service (reason HOST). */
  setStatus(productId: string, status: 'CLOSED' | 'CANCELLED'): Promise<Room>;
  /**
   * Opens the room's chat as `user` without a client, as another shopper's browser would: they are listed
   * by the viewers route until `unwatch`, or until the deal ends for a watcher (the hub ends it). Refused
   * like any subscription (ChatError FORBIDDEN, ROOM_NOT_FOUND).
   */
  watch(productId: string, user: TestUser): Promise<void>;
  /** Closes the chat `watch` opened. */
  unwatch(productId: string, userId: string): void;
  /** Moves the server clock forward by `ms`; the scheduler settles every deal whose deadline passed, then re-arms. */
  advance(ms: number): Promise<void>;
  /** Cuts every live connection; new ones fail (and, with `rest: true`, REST too) until {@link reconnect}. */
  disconnect(options?: { rest?: boolean }): void;
  /** Lets connections and REST through again. */
  reconnect(): void;
  /**
   * Refuses every token minted so far, as a server restarted with a new secret would: live connections end
   * with UNAUTHENTICATED, REST and new connections refuse the old tokens; tokens minted after the call work.
   */
  expireTokens(): void;
  /** Holds every chat send back, unstored and unanswered, until {@link releaseSends}: messages stay pending. */
  holdSends(): void;
  /** Runs the held sends, in order. */
  releaseSends(): void;
  /** Refuses every chat send with `error` until called again with null. */
  failSends(error: ErrorInfo | null): void;
  /** Live connections made through `transport` (and any other registered with the hub). */
  readonly connectionCount: number;
  /** Ends every connection, stops the scheduler and forgets everything. */
  dispose(): Promise<void>;
}

const SERVICE: Principal = { userId: 'trade-service', name: 'Trade service', role: 'service', expiresAtMs: Number.MAX_SAFE_INTEGER };
// A limit no story or test reaches, for `rateLimit: false` (the limiter itself needs capacity ≥ 1).
const UNLIMITED: RateLimit = { capacity: Number.MAX_SAFE_INTEGER, refillMs: 1 };
let servers = 0;

function newSecret(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes));
}

function principalOf(user: TestUser): Principal {
  return { userId: user.userId, name: user.name, role: user.role ?? 'user', expiresAtMs: Number.MAX_SAFE_INTEGER };
}

/**
 * Checks tokens against the server's current secret: {@link InProcessServer.expireTokens} swaps it, as a
 * restart with a new JWT_SECRET would. The real verifier does the checking.
 */
class RotatingVerifier extends TokenVerifier {
  private inner: TokenVerifier;
  private builtFor: string | undefined;

  constructor(private readonly jwt: JwtConfig) {
    super(jwt);
    this.inner = new TokenVerifier(jwt);
    this.builtFor = jwt.secret;
  }

  /** Verifies with the current secret. */
  override verify(token: string | null | undefined): Promise<Principal> {
    if (this.builtFor !== this.jwt.secret) {
      this.inner = new TokenVerifier({ ...this.jwt });
      this.builtFor = this.jwt.secret;
    }
    return this.inner.verify(token);
  }
}

/** Starts an in-process server; see {@link InProcessServer}. */
export function createInProcessServer(options: InProcessServerOptions = {}): InProcessServer {
  const clock = options.clock ?? createTestClock({ offsetMs: options.clockSkewMs ?? 0 });
  const faults = new Faults(options.latencyMs ?? 0);
  const jwt: JwtConfig = { secret: newSecret() };
  const rateLimit = options.rateLimit === false ? UNLIMITED : (options.rateLimit ?? DEFAULT_RATE_LIMIT);
  const core = assembleCore({ store: new MemoryStore(), jwt, verifier: new RotatingVerifier(jwt), clock, rateLimit, dev: true });
  const sessions = new Set<ConnectionSession>();
  const watchers = new Map<string, HubSubscription>();
  const ttlSeconds = options.tokenTtlSeconds ?? 30 * 24 * 3600;
  const baseUrl = `http://server-${++servers}.groupbuy.invalid`;
  let scheduling = core.scheduler.start();

  const delay = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, faults.latencyMs));

  const inProcessFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    await delay();
    if (faults.restOffline) throw new TypeError('Failed to fetch (the in-process server is offline)');
    const response = await core.api.fetch(request);
    // node:http adds a Date header to every answer; the SDK reads the server's clock from it.
    const headers = new Headers(response.headers);
    if (!headers.has('date')) headers.set('date', new Date(clock.now()).toUTCString());
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };

  const server: InProcessServer = {
    core,
    clock,
    transport: inProcessTransport(core.realtime, faults, sessions),
    fetch: inProcessFetch,
    baseUrl,
    now: () => clock.now(),
    async tokenFor(user, tokenOptions) {
      const claims = {
        userId: user.userId,
        name: user.name,
        role: user.role ?? 'user',
        ttlSeconds: tokenOptions?.ttlSeconds ?? ttlSeconds,
      };
      return (await signToken(jwt, claims)).token;
    },
    async addRoom(seed) {
      const room = await seedRoom(core.store, seed, clock.now());
      if (room.status === 'ACTIVE') core.scheduler.consider(Date.parse(room.expiresAt));
      for (const viewer of seed.viewers ?? []) await server.watch(room.productId, viewer);
      return room;
    },
    getRoom: (productId) => core.store.getRoom(productId),
    async post(productId, { sender, content }) {
      if (!sender) return core.service.notify(SERVICE, productId, { content });
      return (await core.service.post(principalOf(sender), productId, parseSendBody({ content }))).message;
    },
    async join(productId, user) {
      return (await core.service.join(principalOf(user), productId)).room;
    },
    async leave(productId, userId) {
      return (await core.service.leave(principalOf({ userId, name: userId }), productId)).room;
    },
    setStatus: (productId, status) => core.service.settleByHost(SERVICE, productId, status),
    async watch(productId, user) {
      const key = `${productId}\n${user.userId}`;
      if (watchers.has(key)) return;
      const forget = (): void => void watchers.delete(key);
      const sub = await core.hub.subscribe(principalOf(user), productId, undefined, {
        deliver: () => undefined,
        replayTruncated: () => undefined,
        viewers: () => undefined,
        ended: forget,
      });
      watchers.set(key, sub);
    },
    unwatch(productId, userId) {
      const key = `${productId}\n${userId}`;
      const sub = watchers.get(key);
      watchers.delete(key);
      if (sub) core.hub.unsubscribe(sub);
    },
    async advance(ms) {
      clock.advance(ms);
      // The scheduler's timer was armed on the old time; a restart settles what is due now and re-arms.
      await scheduling;
      await core.scheduler.stop();
      scheduling = core.scheduler.start();
      await scheduling;
    },
    disconnect(disconnectOptions) {
      faults.offline = true;
      faults.restOffline = disconnectOptions?.rest ?? false;
      core.hub.dropConnections();
    },
    reconnect() {
      faults.offline = false;
      faults.restOffline = false;
    },
    expireTokens() {
      jwt.secret = newSecret();
      const error = new ChatError('UNAUTHENTICATED', 'This token is no longer valid. Please sign in again.');
      for (const session of [...sessions]) session.end(error);
    },
    holdSends: () => faults.holdSends(),
    releaseSends: () => faults.releaseSends(),
    failSends(error) {
      faults.sendFailure = error;
    },
    get connectionCount() {
      return core.hub.connectionCount;
    },
    async dispose() {
      for (const session of [...sessions]) session.end({ code: 'UNAVAILABLE', message: 'The in-process server was disposed.' });
      sessions.clear();
      await core.scheduler.stop();
      core.hub.closeAll({ code: 'UNAVAILABLE', message: 'The in-process server was disposed.' });
      await core.store.close();
    },
  };
  return server;
}
