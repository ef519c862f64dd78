import { RetryTimer } from './backoff.js';
import type { PlatformEvents } from './types.js';

/**
 * After a server's restart notice the next attempt opens within this many ms (uniformly random), not after
 * the backoff: at once for a person, but the thousands of clients of one instance do not all land on the
 * others in the same millisecond.
 */
export const RESTART_SPREAD_MS = 250;

/** Options of a {@link Reconnector}. */
export interface ReconnectOptions {
  /** The delay cap of the first retry, in ms. */
  initialDelayMs: number;
  /** The largest delay cap, in ms (full jitter is applied after the cap). */
  maxDelayMs: number;
  /** Wake-ups (online, page visible again, back from the bfcache) and the network going away. */
  platform: PlatformEvents;
  /**
   * Opens connection attempt number `attempt`. Everything that attempt reports later must check
   * {@link Reconnector.isCurrent} first: an attempt that was replaced or stopped is stale.
   */
  open(attempt: number): void;
  /** The platform says the network is gone (the owner drops its connection and calls {@link Reconnector.retry}). */
  offline(): void;
  /** The random source of the jitter. @default Math.random */
  random?: () => number;
}

/**
 * The one reconnect loop of the SDK, shared by the chat client and the SSE watcher (only the core
 * reconnects; a transport never does): every connection attempt gets an id and callbacks carrying an older
 * one are ignored (centrifuge's `_transportId`); a failed or ended attempt is retried after a full-jitter
 * backoff that starts over only once the server answered (or within {@link RESTART_SPREAD_MS} when the
 * server said it is restarting); a platform wake-up runs a waiting retry at once.
 */
export class Reconnector {
  private attempt = 0;
  private readonly timer: RetryTimer;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly options: ReconnectOptions) {
    this.timer = new RetryTimer({ initialDelayMs: options.initialDelayMs, maxDelayMs: options.maxDelayMs }, options.random);
  }

  /** The id of the current attempt. */
  get current(): number {
    return this.attempt;
  }

  /** True when `attempt` is the current one (not replaced, failed or stopped since). */
  isCurrent(attempt: number): boolean {
    return attempt === this.attempt;
  }

  /** False when the platform knows it is offline. */
  online(): boolean {
    return this.options.platform.isOnline();
  }

  /** Starts listening to the platform (once) and opens the first attempt. */
  start(): void {
    this.unsubscribe ??= this.options.platform.subscribe(
      () => this.wake(),
      () => this.options.offline(),
    );
    this.connect();
  }

  /** Opens a new attempt now; the previous one is stale from here on. */
  connect(): void {
    const attempt = ++this.attempt;
    this.timer.cancel();
    this.options.open(attempt);
  }

  /** The current attempt failed or its connection ended: it is stale, and a new one opens after the backoff delay. */
  retry(): void {
    this.attempt += 1;
    this.timer.schedule(() => this.connect());
  }

  /**
   * The server said it is restarting (RESTART_NOTICE): the current attempt is stale, the backoff starts over,
   * and a new attempt opens after a random 0–{@link RESTART_SPREAD_MS} ms. Returns that delay in ms.
   */
  retrySoon(): number {
    this.attempt += 1;
    this.timer.reset();
    const delayMs = Math.floor((this.options.random ?? Math.random)() * RESTART_SPREAD_MS);
    return this.timer.schedule(() => this.connect(), delayMs);
  }

  /** The server answered on `attempt`: if it is still the current one, the next backoff starts from the first delay. */
  succeeded(attempt: number): void {
    if (attempt === this.attempt) this.timer.reset();
  }

  /** Forgets past failures (the next delay starts from the first one). */
  reset(): void {
    this.timer.reset();
  }

  /** Stops retrying: the current attempt is stale and no retry waits, until {@link connect}. */
  halt(): void {
    this.attempt += 1;
    this.timer.cancel();
  }

  /** Halts for good and stops listening to the platform. */
  stop(): void {
    this.halt();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** A wake-up: a retry waiting for its delay runs now, and the backoff starts over. */
  wake(): void {
    if (!this.timer.waiting) return;
    this.timer.reset();
    this.timer.now();
  }
}
