import { LIMITS, type ChatMessage, type MessagePage } from '@groupbuy/protocol';
import type { Repair } from './catch-up-repair.js';
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
 * (replay-truncated), the list starts over from the latest page and the session says so. The paging, the
 * fills and the restart (catch-up-repair.ts) load on first need: a first paint needs only the latest page.
 */
export class CatchUp {
  /** True while older history exists beyond the loaded messages. */
  hasOlder = false;
  private repair: Promise<Repair> | undefined;

  constructor(
    /** The session's message list. */
    readonly list: MessageList,
    /** The session. */
    readonly host: CatchUpHost,
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
    return this.repairs().then((r) => r.older());
  }

  /** Fills the hole between the last contiguous seq and newer loaded messages, if there is one. */
  fillGap(): void {
    if (this.list.hasGap) this.repairs().then((r) => r.fill(false), ignore);
  }

  /** Fetches the tail after the last contiguous seq even when no hole shows (a stored copy did not come by). */
  fetchTail(): void {
    this.repairs().then((r) => r.fill(true), ignore);
  }

  /** The server could not replay `sinceSeq…lastSeq`: starts over from the latest page. */
  restart(sinceSeq: number, lastSeq: number): Promise<void> {
    // Not loaded: the next reconnect asks for the replay again.
    return this.repairs().then((r) => r.restart(sinceSeq, lastSeq), ignore);
  }

  // The repairs' code, loaded once; a load that failed is tried again next time.
  private repairs(): Promise<Repair> {
    if (!this.repair) {
      this.repair = import('./catch-up-repair.js').then((m) => new m.Repair(this));
      this.repair.catch(() => (this.repair = undefined));
    }
    return this.repair;
  }
}

function ignore(): void {}
