import type { Logger } from '../logger.js';
import type { ChatStore } from '../stores/types.js';
import type { Clock } from './service.js';

/** Work the scheduler also runs on each tick, and at least every `everyMs` (the address retention purge, issue 11). */
export interface Housekeeping {
  /** The work; a failure is logged and retried like a failed deadline check. */
  run(): Promise<unknown>;
  /** The longest gap between two runs, in ms. */
  everyMs: number;
}

// setTimeout takes a signed 32-bit delay; a longer one fires at once.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * One timer for the next deadline of any ACTIVE room (not one per room). When it fires it settles every
 * due room and arms itself for the next. `start()` also settles rooms whose deadline passed while the
 * server was down.
 */
export class DeadlineScheduler {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private armedFor: number | null = null;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  // Apart from the deadline timer, so that one stays armed for the earliest deadline alone.
  private housekeepingTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly store: ChatStore,
    private readonly settleDue: () => Promise<number>,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly housekeeping?: Housekeeping,
  ) {}

  /** Settles what is overdue, then arms the timer. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.tick();
    this.armHousekeeping();
  }

  /** Re-arms if `deadlineMs` is earlier than the armed deadline (a room was created). */
  consider(deadlineMs: number): void {
    if (this.stopped) return;
    if (this.armedFor === null || deadlineMs < this.armedFor) this.arm(deadlineMs);
  }

  /** Clears the timer and waits for a running settlement. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.housekeepingTimer) clearTimeout(this.housekeepingTimer);
    this.timer = null;
    this.housekeepingTimer = null;
    this.armedFor = null;
    await this.running;
  }

  private tick(): Promise<void> {
    // Serialise ticks so two timers never settle the same rooms concurrently in one process.
    this.running = this.running.then(async () => {
      if (this.stopped) return;
      try {
        await this.settleDue();
        // Housekeeping (expired shipping addresses) rides on every tick; its own timer adds one every everyMs.
        await this.housekeeping?.run();
        const next = await this.store.nextDeadline();
        // A room created while this tick awaited the store may have armed an earlier timer through
        // consider(); arming unconditionally (or clearing on null) would drop that deadline.
        if (next !== null) this.consider(next);
      } catch (err) {
        this.logger.log('error', 'deadline check failed', { error: String(err) });
        this.consider(this.clock.now() + 5_000);
      }
    });
    return this.running;
  }

  private armHousekeeping(): void {
    if (!this.housekeeping || this.stopped) return;
    if (this.housekeepingTimer) clearTimeout(this.housekeepingTimer);
    this.housekeepingTimer = setTimeout(() => {
      this.housekeepingTimer = null;
      void this.tick().then(() => this.armHousekeeping());
    }, this.housekeeping.everyMs);
    this.housekeepingTimer.unref?.();
  }

  private arm(deadlineMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.armedFor = deadlineMs;
    const delay = Math.min(Math.max(0, deadlineMs - this.clock.now()), MAX_TIMER_MS);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.armedFor = null;
      void this.tick();
    }, delay);
    this.timer.unref?.();
  }
}
