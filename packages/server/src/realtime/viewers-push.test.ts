// The cadence of `viewers` pushes: one rule by room size, one push per burst, on fake timers (no wall clock).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { VIEWERS_PUSH_MS, ViewersPushSchedule, viewersPushIntervalMs } from './viewers-push.js';

describe('viewers push cadence', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is every 250 ms below 100 viewers, every second up to 1,000, every 2 s above', () => {
    expect([0, 99, 100, 1000, 1001, 10_000].map(viewersPushIntervalMs)).toEqual([250, 250, 1000, 1000, 2000, 2000]);
  });

  it('pushes a burst once, then holds a large room until its interval has passed', () => {
    const pushed: string[] = [];
    const schedule = new ViewersPushSchedule((id) => pushed.push(id));
    for (let i = 0; i < 10; i++) schedule.owe('big');
    schedule.owe('small');
    vi.advanceTimersByTime(VIEWERS_PUSH_MS);
    expect(pushed).toEqual(['big', 'small']);
    schedule.pushed('big', 5000);
    schedule.pushed('small', 3);
    schedule.owe('big');
    schedule.owe('small');
    vi.advanceTimersByTime(VIEWERS_PUSH_MS);
    expect(pushed).toEqual(['big', 'small', 'small']);
    vi.advanceTimersByTime(viewersPushIntervalMs(5000) - VIEWERS_PUSH_MS);
    expect(pushed).toEqual(['big', 'small', 'small', 'big']);
    // Once the room is empty its next push is not held.
    schedule.forget('big');
    schedule.owe('big');
    vi.advanceTimersByTime(VIEWERS_PUSH_MS);
    expect(pushed.at(-1)).toBe('big');
    schedule.stop();
  });
});
