import type { TokenVerifier } from '../auth/jwt.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { RateLimiter } from '../rooms/rate-limit.js';
import type { RoomService } from '../rooms/service.js';
import type { Hub } from './hub.js';

/** What every realtime endpoint needs, handed over once by the app. */
export interface RealtimeContext {
  /** Subscriptions and connections. */
  hub: Hub;
  /** Room rules. */
  service: RoomService;
  /** Token checks. */
  verifier: TokenVerifier;
  /** Logs. */
  logger: Logger;
  /** Counters. */
  metrics: Metrics;
  /** STOMP heart-beat the server offers and expects, in ms. @default 10000 */
  heartbeatMs: number;
  /**
   * Frames per connection (any command, valid or not), keyed by a connection id: a client that floods the
   * server with frames is disconnected with RATE_LIMITED instead of costing everyone CPU.
   */
  frameLimiter: RateLimiter;
  /**
   * Bytes that may wait to be sent to one connection (any transport) before it is cut with SLOW_CONSUMER:
   * one reader that stops reading must not hold the room's traffic in this server's memory.
   */
  slowConsumerBytes: number;
  /** Caps on signed-out readers of the SSE feed. @default 1000 per room, 10000 in all */
  anonymousFeedLimits?: AnonymousFeedLimits;
}

/** Caps on the feeds signed-out visitors hold open on one instance. */
export interface AnonymousFeedLimits {
  /** Anonymous streams per room. @default 1000 */
  perRoom: number;
  /** Anonymous streams on this instance in all. @default 10000 */
  total: number;
}
