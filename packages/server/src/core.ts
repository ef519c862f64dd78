/**
 * @groupbuy/server/core — the server's core without Node: the room rules (RoomService), the hub, the
 * deadline scheduler, the API routes as a Hono app, token checks, the in-memory store, bus and presence,
 * and `assembleCore`, which wires them the way the reference server does.
 * Nothing reachable from here imports a Node built-in (core.test.ts bundles it for the browser to prove
 * it), so Storybook and element tests run the real core in a page (`@groupbuy/testing`).
 */
export { createApiApp, type ApiDeps } from './api.js';
export { assembleCore, type CoreOptions, type ServerCore } from './assemble.js';
export { TokenVerifier, signToken, bearerToken, type Principal, type JwtConfig } from './auth/jwt.js';
export { RoomService, systemClock, canRead, type Clock, type Access, type RoomServiceDeps } from './rooms/service.js';
export { RateLimiter, DEFAULT_RATE_LIMIT, type RateLimit } from './rooms/rate-limit.js';
export { DeadlineScheduler } from './rooms/scheduler.js';
export { Hub, type Delivery, type SubscriptionSink, type ConnectionHandle, type HubSubscription } from './realtime/hub.js';
export type { RealtimeContext } from './realtime/context.js';
export {
  ConnectionSession,
  decodeCommand,
  type DecodedCommand,
  type SessionTransport,
  type SocketAdapter,
  type SubscriptionEvent,
} from './realtime/connection.js';
export { MemoryBus } from './bus/memory.js';
export type { MessageBus, BusHandler } from './bus/types.js';
export { LocalPresence, mergeViewers, type PresenceStore } from './presence/types.js';
export { MemoryStore } from './stores/memory.js';
export type * from './stores/types.js';
export { silentLogger, type Logger, type LogLevel, type LogFields } from './logger-core.js';
export { METRIC_FAMILIES, Metrics, type MetricFamily, type MetricsSink } from './metrics.js';
