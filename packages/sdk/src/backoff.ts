/** Bounds of the reconnect delay. */
export interface BackoffOptions {
  /** The delay cap of the first retry, in ms. */
  initialDelayMs: number;
  /** The largest delay cap, in ms; full jitter is applied after this cap. */
  maxDelayMs: number;
}

/**
 * The delay before retry number `attempt` (0-based), in ms: full jitter applied after the cap,
 * `random(0, min(maxDelayMs, initialDelayMs · 2^attempt))`. Full jitter spreads a crowd of clients that
 * lost the same server so they do not come back in one wave.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const cap = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * cap);
}

/**
 * One retry timer with a growing delay: `schedule` after a failure, `reset` after a success, `now` to skip
 * the wait (the page came back online). The timer behind the SDK's one reconnect loop, `Reconnector` (reconnect.ts).
 */
export class RetryTimer {
  /** Failures since the last success. */
  attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pending: (() => void) | undefined;

  constructor(
    private readonly options: BackoffOptions,
    private readonly random: () => number = Math.random,
  ) {}

  /** True while a retry is waiting. */
  get waiting(): boolean {
    return this.pending !== undefined;
  }

  /**
   * Runs `retry` after the next backoff delay (replacing any waiting one); returns that delay in ms. With
   * `delayMs` it waits that long instead and the backoff does not grow (the server asked to come back now).
   */
  schedule(retry: () => void, delayMs?: number): number {
    this.cancel();
    const waitMs = delayMs ?? backoffDelayMs(this.attempt++, this.options, this.random);
    this.pending = retry;
    this.timer = setTimeout(() => this.fire(), waitMs);
    return waitMs;
  }

  /** Runs the waiting retry at once, if any. */
  now(): void {
    if (this.pending) this.fire();
  }

  /** Drops the waiting retry. */
  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
  }

  /** Forgets past failures: the next delay starts from `initialDelayMs` again. */
  reset(): void {
    this.attempt = 0;
  }

  private fire(): void {
    const retry = this.pending;
    this.cancel();
    retry?.();
  }
}
