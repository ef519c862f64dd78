import { afterEach, describe, expect, it, vi } from 'vitest';
import { RetryTimer, backoffDelayMs } from './backoff.js';

const options = { initialDelayMs: 500, maxDelayMs: 15_000 };

describe('backoffDelayMs', () => {
  it('doubles the cap with every attempt', () => {
    const top = () => 0.999_999;
    expect(backoffDelayMs(0, options, top)).toBe(499);
    expect(backoffDelayMs(1, options, top)).toBe(999);
    expect(backoffDelayMs(4, options, top)).toBe(7_999);
  });

  it('never exceeds the largest cap, however many attempts failed', () => {
    expect(backoffDelayMs(50, options, () => 0.999_999)).toBe(14_999);
    expect(backoffDelayMs(5_000, options, () => 0.999_999)).toBe(14_999);
  });

  it('applies full jitter: anything from zero up to the cap', () => {
    expect(backoffDelayMs(3, options, () => 0)).toBe(0);
    expect(backoffDelayMs(3, options, () => 0.5)).toBe(2_000);
  });

  it('stays within bounds with the real random source', () => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const delay = backoffDelayMs(attempt, options);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(Math.min(15_000, 500 * 2 ** attempt));
    }
  });
});

describe('RetryTimer', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs the retry after the backoff delay and grows the next one', () => {
    vi.useFakeTimers();
    const timer = new RetryTimer(options, () => 0.999_999);
    const retry = vi.fn();
    expect(timer.schedule(retry)).toBe(499);
    vi.advanceTimersByTime(498);
    expect(retry).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(retry).toHaveBeenCalledTimes(1);
    expect(timer.schedule(retry)).toBe(999);
  });

  it('starts from the first delay again after reset', () => {
    vi.useFakeTimers();
    const timer = new RetryTimer(options, () => 0.999_999);
    timer.schedule(() => {});
    timer.schedule(() => {});
    timer.reset();
    expect(timer.schedule(() => {})).toBe(499);
  });

  it('runs a waiting retry at once on now(), only once, and never after cancel()', () => {
    vi.useFakeTimers();
    const timer = new RetryTimer(options);
    const woken = vi.fn();
    const cancelled = vi.fn();
    timer.schedule(woken);
    timer.now();
    timer.schedule(cancelled);
    timer.cancel();
    timer.now();
    vi.runAllTimers();
    expect(woken).toHaveBeenCalledTimes(1);
    expect(cancelled).not.toHaveBeenCalled();
    expect(timer.waiting).toBe(false);
  });
});
