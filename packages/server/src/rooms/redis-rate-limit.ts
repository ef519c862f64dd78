import { createHash } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import { parseClusterNodes } from '../bus/cluster-nodes.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { LIMITS } from '@groupbuy/protocol';
import { LocalCooldowns, type ChatCooldowns } from './moderation.js';
import { checkRateLimit, rateLimited, type Limiter, type RateLimit } from './rate-limit.js';

/** Options of {@link RedisRateLimiter}. */
export interface RedisRateLimiterOptions {
  /** `redis://host:port/db`, the same Redis the bus uses. */
  url: string;
  /** `host:port` of Redis Cluster nodes (REDIS_CLUSTER_NODES): used instead of `url`; each bucket is one key, so one slot. */
  clusterNodes?: string[];
  /** The bucket every instance shares. */
  limit: RateLimit;
  /** Answers while Redis is unreachable (this instance's own buckets); see {@link RedisRateLimiter}. */
  fallback: Limiter;
  /** Key prefix shared by the instances of one deployment. @default 'groupbuy:' */
  prefix?: string;
  /** How long one Redis round trip may take before the fallback answers, in ms. @default 500 */
  timeoutMs?: number;
  /** Logs the outage once, and the recovery once. */
  logger?: Logger;
  /** Counts the answers the fallback gave (`groupbuy_rate_limit_fallback_total`). */
  metrics?: Metrics;
}

/**
 * The token bucket of {@link RateLimiter}, in one atomic Lua script: refill by elapsed time (Redis's own clock,
 * so instances with skewed clocks share one timeline; time that went backwards refills nothing), refuse below
 * one token with the wait, else spend one. A bucket untouched for `refillMs` is full again, so the key expires
 * then. Returns 0 when allowed, else the wait in ms.
 */
const TAKE = `
local capacity = tonumber(ARGV[1])
local refill = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local perMs = capacity / refill
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or capacity
local at = tonumber(b[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * perMs)
local wait = 0
if tokens < 1 then
  wait = math.ceil((1 - tokens) / perMs)
else
  tokens = tokens - 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(refill))
return wait
`;
const TAKE_SHA = createHash('sha1').update(TAKE).digest('hex');

/**
 * The per-user-per-room send limit shared by every instance through Redis, so N instances give one allowance,
 * not N. One Lua script rather than rate-limiter-flexible: its Redis limiters count fixed windows, not this
 * token bucket, and keeping the bucket keeps `retryAfterMs` and the burst the clients already see.
 *
 * Fails OPEN to the per-instance bucket: while Redis is unreachable (refused, or no answer in `timeoutMs`) each
 * instance limits on its own, so a user gets at most one allowance per instance instead of none. The store is
 * the truth and Redis only the fan-out; refusing every send during a Redis outage would turn a degraded chat
 * into a dead one. The outage is logged once (warn) and the recovery once (info); every fallback answer counts.
 */
export class RedisRateLimiter implements Limiter, ChatCooldowns {
  private readonly redis: Redis | Cluster;
  private readonly prefix: string;
  // Slow mode's cooldowns while Redis is away (and the last ones this instance saw).
  private readonly localCooldowns = new LocalCooldowns();
  private readonly timeoutMs: number;
  private healthy = true;

  private constructor(private readonly options: RedisRateLimiterOptions) {
    checkRateLimit(options.limit);
    this.prefix = `${options.prefix ?? 'groupbuy:'}ratelimit:`;
    this.timeoutMs = options.timeoutMs ?? 500;
    // No offline queue and one try: a send must not wait for a reconnect, it takes the fallback at once.
    const redisOptions = { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: this.timeoutMs, lazyConnect: true };
    this.redis = options.clusterNodes?.length
      ? new Cluster(options.clusterNodes.flatMap(parseClusterNodes), { redisOptions, enableOfflineQueue: false, lazyConnect: true })
      : new Redis(options.url, redisOptions);
    // Connection errors are reported through take()'s outage log, once; ioredis would emit one per retry.
    this.redis.on('error', () => undefined);
  }

  /** Connects (waits up to `timeoutMs` × 10 for Redis; an unreachable Redis starts in fallback). */
  static async open(options: RedisRateLimiterOptions): Promise<RedisRateLimiter> {
    const limiter = new RedisRateLimiter(options);
    const connecting = limiter.redis.connect().then(
      () => true,
      () => false,
    );
    const timeout = new Promise<boolean>((r) => setTimeout(() => r(false), limiter.timeoutMs * 10).unref());
    if (!(await Promise.race([connecting, timeout]))) limiter.outage();
    return limiter;
  }

  /** True while the answers come from Redis (cluster-wide); false from a failed round trip until one succeeds. */
  get clusterWide(): boolean {
    return this.healthy;
  }

  /** Takes one token for `key` from the shared bucket (or, while Redis is away, from the fallback). */
  async take(key: string): Promise<void> {
    let wait: number;
    try {
      wait = await this.run(this.prefix + key);
    } catch {
      this.outage();
      this.options.metrics?.inc('groupbuy_rate_limit_fallback_total');
      return this.options.fallback.take(key);
    }
    this.recovered();
    if (wait > 0) throw rateLimited(wait);
  }

  // EVALSHA, and the whole script once after a Redis restart flushed its script cache (NOSCRIPT).
  private async run(key: string): Promise<number> {
    const { capacity, refillMs } = this.options.limit;
    try {
      return Number(await this.redis.evalsha(TAKE_SHA, 1, key, capacity, refillMs));
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return Number(await this.redis.eval(TAKE, 1, key, capacity, refillMs));
    }
  }

  /**
   * Slow mode's cooldown (issue 11), shared like the send limit: when `userId`'s last CHAT in the room was
   * accepted on any instance. Fails open the same way: this instance's own record while Redis is away.
   */
  async lastChatAt(roomId: string, userId: string): Promise<number | null> {
    try {
      const value = await this.redis.get(this.cooldownKey(roomId, userId));
      this.recovered();
      return value === null ? null : Number(value);
    } catch {
      this.outage();
      return this.localCooldowns.lastChatAt(roomId, userId);
    }
  }

  /** Records an accepted CHAT for {@link lastChatAt}; kept as long as the longest slow mode can refuse. */
  async recordChat(roomId: string, userId: string, atMs: number): Promise<void> {
    await this.localCooldowns.recordChat(roomId, userId, atMs);
    try {
      await this.redis.set(this.cooldownKey(roomId, userId), String(atMs), 'PX', LIMITS.slowModeMaxMs);
      this.recovered();
    } catch {
      this.outage();
    }
  }

  // One key per user and room, in the room's hash slot on a Redis Cluster.
  private cooldownKey(roomId: string, userId: string): string {
    return `${this.options.prefix ?? 'groupbuy:'}cooldown:{${roomId}}:${userId}`;
  }

  /** Disconnects from Redis. */
  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private recovered(): void {
    if (this.healthy) return;
    this.healthy = true;
    this.options.logger?.log('info', 'rate limit: Redis reachable again, limits are cluster-wide', {});
  }

  private outage(): void {
    if (!this.healthy) return;
    this.healthy = false;
    this.options.logger?.log('warn', 'rate limit: Redis unreachable, each instance limits on its own until it returns', {
      code: 'UNAVAILABLE',
    });
  }
}
