import type { Logger } from '../logger.js';
import type { ChatStore } from '../stores/types.js';
import type { BlobStore } from './blobs.js';
import { removeAttachments } from './store-hook.js';

/** How long an upload may wait for a message to carry it before it is removed, in ms. */
export const ORPHAN_AGE_MS = 24 * 3600 * 1000;

/** How often the sweep runs, in ms. */
export const SWEEP_EVERY_MS = 3600 * 1000;

/** Removes uploads no message carried within {@link ORPHAN_AGE_MS}, records and blobs. Returns how many. */
export async function sweepOrphans(store: ChatStore, blobs: BlobStore, nowMs: number): Promise<number> {
  let removed = 0;
  for (;;) {
    const batch = await store.attachments.orphansBefore(nowMs - ORPHAN_AGE_MS, 200);
    if (batch.length === 0) return removed;
    await removeAttachments(
      store,
      blobs,
      batch.map((r) => r.id),
    );
    removed += batch.length;
  }
}

/** Runs {@link sweepOrphans} every hour while started. */
export class OrphanSweeper {
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: ChatStore,
    private readonly blobs: BlobStore,
    private readonly now: () => number,
    private readonly logger: Logger,
  ) {}

  /** Sweeps once now, then hourly. */
  start(): void {
    if (this.timer) return;
    this.tick();
    this.timer = setInterval(() => {
      this.tick();
    }, SWEEP_EVERY_MS);
    this.timer.unref();
  }

  /** Stops the timer and waits for a sweep in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private tick(): void {
    this.running = this.running.then(async () => {
      try {
        const removed = await sweepOrphans(this.store, this.blobs, this.now());
        if (removed > 0) this.logger.log('info', 'orphan uploads removed', { count: removed });
      } catch (err) {
        this.logger.log('warn', 'orphan upload sweep failed', { error: String(err) });
      }
    });
  }
}
