import type { Clock } from '@groupbuy/server/core';

/**
 * The server's clock in a story or a test: it runs with the wall clock (so a countdown ticks) from an
 * offset that `advance` moves forward, so a story can scrub to the deadline and a test can pass it
 * without waiting. A fake of what we do not own (time); the core that reads it is real.
 */
export interface TestClock extends Clock {
  /** The server's time, epoch ms: `Date.now() + offsetMs`. */
  now(): number;
  /** Moves the clock forward by `ms` (not backward: a negative `ms` is refused). */
  advance(ms: number): void;
  /** How far the server's clock is ahead of this machine's, in ms. */
  readonly offsetMs: number;
}

/** A {@link TestClock} `offsetMs` (@default 0) ahead of the wall clock. */
export function createTestClock(options: { offsetMs?: number } = {}): TestClock {
  let offsetMs = options.offsetMs ?? 0;
  return {
    now: () => Date.now() + offsetMs,
    advance(ms) {
      if (!(ms >= 0)) throw new RangeError(`A clock only moves forward (got ${ms} ms).`);
      offsetMs += ms;
    },
    get offsetMs() {
      return offsetMs;
    },
  };
}
