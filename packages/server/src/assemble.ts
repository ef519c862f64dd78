import type { Hono } from 'hono';
import { createApiApp } from './api.js';
import { Readiness } from './health/readiness.js';
import { TokenVerifier, type JwtConfig } from './auth/jwt.js';
import { MemoryBus } from './bus/memory.js';
import type { MessageBus } from './bus/types.js';
import { silentLogger, type Logger } from './logger-core.js';
import { Metrics } from './metrics.js';
import type { MetricsAccess } from './routes/metrics.js';
import { LocalPresence, type PresenceStore } from './presence/types.js';
import type { RealtimeContext } from './realtime/context.js';
import { SLOW_CONSUMER_BYTES } from './realtime/slow-consumer.js';
import { Hub } from './realtime/hub.js';
import type { AnonymousFeedLimits } from './realtime/context.js';
import { DEFAULT_RATE_LIMIT, RateLimiter, frameLimitFor, type Limiter, type RateLimit } from './rooms/rate-limit.js';
import { DeadlineScheduler } from './rooms/scheduler.js';
import { ADDRESS_PURGE_EVERY_MS, DEFAULT_ADDRESS_RETENTION_DAYS } from './addresses/book.js';
import { RoomService, systemClock, type Clock } from './rooms/service.js';
import type { ChatStore } from './stores/types.js';
import type { AutoSlowMode } from '@groupbuy/protocol';
import type { AttachmentModule, Startable } from './attachments/types.js';
import type { PiiGuardMode } from './rooms/pii-guard.js';
import type { ChatCooldowns } from './rooms/moderation.js';

/** What {@link assembleCore} wires together; only the store and the token config are required. */
export interface CoreOptions {
  /** Storage. */
  store: ChatStore;
  /** How tokens are checked (and, with a secret, minted in dev mode). */
  jwt: JwtConfig;
  /** Checks tokens. @default new TokenVerifier(jwt, logger) */
  verifier?: TokenVerifier;
  /** Fan-out between instances. @default new MemoryBus() */
  bus?: MessageBus;
  /** Who is watching, across instances. @default new LocalPresence() */
  presence?: PresenceStore;
  /** Time for the rules, the rate limits, token expiry and deadlines. @default systemClock */
  clock?: Clock;
  /** Messages per user per room. @default DEFAULT_RATE_LIMIT */
  rateLimit?: RateLimit;
  /** Enforces `rateLimit` (the cluster-wide one with Redis). @default new RateLimiter(rateLimit, clock), this process only */
  rateLimiter?: Limiter;
  /** Slow mode's cooldowns (the cluster-wide ones with Redis). @default this process only */
  cooldowns?: ChatCooldowns;
  /** Structured logs. @default silentLogger */
  logger?: Logger;
  /** Counters. @default new Metrics() */
  metrics?: Metrics;
  /** Who may read `GET /metrics` on the API app (METRICS_TOKEN / METRICS_PORT). @default 'open' */
  metricsAccess?: MetricsAccess;
  /** STOMP heart-beat, in ms. @default 10000 */
  heartbeatMs?: number;
  /** Bytes that may wait to be sent to one connection before it is cut. @default SLOW_CONSUMER_BYTES (4 MiB) */
  slowConsumerBytes?: number;
  /** Automatic slow mode near a busy deadline (issue 11, SLOW_MODE_AUTO). @default off */
  slowModeAuto?: AutoSlowMode;
  /** PII guard on chat text (issue 11, PII_GUARD). @default 'mask' */
  piiGuard?: PiiGuardMode;
  /** Days an ended room's shipping addresses are kept before the scheduler deletes them (issue 11, ADDRESS_RETENTION_DAYS). @default 30 */
  addressRetentionDays?: number;
  /** Caps on signed-out SSE readers. @default DEFAULT_ANONYMOUS_FEED_LIMITS */
  anonymousFeedLimits?: AnonymousFeedLimits;
  /** Enables `POST /api/dev/token`. Never in production. @default false */
  dev?: boolean;
  /** Attachments (issue 12): product photos in messages; off when unset (startServer sets it). */
  attachments?: AttachmentModule;
  /** Checks a browser Origin against the allow-list. @default every origin */
  isOriginAllowed?: (origin: string | undefined, host: string | undefined) => boolean;
}

/** The server's core, wired: what every transport and the HTTP server are built on. */
export interface ServerCore {
  /** Storage. */
  readonly store: ChatStore;
  /** Fan-out. */
  readonly bus: MessageBus;
  /** Who is watching. */
  readonly presence: PresenceStore;
  /** Time. */
  readonly clock: Clock;
  /** Token checks. */
  readonly verifier: TokenVerifier;
  /** The room rules, the lifecycle, the rate limit. */
  readonly service: RoomService;
  /** Subscriptions and connections. */
  readonly hub: Hub;
  /** Settles rooms at their deadline; `start()` it once the core is wired into a server. */
  readonly scheduler: DeadlineScheduler;
  /** What the realtime endpoints (and the connection loop) are handed. */
  readonly realtime: RealtimeContext;
  /** Counters. */
  readonly metrics: Metrics;
  /** The REST/SSE routes as a Hono app (no files, no Node built-ins): `api.fetch(request)`. */
  readonly api: Hono;
  /** What `/readyz` reports (store and bus pings); `markShuttingDown()` it when a shutdown starts. */
  readonly readiness: Readiness;
  /** Removes uploads never sent (attachments on only); `start()` it with the scheduler. */
  readonly attachmentSweeper: Startable | null;
}

/**
 * Wires the core the same way for the reference server (server.ts adds HTTP, sockets and files) and for
 * the in-process server of `@groupbuy/testing`, so both run one assembly of the same rules.
 */
export function assembleCore(options: CoreOptions): ServerCore {
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const { jwt } = options;
  const attach = options.attachments;
  const attachDeps = { jwtSecret: jwt.secret, now: () => clock.now(), logger };
  const store = attach ? attach.wrapStore(options.store, attachDeps) : options.store;
  const bus = options.bus ?? new MemoryBus();
  const presence = options.presence ?? new LocalPresence();
  const metrics = options.metrics ?? new Metrics();
  const verifier = options.verifier ?? new TokenVerifier(jwt, logger);
  const rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
  const rateLimiter = options.rateLimiter ?? new RateLimiter(rateLimit, () => clock.now());
  const frameLimiter = new RateLimiter(frameLimitFor(rateLimit), () => clock.now());
  let scheduler: DeadlineScheduler | null = null;
  const service = new RoomService({
    store,
    bus,
    clock,
    rateLimiter,
    logger,
    metrics,
    onRoomCreated: (room) => scheduler?.consider(Date.parse(room.expiresAt)),
    deliverLocally: (roomId, message) => hub.deliverLocal(roomId, message),
    moderation: {
      autoSlowMode: options.slowModeAuto ?? null,
      ...(options.cooldowns ? { cooldowns: options.cooldowns } : {}),
      // Private notices (issue 11) reach the user's connections on every instance, like read positions.
      notifyUser: (roomId, userId, notice) => void hub.publishEphemeral({ type: 'notice', roomId, userId, notice }),
    },
    piiGuard: options.piiGuard ?? 'mask',
  });
  const retentionDays = options.addressRetentionDays ?? DEFAULT_ADDRESS_RETENTION_DAYS;
  scheduler = new DeadlineScheduler(store, () => service.settleDue(), clock, logger, {
    run: () => service.addresses.purgeExpired(retentionDays),
    everyMs: ADDRESS_PURGE_EVERY_MS,
  });
  const hub = new Hub({ service, store, bus, presence, logger, metrics, now: () => clock.now() });
  const realtime: RealtimeContext = {
    hub,
    service,
    verifier,
    logger,
    metrics,
    frameLimiter,
    heartbeatMs: options.heartbeatMs ?? 10_000,
    slowConsumerBytes: options.slowConsumerBytes ?? SLOW_CONSUMER_BYTES,
    ...(options.anonymousFeedLimits ? { anonymousFeedLimits: options.anonymousFeedLimits } : {}),
  };
  const readiness = new Readiness({ store, bus });
  const api = createApiApp({
    readiness,
    service,
    verifier,
    jwt,
    realtime,
    logger,
    metrics,
    ...(options.metricsAccess ? { metricsAccess: options.metricsAccess } : {}),
    dev: options.dev ?? false,
    isOriginAllowed: options.isOriginAllowed ?? (() => true),
    ...(attach ? { attachmentRoutes: attach.routes({ ...attachDeps, service, verifier, store }) } : {}),
  });
  const attachmentSweeper = attach ? attach.sweeper(store, attachDeps) : null;
  return { store, bus, presence, clock, verifier, service, hub, scheduler, realtime, metrics, api, readiness, attachmentSweeper };
}
