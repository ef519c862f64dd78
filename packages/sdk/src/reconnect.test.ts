import { afterEach, describe, expect, it, vi } from 'vitest';
import { RESTART_SPREAD_MS, Reconnector } from './reconnect.js';
import type { PlatformEvents } from './types.js';

/** A reconnect loop on a fake clock (which we do not own) and a platform the test fires by hand. */
function loop() {
  const opened: number[] = [];
  let wake = (): void => {};
  let offline = (): void => {};
  let listening = false;
  const platform: PlatformEvents = {
    subscribe(onWake, onOffline) {
      wake = onWake;
      offline = onOffline;
      listening = true;
      return () => {
        listening = false;
      };
    },
    isOnline: () => true,
  };
  const offlines: number[] = [];
  const reconnector = new Reconnector({
    initialDelayMs: 500,
    maxDelayMs: 15_000,
    platform,
    random: () => 0.999_999,
    open: (attempt) => opened.push(attempt),
    offline: () => offlines.push(reconnector.current),
  });
  return { reconnector, opened, offlines, wake: () => wake(), goOffline: () => offline(), listening: () => listening };
}

describe('Reconnector', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives every attempt its own id, so a replaced or failed one is stale', () => {
    const { reconnector, opened } = loop();
    reconnector.start();
    const first = opened[0] as number;
    expect(reconnector.isCurrent(first)).toBe(true);
    reconnector.connect();
    expect(reconnector.isCurrent(first)).toBe(false);
    const second = opened[1] as number;
    reconnector.retry();
    expect(reconnector.isCurrent(second)).toBe(false);
  });

  it('retries after a growing backoff that starts over once the server answered on the current attempt', () => {
    vi.useFakeTimers();
    const { reconnector, opened } = loop();
    reconnector.start();
    reconnector.retry();
    vi.advanceTimersByTime(499);
    expect(opened).toHaveLength(2);
    reconnector.retry();
    vi.advanceTimersByTime(998);
    expect(opened).toHaveLength(2); // the second delay is twice the first
    vi.advanceTimersByTime(1);
    expect(opened).toHaveLength(3);

    reconnector.succeeded(opened[1] as number); // a stale attempt's answer changes nothing
    reconnector.retry();
    vi.advanceTimersByTime(1_999);
    expect(opened).toHaveLength(4);
    reconnector.succeeded(opened[3] as number);
    reconnector.retry();
    vi.advanceTimersByTime(499);
    expect(opened).toHaveLength(5);
  });

  it('after a restart notice opens the next attempt within the 250 ms spread, not the backoff, and starts the backoff over', () => {
    vi.useFakeTimers();
    const { reconnector, opened } = loop();
    reconnector.start();
    for (let i = 0; i < 4; i++) {
      reconnector.retry();
      vi.advanceTimersByTime(15_000);
    }
    expect(opened).toHaveLength(5); // the backoff has grown to its cap
    const stale = opened[4] as number;
    expect(reconnector.retrySoon()).toBe(RESTART_SPREAD_MS - 1); // random() is 0.999999: the far end of the spread
    expect(reconnector.isCurrent(stale)).toBe(false);
    vi.advanceTimersByTime(RESTART_SPREAD_MS - 2);
    expect(opened).toHaveLength(5);
    vi.advanceTimersByTime(1);
    expect(opened).toHaveLength(6);
    reconnector.retry(); // the next plain failure waits the first delay again
    vi.advanceTimersByTime(499);
    expect(opened).toHaveLength(7);
  });

  it('runs a waiting retry at once on a wake-up, and does nothing on one while no retry waits', () => {
    vi.useFakeTimers();
    const { reconnector, opened, wake } = loop();
    reconnector.start();
    wake();
    expect(opened).toHaveLength(1);
    reconnector.retry();
    wake();
    expect(opened).toHaveLength(2);
    vi.advanceTimersByTime(60_000);
    expect(opened).toHaveLength(2); // the retry that waited ran once, at the wake-up
  });

  it('hands the offline event to its owner, and stops listening and retrying once stopped', () => {
    vi.useFakeTimers();
    const { reconnector, opened, offlines, goOffline, listening } = loop();
    reconnector.start();
    goOffline();
    expect(offlines).toEqual([opened[0]]);
    reconnector.retry();
    reconnector.stop();
    vi.advanceTimersByTime(60_000);
    expect(opened).toHaveLength(1);
    expect(listening()).toBe(false);
  });
});
