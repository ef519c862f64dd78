import type { TokenVerifier } from '../auth/jwt.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
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
}
