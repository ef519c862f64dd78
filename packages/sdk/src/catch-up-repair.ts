import { LIMITS } from '@groupbuy/protocol';
import type { CatchUp } from './catch-up.js';

/**
 * The part of a {@link CatchUp} a first paint does not need, loaded on first use: paging back, filling a
 * hole through `GET …/messages?after=`, and starting over from the latest page after a replay-truncated.
 */
export class Repair {
  // The one fill or reload on its way, if any: a fill is not started while either runs (the reload brings
  // a fresh tail, and a fill loops until no hole is left).
  private filling: Promise<void> | undefined;
  private reloading: Promise<void> | undefined;
  private paging: Promise<number> | undefined;

  constructor(private readonly catchUp: CatchUp) {}

  /** Loads the page before the oldest loaded message; resolves with how many were added (overlapping calls share one). */
  older(): Promise<number> {
    const { list, host } = this.catchUp;
    this.paging ??= (async () => {
      const oldest = list.oldestSeq;
      if (!this.catchUp.hasOlder || oldest === undefined) return 0;
      const page = await host.page(`before=${oldest}&limit=${LIMITS.historyPageDefault}`);
      this.catchUp.hasOlder = page.hasMore;
      return host.ingest(page.messages, false);
    })().finally(() => {
      this.paging = undefined;
    });
    return this.paging;
  }

  /** The server could not replay `sinceSeq…lastSeq`: starts over from the latest page. */
  restart(sinceSeq: number, lastSeq: number): Promise<void> {
    const run = (async () => {
      try {
        const page = await this.catchUp.latest();
        if (!this.catchUp.host.alive()) return;
        this.catchUp.startFrom(page);
        this.catchUp.host.restarted(page.messages, { sinceSeq, lastSeq });
      } catch {
        // Reported by the session; the next reconnect asks for the replay again.
      }
    })();
    this.reloading = run;
    return run.finally(() => {
      if (this.reloading === run) this.reloading = undefined;
      if (this.catchUp.list.hasGap) void this.fill(false);
    });
  }

  /** Fills the hole after the last contiguous seq (`force`: asks once even when none shows). */
  fill(force: boolean): Promise<void> {
    const { list, host } = this.catchUp;
    if (this.filling || this.reloading || !host.alive()) return Promise.resolve();
    const run = (async () => {
      try {
        while (force || list.hasGap) {
          force = false;
          const page = await host.page(`after=${list.contiguousSeq}&limit=${LIMITS.historyPageMax}`);
          if (!host.alive()) return;
          if (host.ingest(page.messages, true) === 0 || !page.hasMore) break;
        }
      } catch {
        // Reported by the session; the next reconnect resumes from the contiguous seq anyway.
      }
    })();
    this.filling = run.finally(() => {
      this.filling = undefined;
    });
    return this.filling;
  }
}
