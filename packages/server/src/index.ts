export {
  startServer,
  startFromConfig,
  devSecretFile,
  openStore,
  originChecker,
  type StartServerOptions,
  type StartFromConfigExtras,
  type RunningServer,
} from './server.js';
export { createApp, type AppDeps, type StaticMount } from './app.js';
export { loadConfig, parseRateLimit, defaultWidgetDir, type ServerConfig } from './config.js';
export { widgetHandler, isWidgetDir, WIDGET_PREFIX, WIDGET_ENTRY } from './widget/index.js';
export { TokenVerifier, signToken, bearerToken, type Principal, type JwtConfig } from './auth/jwt.js';
export { RoomService, systemClock, canRead, type Clock, type Access } from './rooms/service.js';
export { RateLimiter, DEFAULT_RATE_LIMIT, type RateLimit } from './rooms/rate-limit.js';
export { DeadlineScheduler } from './rooms/scheduler.js';
export { Hub, type Delivery, type SubscriptionSink, type ConnectionHandle } from './realtime/hub.js';
export { MemoryBus } from './bus/memory.js';
export { RedisBus, type RedisBusOptions } from './bus/redis.js';
export { LocalPresence, mergeViewers, type PresenceStore } from './presence/types.js';
export { RedisPresence, type RedisPresenceOptions } from './presence/redis.js';
export type { MessageBus, BusHandler } from './bus/types.js';
export { SqliteStore, type SqliteStoreOptions } from './stores/sqlite.js';
export { PostgresStore, type PostgresStoreOptions } from './stores/postgres.js';
export {
  LEGACY_KEY_ID,
  createAesGcmCipher,
  createKeyring,
  parseContentKeys,
  plainCipher,
  type ContentCipher,
  type ContentKey,
} from './stores/content-cipher.js';
export { addressCipherFor, parseAddressKeys } from './addresses/keys.js';
export type { AddressStore, StoredAddress } from './stores/addresses.js';
export { FsBlobStore, type BlobStore } from './attachments/blobs.js';
export { S3BlobStore, type S3BlobSettings } from './attachments/s3.js';
export { rekeyFromConfig, rekeyPostgres, rekeySqlite, type RekeyOptions, type RekeyProgress, type RekeyResult } from './rekey.js';
export type * from './stores/types.js';
export { createJsonLogger, silentLogger, type Logger, type LogLevel } from './logger.js';
export { METRIC_FAMILIES, Metrics, type MetricFamily, type MetricsSink } from './metrics.js';
export { PromMetricsSink, createPromMetrics } from './metrics-prom.js';
