import { LIMITS, type ChatMessage, type MessagePage } from '@groupbuy/protocol';
import type { MessageList } from './message-list.js';

/** What a {@link CatchUp} needs from its session. */
export interface CatchUpHost {
  /** Reads `GET …/messages?{query}`; rejects on failure (the session reports it). */
  page(query: string): Promise<MessagePage>;
  /** Adds stored messages (`live`: filling a gap, not paging back); returns how many were new. */
  ingest(messages: readonly ChatMessage[], live: boolean): number;
  /** The signed-in user's id, once known (their own messages replace their optimistic copies). */
  ownUserId(): string | undefined;
  /** The list was started over from `messages`, the latest page, because `sinceSeq…lastSeq` could not be replayed. */
  restarted(messages: readonly ChatMessage[], gap: { sinceSeq: number; lastSeq: number }): void;
  /** False once the session is disposed: answers that arrive later are dropped. */
  alive(): boolean;
}

/**
 * How a session's message list is filled from REST and gets back to gap-free after missing messages: it
 * starts from the latest page and pages back from there; a resumed subscription asks for everything after
 * the last contiguous seq; a hole that still shows in the live seqs (or a send acknowledged without its
 * stored copy) is filled through `GET …/messages?after=`; and when the server says it cannot replay that far
 * (replay-truncated), the list starts over from the latest page and the session says so.
 */
export class CatchUp {
  /** True while older history exists beyond the loaded messages. */
  hasOlder = false;
  // The one fill or reload on its way, if any: a fill is not started while either runs (the reload brings
  // a fresh tail, and a fill loops until no hole is left).
  private filling: Promise<void> | undefined;
  private reloading: Promise<void> | undefined;
  private paging: Promise<number> | undefined;

  constructor(
    private readonly list: MessageList,
    private readonly host: CatchUpHost,
  ) {}

  /** The seq a (re)subscription resumes after: every message up to it is loaded. */
  get resumeSeq(): number {
    return this.list.contiguousSeq;
  }

  /** Reads the latest page of history. */
  latest(): Promise<MessagePage> {
    return this.host.page(`limit=${LIMITS.historyPageDefault}`);
  }

  /** Starts the list over from the latest page: what lay before it is dropped (a hole nobody could see). */
  startFrom(page: MessagePage): void {
    this.list.restartFrom(page.messages, this.host.ownUserId());
    this.hasOlder = page.hasMore;
  }

  /** Loads the page before the oldest loaded message; resolves with how many were added (overlapping calls share one). */
  older(): Promise<number> {
    this.paging ??= (async () => {
      const oldest = this.list.oldestSeq;
      if (!this.hasOlder || oldest === undefined) return 0;
      const page = await this.host.page(`before=${oldest}&limit=${LIMITS.historyPageDefault}`);
      this.hasOlder = page.hasMore;
      return this.host.ingest(page.messages, false);
    })().finally(() => {
      this.paging = undefined;
    });
    return this.paging;
  }

  /** Fills the hole between the last contiguous seq and newer loaded messages, if there is one. */
  fillGap(): void {
    if (this.list.hasGap) void this.fill(false);
  }

  /** Fetches the tail after the last contiguous seq even when no hole shows (a stored copy did not come by). */
  fetchTail(): void {
    void this.fill(true);
  }

  /** The server could not replay `sinceSeq…lastSeq`: starts over from the latest page. */
  restart(sinceSeq: number, lastSeq: number): Promise<void> {
    const run = (async () => {
      try {
        const page = await this.latest();
        if (!this.host.alive()) return;
        this.startFrom(page);
        this.host.restarted(page.messages, { sinceSeq, lastSeq });
      } catch {
        // Reported by the session; the next reconnect asks for the replay again.
      }
    })();
    this.reloading = run;
    return run.finally(() => {
      if (this.reloading === run) this.reloading = undefined;
      this.fillGap();
    });
  }

  private fill(force: boolean): Promise<void> {
    if (this.filling || this.reloading || !this.host.alive()) return Promise.resolve();
    const run = (async () => {
      try {
        while (force || this.list.hasGap) {
          force = false;
          const page = await this.host.page(`after=${this.list.contiguousSeq}&limit=${LIMITS.historyPageMax}`);
          if (!this.host.alive()) return;
          if (this.host.ingest(page.messages, true) === 0 || !page.hasMore) break;
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
