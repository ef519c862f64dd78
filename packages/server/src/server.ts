import { chooseBlobStore, closeBlobStore } from './attachments/s3-select.js';

import { attachmentModule } from './attachments/module.js';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { createAdaptorServer } from '@hono/node-server';
import { WebSocketServer } from 'ws';
import type { Server as SocketIoServer } from 'socket.io';
import { DESTINATIONS, LIMITS, RESTART_NOTICE } from '@groupbuy/protocol';
import type { JwtConfig } from './auth/jwt.js';
import { createApp, type StaticMount } from './app.js';
import { assembleCore } from './assemble.js';
import type { ServerConfig } from './config.js';
import { MemoryBus } from './bus/memory.js';
import { RedisBus } from './bus/redis.js';
import { LocalPresence } from './presence/types.js';
import { RedisPresence } from './presence/redis.js';

import { createJsonLogger, type Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import { createPromMetrics } from './metrics-prom.js';
import { metricsRoutes } from './routes/metrics.js';
import { handleRawWs } from './realtime/raw-ws.js';

import { attachSocketIo } from './realtime/socket-io.js';
import { handleStomp } from './realtime/stomp.js';
import { DEFAULT_RATE_LIMIT, RateLimiter } from './rooms/rate-limit.js';
import { RedisRateLimiter } from './rooms/redis-rate-limit.js';
import { systemClock } from './rooms/service.js';
import { contentKeyFile, createKeyring, parseContentKeys, type ContentCipher } from './stores/content-cipher.js';
import { addressCipherFor } from './addresses/keys.js';
import { PostgresStore } from './stores/postgres.js';
import { SqliteStore } from './stores/sqlite.js';
import type { ChatStore } from './stores/types.js';

import type { RunningServer, StartServerOptions } from './server-options.js';

export type { RunningServer, StartServerOptions } from './server-options.js';

/** The AES-256-GCM keyring for `CHAT_CONTENT_KEYS`, or for a bare base64 32-byte key (`CHAT_CONTENT_KEY`, id `legacy`). */
function cipherFromKey(keys: string): ContentCipher {
  return createKeyring(parseContentKeys(keys));
}

// The content key lives apart from the database: a copied database file alone does not reveal chat text.
function contentCipherFor(databaseUrl: string, keyB64: string | undefined, logger: Logger): ContentCipher | undefined {
  if (keyB64) return cipherFromKey(keyB64);
  if (databaseUrl === ':memory:') return undefined;
  const keyFile = contentKeyFile(databaseUrl);
  if (!existsSync(keyFile)) {
    mkdirSync(dirname(keyFile), { recursive: true });
    writeFileSync(keyFile, randomBytes(32).toString('base64'), { mode: 0o600 });
    logger.log('info', 'created content key file beside the database; set CHAT_CONTENT_KEY to manage it yourself');
  }
  chmodSync(keyFile, 0o600);
  return cipherFromKey(readFileSync(keyFile, 'utf8').trim());
}

/**
 * Opens the store a DATABASE_URL names: `postgres://…` / `postgresql://…` → PostgreSQL (which needs
 * CHAT_CONTENT_KEY: there is no local place for a key file), anything else → a SQLite file (`file:` optional).
 */
export async function openStore(
  databaseUrl: string,
  contentKey: string | undefined,
  logger: Logger,
  addressKeys?: string,
): Promise<ChatStore> {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    if (!contentKey)
      throw new Error('CHAT_CONTENT_KEY (or CHAT_CONTENT_KEYS) is required with PostgreSQL: chat content is encrypted at rest.');
    const addressCipher = addressCipherFor(databaseUrl, addressKeys, logger);
    return PostgresStore.open({ connectionString: databaseUrl, cipher: cipherFromKey(contentKey), addressCipher, logger });
  }
  const path = databaseUrl.replace(/^file:/, '');
  const dbPath = path === ':memory:' ? path : resolve(path);
  const cipher = contentCipherFor(dbPath, contentKey, logger);
  const addressCipher = addressCipherFor(dbPath, addressKeys, logger);
  return SqliteStore.open(cipher ? { path: dbPath, cipher, addressCipher } : { path: dbPath, addressCipher });
}

/** Same-origin is always allowed; other browser origins only when listed. Non-browser clients send no Origin. */
export function originChecker(allowed: string[]): (origin: string | undefined, host: string | undefined) => boolean {
  const list = new Set(allowed);
  return (origin, host) => {
    if (!origin) return true;
    if (list.has('*') || list.has(origin)) return true;
    try {
      return host !== undefined && new URL(origin).host === host;
    } catch {
      return false;
    }
  };
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** Starts the reference server: REST, STOMP on /ws, Socket.IO, plain WebSocket on /chat/{id}, SSE, deadlines. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const logger = options.logger ?? createJsonLogger(options.logLevel);
  const clock = options.clock ?? systemClock;
  const { metrics } = createPromMetrics();
  const store =
    options.store ??
    (await openStore(options.databaseUrl ?? './data/chat.db', options.contentKeys ?? options.contentKey, logger, options.addressKeys));
  // REDIS_CLUSTER_NODES (issue 10): the bus, presence and the shared send limit go to the Redis Cluster instead.
  const clusterNodes = options.redisClusterNodes?.length ? options.redisClusterNodes : undefined;
  const redisUrl = options.redisUrl ?? (clusterNodes ? `redis+cluster://${clusterNodes.join(',')}` : undefined);
  const bus =
    options.bus ?? (redisUrl ? await RedisBus.open({ url: redisUrl, ...(clusterNodes ? { clusterNodes } : {}), logger }) : new MemoryBus());
  // An empty option means unset (as in loadConfig): no secret, no `iss` check, the default claim name.
  const jwt: JwtConfig = {
    secret: options.jwtSecret || undefined,
    jwksUrl: options.jwtJwksUrl || undefined,
    issuer: options.jwtIssuer || undefined,
    audience: options.jwtAudience || undefined,
    userIdClaim: options.jwtUserIdClaim || undefined,
    nameClaim: options.jwtNameClaim || undefined,
    roleClaim: options.jwtRoleClaim || undefined,
    serviceRole: options.jwtServiceRole || undefined,
  };
  const presence =
    options.presence ??
    (redisUrl ? new RedisPresence({ url: redisUrl, ...(clusterNodes ? { clusterNodes } : {}), logger }) : new LocalPresence());
  const isOriginAllowed = originChecker(options.allowedOrigins ?? []);
  // With Redis the send limit is one bucket for the cluster; it falls back to this instance's (fails open).
  const rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
  const clusterLimiter = redisUrl
    ? await RedisRateLimiter.open({
        url: redisUrl,
        ...(clusterNodes ? { clusterNodes } : {}),
        limit: rateLimit,
        fallback: new RateLimiter(rateLimit, () => clock.now()),
        logger,
        metrics,
      })
    : null;
  const blobs = chooseBlobStore(
    options.attachmentS3,
    options.attachmentDir ?? defaultAttachmentDir(options.databaseUrl ?? './data/chat.db'),
  );
  const { service, hub, scheduler, realtime, api, readiness, attachmentSweeper } = assembleCore({
    store,
    attachments: attachmentModule({
      blobs,
      ...(options.attachmentMaxBytes !== undefined ? { maxBytes: options.attachmentMaxBytes } : {}),
      ...(options.attachmentUploadLimit ? { uploadLimit: options.attachmentUploadLimit } : {}),
      ...(options.attachmentUrlSecret ? { urlSecret: options.attachmentUrlSecret } : {}),
    }),
    bus,
    presence,
    jwt,
    clock,
    logger,
    metrics,
    metricsAccess: options.metricsPort !== undefined ? 'elsewhere' : options.metricsToken ? { token: options.metricsToken } : 'open',
    rateLimit,
    ...(clusterLimiter ? { rateLimiter: clusterLimiter, cooldowns: clusterLimiter } : {}),
    ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
    ...(options.slowConsumerBytes !== undefined ? { slowConsumerBytes: options.slowConsumerBytes } : {}),
    ...(options.slowModeAuto ? { slowModeAuto: options.slowModeAuto } : {}),
    ...(options.piiGuard ? { piiGuard: options.piiGuard } : {}),
    ...(options.addressRetentionDays !== undefined ? { addressRetentionDays: options.addressRetentionDays } : {}),
    ...(options.anonymousFeedLimits ? { anonymousFeedLimits: options.anonymousFeedLimits } : {}),
    dev: options.dev ?? false,
    isOriginAllowed,
  });
  const app = createApp({
    api,
    staticMounts: options.static ?? [],
    ...(options.widgetDir ? { widgetDir: options.widgetDir } : {}),
  });

  const httpServer = createAdaptorServer({ fetch: app.fetch }) as HttpServer;
  const wss = new WebSocketServer({
    noServer: true,
    // Slightly above the frame cap so an oversized frame gets a STOMP ERROR with a reason, not a bare 1009.
    maxPayload: LIMITS.frameMaxBytes * 2,
    handleProtocols: (protocols) => (protocols.has('v12.stomp') ? 'v12.stomp' : false),
  });
  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith(`${DESTINATIONS.socketIoPath}/`)) return; // engine.io's own upgrade listener
    if (!isOriginAllowed(req.headers.origin, req.headers.host)) return rejectUpgrade(socket, 403, 'Forbidden');
    if (url.pathname === DESTINATIONS.stompPath) {
      wss.handleUpgrade(req, socket, head, (ws) => handleStomp(ws, realtime));
    } else if (url.pathname.startsWith(DESTINATIONS.wsPrefix)) {
      wss.handleUpgrade(req, socket, head, (ws) => handleRawWs(ws, url, realtime));
    } else {
      rejectUpgrade(socket, 404, 'Not Found');
    }
  });
  const io: SocketIoServer = attachSocketIo(httpServer, realtime, isOriginAllowed);

  await scheduler.start();
  attachmentSweeper?.start();
  const host = options.host ?? '127.0.0.1';
  const { url, port } = await listen(httpServer, options.port ?? 8080, host);
  logger.log('info', 'listening', { url, dev: options.dev ?? false });
  const metricsServer =
    options.metricsPort === undefined ? null : await listenMetrics(metrics, logger, options.metricsToken, host, options.metricsPort);

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    httpServer,
    service,
    metrics,
    ...(metricsServer ? { metricsUrl: metricsServer.url } : {}),
    dropConnections: () => {
      hub.dropConnections();
      for (const ws of wss.clients) ws.terminate();
    },
    close: () =>
      (closing ??= (async () => {
        readiness.markShuttingDown(); // /readyz says 503 from here on, so a load balancer stops sending
        // Stop listening before anyone is told to reconnect, and drop idle keep-alive sockets (a proxy's
        // upstream pool): a client coming straight back must land on another instance (nginx tries the
        // next upstream on a refused connection), not on this one again.
        const stopped = new Promise<void>((r) => httpServer.close(() => r()));
        httpServer.closeIdleConnections();
        await scheduler.stop();
        await attachmentSweeper?.stop();
        hub.closeAll(RESTART_NOTICE);
        await new Promise<void>((r) => void io.close(() => r()));
        wss.close();
        httpServer.closeAllConnections();
        await stopped;
        await metricsServer?.close();
        await presence.close();
        await clusterLimiter?.close();
        await bus.close();
        await store.close();
        await closeBlobStore(blobs);
        logger.log('info', 'stopped');
      })()),
  };
}

// Uploaded images go beside the SQLite file; with PostgreSQL (or :memory:) under ./data.
function defaultAttachmentDir(databaseUrl: string): string {
  if (/^postgres(ql)?:\/\//.test(databaseUrl) || databaseUrl === ':memory:') return resolve('./data/attachments');
  return resolve(dirname(databaseUrl.replace(/^file:/, '')), 'attachments');
}

// Listens on `host:port` (0 picks a free port); resolves with the bound port and its `http://` URL.
async function listen(server: HttpServer, port: number, host: string): Promise<{ url: string; port: number }> {
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`, port: bound };
}

// METRICS_PORT: /metrics alone on its own listener (same interface), so it can be firewalled apart from the chat.
async function listenMetrics(
  metrics: Metrics,
  logger: Logger,
  token: string | undefined,
  host: string,
  port: number,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createAdaptorServer({ fetch: metricsRoutes(metrics, logger, token).fetch }) as HttpServer;
  const url = `${(await listen(server, port, host)).url}/metrics`;
  logger.log('info', 'metrics listening', { url });
  return {
    url,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/**
 * Where dev mode keeps the JWT secret it generated: `<database path>.jwt-secret` beside a SQLite file, so
 * a restart keeps every issued token valid. Undefined for `:memory:` and PostgreSQL (a new one per start).
 */
export function devSecretFile(databaseUrl: string): string | undefined {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return undefined;
  const path = databaseUrl.replace(/^file:/, '');
  return path === ':memory:' ? undefined : `${resolve(path)}.jwt-secret`;
}

// Like the content key file: created once 0600, then reused. A file someone emptied is replaced.
function readOrCreateDevSecret(file: string, logger: Logger): string {
  const existing = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  if (existing.length >= 32) {
    chmodSync(file, 0o600);
    return existing;
  }
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  chmodSync(file, 0o600);
  logger.log('info', 'created the dev JWT secret file beside the database; set JWT_SECRET to choose one yourself');
  return secret;
}

/** What a caller of {@link startFromConfig} adds to the configuration. */
export interface StartFromConfigExtras {
  /** Static folders served besides the API and the widget (the example shop page). @default [] */
  static?: StaticMount[];
  /** Logger. @default JSON lines on stdout */
  logger?: Logger;
}

/**
 * Starts the server from {@link loadConfig}'s result: the one start path of the CLI (`node dist/main.js`)
 * and of `pnpm start` (the example shop page), so every variable applies to both. In dev mode without
 * JWT_SECRET the secret comes from {@link devSecretFile}; the dev-mode warning and a missing widget are
 * logged here.
 */
export async function startFromConfig(config: ServerConfig, extras: StartFromConfigExtras = {}): Promise<RunningServer> {
  const logger = extras.logger ?? createJsonLogger(config.logLevel);
  const { secretGenerated, ...options } = config;
  const secretFile = secretGenerated ? devSecretFile(config.databaseUrl) : undefined;
  const jwtSecret = secretFile ? readOrCreateDevSecret(secretFile, logger) : config.jwtSecret;
  const server = await startServer({ ...options, ...(jwtSecret ? { jwtSecret } : {}), logger, static: extras.static ?? [] });
  if (!config.widgetDir) {
    logger.log(
      'info',
      'not serving the widget at /elements/: set WIDGET_DIR to the folder with the built groupbuy-chat.bundle.js (packages/elements/dist after pnpm build)',
    );
  }
  if (config.dev) {
    const secret = !secretGenerated ? '' : secretFile ? `a generated JWT secret (kept in ${secretFile}) and ` : 'a random JWT secret and ';
    logger.log('warn', `dev mode: ${secret}POST /api/dev/token are on; never use this in production`);
  }
  return server;
}
