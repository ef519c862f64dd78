import type { S3BlobSettings } from './attachments/s3.js';

import type { Server as HttpServer } from 'node:http';

import { type StaticMount } from './app.js';

import type { ServerConfig } from './config.js';

import { type PresenceStore } from './presence/types.js';

import type { MessageBus } from './bus/types.js';
import { type LogLevel, type Logger } from './logger.js';
import type { Metrics } from './metrics.js';

import type { AnonymousFeedLimits } from './realtime/context.js';

import { type RateLimit } from './rooms/rate-limit.js';

import { type Clock, type RoomService } from './rooms/service.js';

import type { ChatStore } from './stores/types.js';

// What startServer takes and what it gives back (server.ts); the options' token and limit fields are
// ServerConfig's own, documented there once.

/**
 * Options of {@link startServer}; all but the token keys (`jwtSecret` and/or `jwtJwksUrl`) have working defaults.
 * The token options and `slowConsumerBytes` are {@link ServerConfig}'s own fields, documented there once.
 */
export interface StartServerOptions extends Pick<
  ServerConfig,
  | 'jwtSecret'
  | 'jwtJwksUrl'
  | 'jwtUserIdClaim'
  | 'jwtNameClaim'
  | 'jwtRoleClaim'
  | 'jwtServiceRole'
  | 'jwtIssuer'
  | 'jwtAudience'
  | 'slowConsumerBytes'
  | 'slowModeAuto'
  | 'piiGuard'
> {
  /** TCP port; 0 picks a free one. @default 8080 */
  port?: number;
  /** Interface. @default '127.0.0.1' */
  host?: string;
  /** SQLite file (`file:` prefix allowed), `:memory:`, or `postgres://…`. Ignored when `store` is given. @default './data/chat.db' */
  databaseUrl?: string;
  /** Attachments (issue 12): folder of uploaded images (ATTACHMENT_DIR). @default `attachments/` beside the SQLite file, else ./data/attachments */
  attachmentDir?: string;
  /** Largest image upload in bytes (ATTACHMENT_MAX_BYTES). @default 10 MB */
  attachmentMaxBytes?: number;
  /** Attachments in an S3-compatible bucket instead of `attachmentDir` (ATTACHMENT_S3_*). @default unset: the folder */
  attachmentS3?: S3BlobSettings;
  /** Image uploads per user per instance (ATTACHMENT_UPLOAD_LIMIT). @default 20 per 60 000 ms */
  attachmentUploadLimit?: RateLimit;
  /** Signs image URLs (ATTACHMENT_URL_SECRET). @default derived from the JWT secret */
  attachmentUrlSecret?: string;
  /** A ready store (PostgreSQL, tests); the server closes it on shutdown. */
  store?: ChatStore;
  /** The bus. @default a RedisBus when `redisUrl` is set, else MemoryBus */
  bus?: MessageBus;
  /** `redis://…` for the bus and presence between instances (each ignored when given explicitly). */
  redisUrl?: string;
  /** `host:port` of Redis Cluster nodes: bus (sharded pub/sub), presence and send limit there; wins over `redisUrl`. */
  redisClusterNodes?: string[];
  /** Who has a room open, across instances. @default RedisPresence when `redisUrl` is set, else this instance only */
  presence?: PresenceStore;
  /** Origins allowed besides same-origin. @default [] */
  allowedOrigins?: string[];
  /** Dev mode: `POST /api/dev/token`. @default false */
  dev?: boolean;
  /** Send limit per user per room. @default 10 per 10 000 ms */
  rateLimit?: RateLimit;
  /** Base64 32-byte key for content at rest. @default a key file beside the database (created 0600) */
  contentKey?: string;
  /** `CHAT_CONTENT_KEYS`: ordered `id:base64` keys, the first encrypts, every one decrypts; used instead of `contentKey`. */
  contentKeys?: string;
  /** `ADDRESS_KEYS` (issue 11): the keyring shipping addresses are sealed under. @default the key file `<db>.address-key` (required with PostgreSQL) */
  addressKeys?: string;
  /** `ADDRESS_RETENTION_DAYS` (issue 11): days an ended room's shipping addresses are kept. @default 30 */
  addressRetentionDays?: number;
  /** Static folders to serve. @default [] */
  static?: StaticMount[];
  /** Folder with the built widget, served under `/elements/` with CORS, ETags and precompressed bodies. @default none */
  widgetDir?: string;
  /** Time source. @default the system clock */
  clock?: Clock;
  /** Logger. @default JSON lines on stdout (pino) at `logLevel` */
  logger?: Logger;
  /** Lowest level logged when no `logger` is given (LOG_LEVEL). @default 'info' */
  logLevel?: LogLevel;
  /** Bearer token `GET /metrics` requires (METRICS_TOKEN). @default none: open (nginx keeps it to loopback) */
  metricsToken?: string;
  /** Serve `GET /metrics` on this port instead of the main one (METRICS_PORT; 0 picks one). @default unset */
  metricsPort?: number;
  /** STOMP heart-beat offered and expected, in ms. @default 10000 */
  heartbeatMs?: number;
  /** Caps on SSE feeds read without a token. @default 1000 per room, 10000 in all */
  anonymousFeedLimits?: AnonymousFeedLimits;
}

/** A listening server. */
export interface RunningServer {
  /** `http://host:port`. */
  readonly url: string;
  /** The bound port. */
  readonly port: number;
  /** The node HTTP server. */
  readonly httpServer: HttpServer;
  /** The room rules (for embedding and tests). */
  readonly service: RoomService;
  /** Counters. */
  readonly metrics: Metrics;
  /** `http://host:port/metrics` when served on its own port (`metricsPort`). */
  readonly metricsUrl?: string;
  /** Server-side terminate of every realtime connection (fault tests). */
  dropConnections(): void;
  /**
   * Graceful shutdown: stops listening, tells every connection to reconnect at once (RESTART_NOTICE: STOMP
   * ERROR with `x-reconnect:now`, WebSocket close 1012, Socket.IO chat-error), finishes writes, closes the database. Idempotent.
   */
  close(): Promise<void>;
}
