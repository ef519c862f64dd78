import { describe, expect, it } from 'vitest';
import { ChatError } from '@groupbuy/protocol';
import { DEFAULT_RATE_LIMIT, RateLimiter } from './rate-limit.js';

/** A clock that only moves when the test says so. */
function fakeClock(startMs = 1_700_000_000_000) {
  let now = startMs;
  return { now: () => now, advance: (ms: number) => void (now += ms), set: (ms: number) => void (now = ms) };
}

/** The error `take` throws, or null when it allowed the send. */
function attempt(limiter: RateLimiter, key: string): ChatError | null {
  try {
    limiter.takeNow(key);
    return null;
  } catch (err) {
    if (err instanceof ChatError) return err;
    throw err;
  }
}

function takeTimes(limiter: RateLimiter, key: string, n: number): void {
  for (let i = 0; i < n; i++) limiter.takeNow(key);
}

describe('RateLimiter (token bucket)', () => {
  it('defaults to 10 messages per 10 seconds', () => {
    expect(DEFAULT_RATE_LIMIT).toEqual({ capacity: 10, refillMs: 10_000 });
  });

  it('allows 10 back to back, then refuses the 11th with RATE_LIMITED and the wait in retryAfterMs', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(DEFAULT_RATE_LIMIT, clock.now);
    for (let i = 0; i < 10; i++) expect(attempt(limiter, 'kim/p1')).toBeNull();
    const refused = attempt(limiter, 'kim/p1');
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 1000 });
    expect(refused!.toInfo()).toEqual({ code: 'RATE_LIMITED', message: expect.stringMatching(/1 s/), retryAfterMs: 1000 });
  });

  it('shortens retryAfterMs as time passes', () => {
    const clock = fakeClock();
    // One token per 1024 ms: binary fractions keep the arithmetic exact.
    const limiter = new RateLimiter({ capacity: 4, refillMs: 4096 }, clock.now);
    takeTimes(limiter, 'k', 4);
    expect(attempt(limiter, 'k')?.retryAfterMs).toBe(1024);
    clock.advance(256);
    expect(attempt(limiter, 'k')?.retryAfterMs).toBe(768);
    clock.advance(767);
    expect(attempt(limiter, 'k')?.retryAfterMs).toBe(1);
    clock.advance(1);
    expect(attempt(limiter, 'k')).toBeNull();
  });

  it('allows one more send once retryAfterMs has passed, and only one', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(DEFAULT_RATE_LIMIT, clock.now);
    takeTimes(limiter, 'k', 10);
    const wait = attempt(limiter, 'k')!.retryAfterMs!;
    clock.advance(wait);
    expect(attempt(limiter, 'k')).toBeNull();
    expect(attempt(limiter, 'k')?.code).toBe('RATE_LIMITED');
  });

  it('refills completely after refillMs, but never beyond the burst size', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(DEFAULT_RATE_LIMIT, clock.now);
    takeTimes(limiter, 'k', 10);
    clock.advance(10_000);
    for (let i = 0; i < 10; i++) expect(attempt(limiter, 'k')).toBeNull();
    expect(attempt(limiter, 'k')?.code).toBe('RATE_LIMITED');

    clock.advance(3_600_000);
    takeTimes(limiter, 'k', 10);
    expect(attempt(limiter, 'k')?.code).toBe('RATE_LIMITED');
  });

  it('does not count refused attempts against the sender', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(DEFAULT_RATE_LIMIT, clock.now);
    takeTimes(limiter, 'k', 10);
    for (let i = 0; i < 50; i++) attempt(limiter, 'k');
    clock.advance(1000);
    expect(attempt(limiter, 'k')).toBeNull();
  });

  it('keeps a bucket per key, so one user or room does not limit another', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(DEFAULT_RATE_LIMIT, clock.now);
    takeTimes(limiter, 'kim\u0000p1', 10);
    expect(attempt(limiter, 'kim\u0000p1')?.code).toBe('RATE_LIMITED');
    expect(attempt(limiter, 'kim\u0000p2')).toBeNull();
    expect(attempt(limiter, 'lee\u0000p1')).toBeNull();
  });

  it('follows a custom limit', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ capacity: 2, refillMs: 60_000 }, clock.now);
    takeTimes(limiter, 'k', 2);
    expect(attempt(limiter, 'k')).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 30_000 });
  });

  it('keeps limiting a drained sender while many other senders come and go', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(DEFAULT_RATE_LIMIT, clock.now);
    takeTimes(limiter, 'busy', 10);
    for (let i = 0; i < 10_050; i++) limiter.takeNow(`passer-${i}`);
    expect(attempt(limiter, 'busy')?.code).toBe('RATE_LIMITED');
    clock.advance(10_000);
    for (let i = 0; i < 10_050; i++) limiter.takeNow(`later-${i}`);
    // The earlier passers' buckets refilled and may be dropped; each starts full again.
    takeTimes(limiter, 'passer-0', 10);
    expect(attempt(limiter, 'passer-0')?.code).toBe('RATE_LIMITED');
  });

  it('does not lock a sender out when the clock steps back', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(DEFAULT_RATE_LIMIT, clock.now);
    takeTimes(limiter, 'k', 5);
    clock.advance(-3_600_000);
    for (let i = 0; i < 5; i++) expect(attempt(limiter, 'k')).toBeNull();
    expect(attempt(limiter, 'k')).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 1000 });
  });

  it('take() resolves while tokens last and rejects with the same RATE_LIMITED after', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ capacity: 2, refillMs: 2000 }, clock.now);
    await limiter.take('k');
    await limiter.take('k');
    await expect(limiter.take('k')).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 1000 });
  });

  it.each([
    ['a capacity of 0', { capacity: 0, refillMs: 10_000 }],
    ['a refill time of 0', { capacity: 10, refillMs: 0 }],
    ['a capacity that is not a number', { capacity: Number.NaN, refillMs: 10_000 }],
  ])('refuses a limit that could not work: %s', (_what, limit) => {
    expect(() => new RateLimiter(limit, () => 0)).toThrow(RangeError);
  });
});
