import { ChatError } from '@groupbuy/protocol';

/** Token-bucket settings: `capacity` sends, refilled evenly over `refillMs`. @default 10 per 10 000 ms */
export interface RateLimit {
  /** Burst size: how many messages may be sent back to back. */
  capacity: number;
  /** Time in ms for an empty bucket to refill completely. */
  refillMs: number;
}

/** The seed's default: 10 messages per 10 seconds per user per room. */
export const DEFAULT_RATE_LIMIT: RateLimit = { capacity: 10, refillMs: 10_000 };

/**
 * The per-connection frame budget that goes with a send limit: room for the sends of several rooms plus
 * subscribes, at least 200 frames per refill period.
 */
export function frameLimitFor(send: RateLimit): RateLimit {
  return { capacity: Math.max(200, send.capacity * 4), refillMs: send.refillMs };
}

/**
 * Takes one allowance for a key or refuses with RATE_LIMITED (`retryAfterMs` says how long to wait). Async
 * because the cluster-wide one asks Redis; the in-memory one answers at once.
 */
export interface Limiter {
  /** Resolves when `key` had a token (now spent); rejects with a RATE_LIMITED ChatError otherwise. */
  take(key: string): Promise<void>;
}

/**
 * The refusal both limiters give: RATE_LIMITED with the wait, in ms, rounded up to whole seconds in the
 * message. One place so the in-memory and the Redis bucket say the same thing.
 */
export function rateLimited(retryAfterMs: number): ChatError {
  return new ChatError('RATE_LIMITED', `You are sending too fast. Try again in ${Math.ceil(retryAfterMs / 1000)} s.`, {
    retryAfterMs,
  });
}

/** Throws a RangeError for a limit that cannot work (capacity < 1 or refillMs ≤ 0). */
export function checkRateLimit(limit: RateLimit): void {
  // A zero capacity would answer every send with "retry in Infinity s", a zero refill would never limit.
  if (!(limit.capacity >= 1) || !(limit.refillMs > 0)) {
    throw new RangeError(`A rate limit needs capacity ≥ 1 and refillMs > 0 (got ${limit.capacity}/${limit.refillMs}).`);
  }
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/**
 * Per-key token buckets in this process (key = user + room). Full buckets are dropped so memory follows
 * active senders. The limit without Redis, and the fallback of {@link RedisRateLimiter} while Redis is away.
 */
export class RateLimiter implements Limiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number,
  ) {
    checkRateLimit(limit);
    this.perMs = limit.capacity / limit.refillMs;
  }

  /** Takes one token for `key` or rejects with RATE_LIMITED and the wait in `retryAfterMs`. */
  async take(key: string): Promise<void> {
    this.takeNow(key);
  }

  /** {@link take}, synchronously: throws RATE_LIMITED instead of rejecting. */
  takeNow(key: string): void {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.capacity, updatedMs: now };
    // The wall clock can step back (NTP); time that "went backwards" refills nothing rather than draining the bucket.
    bucket.tokens = Math.min(this.limit.capacity, bucket.tokens + Math.max(0, now - bucket.updatedMs) * this.perMs);
    bucket.updatedMs = now;
    if (bucket.tokens < 1) {
      this.buckets.set(key, bucket);
      const retryAfterMs = Math.ceil((1 - bucket.tokens) / this.perMs);
      throw rateLimited(retryAfterMs);
    }
    bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 10_000) this.sweep(now);
  }

  // Buckets that have refilled carry no information: dropping them bounds memory by active senders.
  private sweep(now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + (now - b.updatedMs) * this.perMs >= this.limit.capacity) this.buckets.delete(key);
    }
  }
}
