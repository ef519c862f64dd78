import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WIDGET_ENTRY, isWidgetDir } from './widget/index.js';
import type { RateLimit } from './rooms/rate-limit.js';
import { LIMITS, type AutoSlowMode } from '@groupbuy/protocol';
import { LOG_LEVELS, type LogLevel } from './logger-core.js';
import { parseContentKeys } from './stores/content-cipher.js';
import { parsePiiGuard, type PiiGuardMode } from './rooms/pii-guard.js';
import { parseAddressKeys, parseRetentionDays } from './addresses/keys.js';
import { parseS3Settings } from './attachments/s3-select.js';
import type { S3BlobSettings } from './attachments/s3.js';
import { parseClusterNodes } from './bus/cluster-nodes.js';

/** Everything the server reads from its environment and flags. */
export interface ServerConfig {
  /** TCP port. @default 8080 */
  port: number;
  /** Interface to listen on. @default '127.0.0.1' in dev, '0.0.0.0' otherwise */
  host: string;
  /** SQLite file path (`file:` prefix allowed) or `:memory:`. @default './data/chat.db' */
  databaseUrl: string;
  /** HS256 secret. Outside dev, this or `jwtJwksUrl` is required; dev makes a random one. */
  jwtSecret?: string;
  /** JWKS of the shop's identity provider (RS256/ES256 tokens), when set. */
  jwtJwksUrl?: string;
  /** Claim holding the user id. @default 'sub' */
  jwtUserIdClaim?: string;
  /** Claim holding the display name. @default 'name' */
  jwtNameClaim?: string;
  /** Claim holding the role (a string or an array of strings). @default 'role' */
  jwtRoleClaim?: string;
  /** Role claim value that means the trade service. @default 'service' */
  jwtServiceRole?: string;
  /** Expected `iss`, checked when set. */
  jwtIssuer?: string;
  /** Expected `aud`, checked when set. */
  jwtAudience?: string;
  /** Origins allowed for CORS and cross-site WebSocket upgrades (same-origin always allowed). */
  allowedOrigins: string[];
  /** Dev mode: random secret, `POST /api/dev/token`. */
  dev: boolean;
  /** True when no secret was given and a random one was made (dev only). */
  secretGenerated: boolean;
  /** Per user + room send limit. */
  rateLimit?: RateLimit;
  /** 32-byte AES key for content at rest, base64. @default a key file beside the database */
  contentKey?: string;
  /** `CHAT_CONTENT_KEYS`: ordered `id:base64` content keys; the first encrypts, all decrypt (rotation). Excludes `contentKey`. */
  contentKeys?: string;
  /** Bytes that may wait to be sent to one connection before it is cut with SLOW_CONSUMER. @default 4 MiB */
  slowConsumerBytes?: number;
  /** `SLOW_MODE_AUTO` (`600000/30/10000`): slow mode turns on by itself near a busy deadline (issue 11). @default off */
  slowModeAuto?: AutoSlowMode;
  /** `PII_GUARD` (`mask`|`off`): mask phone numbers, e-mail, account and resident numbers in chat text (issue 11). @default mask */
  piiGuard?: PiiGuardMode;
  /** `ADDRESS_KEYS` (issue 11): `id:base64` keys sealing shipping addresses, as CHAT_CONTENT_KEYS. @default key file `<db>.address-key`; required with PostgreSQL */
  addressKeys?: string;
  /** `ADDRESS_RETENTION_DAYS` (issue 11): days an ended room's shipping addresses are kept. @default 30 */
  addressRetentionDays?: number;
  /** `redis://…`: fan messages out through Redis pub/sub between instances. @default in-memory bus */
  redisUrl?: string;
  /** `host:port,…` of Redis Cluster nodes (REDIS_CLUSTER_NODES): bus over sharded pub/sub, presence and limits in the cluster. */
  redisClusterNodes?: string[];
  /** Folder with the built widget, served under `/elements/`. @default {@link defaultWidgetDir} when it exists */
  widgetDir?: string;
  /** Attachments (issue 12): folder of uploaded images (ATTACHMENT_DIR). @default `attachments/` beside the SQLite file */
  attachmentDir?: string;
  /** Largest image upload, in bytes (ATTACHMENT_MAX_BYTES). @default 10 MB */
  attachmentMaxBytes?: number;
  /** Attachments in an S3-compatible bucket (ATTACHMENT_S3_BUCKET, _ENDPOINT, _REGION, _PREFIX; AWS credentials). @default the folder */
  attachmentS3?: S3BlobSettings;
  /** Image uploads per user per instance, `N/MS` (ATTACHMENT_UPLOAD_LIMIT). @default 20/60000 */
  attachmentUploadLimit?: RateLimit;
  /** Signs image URLs (ATTACHMENT_URL_SECRET), so they work on every instance. @default derived from JWT_SECRET */
  attachmentUrlSecret?: string;
  /** Lowest log level written (LOG_LEVEL). @default 'info' */
  logLevel?: LogLevel;
  /** Bearer token `GET /metrics` requires (METRICS_TOKEN). @default none */
  metricsToken?: string;
  /** `GET /metrics` on this port instead of the main one (METRICS_PORT). @default unset */
  metricsPort?: number;
}

/**
 * This workspace's `packages/elements/dist`, found relative to the server package (`src/` or `dist/`,
 * both two levels below `packages/`), when it holds a built widget; else undefined. The server does not
 * import @groupbuy/elements: it only serves the files.
 */
export function defaultWidgetDir(): string | undefined {
  const dir = resolve(fileURLToPath(new URL('../../elements/dist', import.meta.url)));
  return isWidgetDir(dir) ? dir : undefined;
}

/** Parses `--flag value` / `--flag=value` / `--dev` arguments. */
export function parseArgs(argv: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === undefined || !arg.startsWith('--')) continue;
    const eq = arg.indexOf('=');
    const next = argv[i + 1];
    if (eq > 0) out.set(arg.slice(2, eq), arg.slice(eq + 1));
    else if (next !== undefined && !next.startsWith('--')) {
      out.set(arg.slice(2), next);
      i++;
    } else out.set(arg.slice(2), 'true');
  }
  return out;
}

/**
 * One ALLOWED_ORIGINS entry, as a browser sends it in `Origin` (`scheme://host[:port]`, lower case, no
 * path, no default port), or `*`; anything else could never match, so it stops the start with its reason.
 */
export function checkOrigin(value: string): string {
  if (value === '*') return value;
  const origin = URL.canParse(value) ? new URL(value).origin : 'null';
  if (origin === value) return value;
  const hint = origin === 'null' ? 'like https://shop.example' : `as ${origin}`;
  throw new Error(`ALLOWED_ORIGINS entry "${value}" is not an origin a browser sends: write it ${hint} (scheme://host[:port], no path).`);
}

/** Parses `N/MS` (e.g. `10/10000`) into a rate limit. */
export function parseRateLimit(value: string): RateLimit {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  // 0 messages would refuse every send ("retry in Infinity s"); 0 ms would never limit at all.
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) {
    throw new Error(`rate limit "${value}" must look like 10/10000 (messages / milliseconds, both at least 1)`);
  }
  return { capacity: Number(m[1]), refillMs: Number(m[2]) };
}

/**
 * Parses SLOW_MODE_AUTO, `windowMs/perMinute/slowModeMs`: in the final `windowMs` before a deadline, more than
 * `perMinute` CHAT messages in a minute turn slow mode on at `slowModeMs` (1 s – 10 min).
 */
export function parseSlowModeAuto(value: string): AutoSlowMode {
  const m = /^(\d+)\/(\d+)\/(\d+)$/.exec(value.trim());
  const [windowMs, perMinute, slowModeMs] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
  if (!m || windowMs < 1 || perMinute < 1 || slowModeMs < 1000 || slowModeMs > LIMITS.slowModeMaxMs) {
    throw new Error(
      `SLOW_MODE_AUTO "${value}" must look like 600000/30/10000 (window ms / messages per minute / slow mode ms, 1000–600000).`,
    );
  }
  return { windowMs, perMinute, slowModeMs };
}

/** Parses SLOW_CONSUMER_BYTES: a whole number of bytes, at least 64 KiB (below that a replay burst would cut healthy clients). */
export function parseSlowConsumerBytes(value: string): number {
  const bytes = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || bytes < 64 * 1024)
    throw new Error(`SLOW_CONSUMER_BYTES "${value}" must be a number of bytes, at least 65536.`);
  return bytes;
}

/**
 * `--log-level` / LOG_LEVEL (debug, info, warn, error, any case), read on its own so the CLI can build its
 * logger before the rest of the configuration (whose errors it logs). Undefined when unset or unknown
 * ({@link loadConfig} refuses an unknown one).
 */
export function readLogLevel(argv: string[], env: NodeJS.ProcessEnv): LogLevel | undefined {
  const raw = (parseArgs(argv).get('log-level') ?? (env['LOG_LEVEL'] || undefined))?.trim().toLowerCase();
  return LOG_LEVELS.find((l) => l === raw);
}

/** Reads flags first, then environment variables (PORT, HOST, DATABASE_URL, JWT_SECRET, JWT_JWKS_URL, JWT_ISSUER, JWT_AUDIENCE, JWT_USER_ID_CLAIM, JWT_NAME_CLAIM, JWT_ROLE_CLAIM, JWT_SERVICE_ROLE, ALLOWED_ORIGINS, DEV, RATE_LIMIT, LOG_LEVEL, METRICS_TOKEN, METRICS_PORT, SLOW_CONSUMER_BYTES, CHAT_CONTENT_KEY, CHAT_CONTENT_KEYS, REDIS_URL, REDIS_CLUSTER_NODES, WIDGET_DIR, ATTACHMENT_DIR, ATTACHMENT_MAX_BYTES, ATTACHMENT_UPLOAD_LIMIT, ATTACHMENT_URL_SECRET, ATTACHMENT_S3_BUCKET, ATTACHMENT_S3_ENDPOINT, ATTACHMENT_S3_REGION, ATTACHMENT_S3_PREFIX, ADDRESS_KEYS, ADDRESS_RETENTION_DAYS). */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv): ServerConfig {
  const args = parseArgs(argv);
  // An empty variable (`PORT=` in a compose file) means unset: it must not become port 0, an empty
  // database path or an empty dev secret.
  const get = (flag: string, name: string) => args.get(flag) ?? (env[name] || undefined);
  const dev = get('dev', 'DEV') === 'true' || get('dev', 'DEV') === '1';
  const secret = get('jwt-secret', 'JWT_SECRET');
  const jwksUrl = get('jwt-jwks-url', 'JWT_JWKS_URL');
  if (!secret && !jwksUrl && !dev) {
    throw new Error(
      "JWT_SECRET is required (or JWT_JWKS_URL for your identity provider's RS256/ES256 tokens, or --dev for a random secret).",
    );
  }
  if (jwksUrl) {
    const url = URL.canParse(jwksUrl) ? new URL(jwksUrl) : null;
    if (!url || !/^https?:$/.test(url.protocol)) throw new Error(`JWT_JWKS_URL "${jwksUrl}" must be an http:// or https:// URL.`);
    // Keys fetched over plain HTTP can be swapped on the way, and whoever swaps them signs in as anyone.
    if (url.protocol === 'http:' && !dev && !/^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(url.hostname)) {
      throw new Error(`JWT_JWKS_URL "${jwksUrl}" must use https:// (plain http:// only to a loopback address, or with --dev).`);
    }
  }
  if (secret && !dev && secret.length < 32) throw new Error('JWT_SECRET must be at least 32 characters.');
  const rate = get('rate-limit', 'RATE_LIMIT');
  const portRaw = get('port', 'PORT') ?? '8080';
  const config: ServerConfig = {
    port: Number(portRaw),
    host: get('host', 'HOST') ?? (dev ? '127.0.0.1' : '0.0.0.0'),
    databaseUrl: get('database-url', 'DATABASE_URL') ?? './data/chat.db',
    ...(secret || dev ? { jwtSecret: secret || randomBytes(32).toString('base64url') } : {}),
    allowedOrigins: (get('allowed-origins', 'ALLOWED_ORIGINS') ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean)
      .map(checkOrigin),
    dev,
    secretGenerated: !secret && dev,
  };
  const issuer = get('jwt-issuer', 'JWT_ISSUER');
  const audience = get('jwt-audience', 'JWT_AUDIENCE');
  const key = get('content-key', 'CHAT_CONTENT_KEY');
  const redisUrl = get('redis-url', 'REDIS_URL');
  if (redisUrl) config.redisUrl = redisUrl;
  const clusterNodes = get('redis-cluster-nodes', 'REDIS_CLUSTER_NODES');
  if (clusterNodes) config.redisClusterNodes = parseClusterNodes(clusterNodes).map((n) => `${n.host}:${n.port}`);
  if (issuer) config.jwtIssuer = issuer;
  if (audience) config.jwtAudience = audience;
  if (jwksUrl) config.jwtJwksUrl = jwksUrl;
  const claims = [
    ['jwtUserIdClaim', 'jwt-user-id-claim', 'JWT_USER_ID_CLAIM'],
    ['jwtNameClaim', 'jwt-name-claim', 'JWT_NAME_CLAIM'],
    ['jwtRoleClaim', 'jwt-role-claim', 'JWT_ROLE_CLAIM'],
    ['jwtServiceRole', 'jwt-service-role', 'JWT_SERVICE_ROLE'],
  ] as const;
  for (const [field, flag, name] of claims) {
    const value = get(flag, name)?.trim();
    if (value) config[field] = value;
  }
  if (rate) config.rateLimit = parseRateLimit(rate);
  const logLevelRaw = get('log-level', 'LOG_LEVEL');
  if (logLevelRaw) {
    const level = readLogLevel(argv, env);
    if (!level) throw new Error(`LOG_LEVEL "${logLevelRaw}" must be one of ${LOG_LEVELS.join(', ')}.`);
    config.logLevel = level;
  }
  const metricsToken = get('metrics-token', 'METRICS_TOKEN');
  if (metricsToken) config.metricsToken = metricsToken;
  const metricsPort = get('metrics-port', 'METRICS_PORT');
  if (metricsPort) {
    if (!/^\d+$/.test(metricsPort) || Number(metricsPort) > 65535) throw new Error(`METRICS_PORT "${metricsPort}" is not a port number.`);
    config.metricsPort = Number(metricsPort);
  }
  const slow = get('slow-consumer-bytes', 'SLOW_CONSUMER_BYTES');
  if (slow) config.slowConsumerBytes = parseSlowConsumerBytes(slow);
  const slowModeAuto = get('slow-mode-auto', 'SLOW_MODE_AUTO');
  if (slowModeAuto) config.slowModeAuto = parseSlowModeAuto(slowModeAuto);
  const piiGuard = get('pii-guard', 'PII_GUARD');
  if (piiGuard) config.piiGuard = parsePiiGuard(piiGuard);
  const addressKeys = get('address-keys', 'ADDRESS_KEYS');
  if (addressKeys) {
    parseAddressKeys(addressKeys); // a malformed list stops the start with its reason; openStore builds the keyring
    config.addressKeys = addressKeys;
  }
  const retention = get('address-retention-days', 'ADDRESS_RETENTION_DAYS');
  if (retention) config.addressRetentionDays = parseRetentionDays(retention);
  if (key) config.contentKey = key;
  const keys = get('content-keys', 'CHAT_CONTENT_KEYS');
  if (keys && key)
    throw new Error('Set CHAT_CONTENT_KEYS or CHAT_CONTENT_KEY, not both: list the old key as legacy:<key> in CHAT_CONTENT_KEYS.');
  if (keys) {
    // Parsed here so a malformed list stops the start with its reason; openStore parses it again for the keyring.
    parseContentKeys(keys);
    config.contentKeys = keys;
  }
  const attachmentDir = get('attachment-dir', 'ATTACHMENT_DIR');
  if (attachmentDir) config.attachmentDir = resolve(attachmentDir);
  const attachmentMax = get('attachment-max-bytes', 'ATTACHMENT_MAX_BYTES');
  if (attachmentMax) {
    if (!/^\d{1,10}$/.test(attachmentMax) || Number(attachmentMax) < 1024) {
      throw new Error(`ATTACHMENT_MAX_BYTES "${attachmentMax}" must be a number of bytes, at least 1024.`);
    }
    config.attachmentMaxBytes = Number(attachmentMax);
  }
  const s3 = parseS3Settings((name) => get(name.toLowerCase().replace(/_/g, '-'), name));
  if (s3) config.attachmentS3 = s3;
  const uploadLimit = get('attachment-upload-limit', 'ATTACHMENT_UPLOAD_LIMIT');
  if (uploadLimit) config.attachmentUploadLimit = parseRateLimit(uploadLimit);
  const attachmentSecret = get('attachment-url-secret', 'ATTACHMENT_URL_SECRET');
  if (attachmentSecret && attachmentSecret.length < 32) throw new Error('ATTACHMENT_URL_SECRET must be at least 32 characters.');
  if (attachmentSecret) config.attachmentUrlSecret = attachmentSecret;
  const widgetDir = get('widget-dir', 'WIDGET_DIR');
  if (widgetDir && !isWidgetDir(resolve(widgetDir))) {
    throw new Error(
      `WIDGET_DIR "${widgetDir}" has no ${WIDGET_ENTRY}: point it at the built widget (packages/elements/dist after pnpm build).`,
    );
  }
  const widget = widgetDir ? resolve(widgetDir) : defaultWidgetDir();
  if (widget) config.widgetDir = widget;
  if (!/^\d+$/.test(portRaw) || config.port > 65535) throw new Error(`PORT "${portRaw}" is not a port number.`);
  return config;
}
