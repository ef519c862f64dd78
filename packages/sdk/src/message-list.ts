import type { ChatMessage } from '@groupbuy/protocol';
import type { OptimisticMessage, ViewMessage } from './types.js';

/** A stored message as a session shows it. */
export type SentMessage = Extract<ViewMessage, { status: 'sent' }>;
/** This client's optimistic copy of a send that is not stored yet. */
export type LocalMessage = OptimisticMessage;

/**
 * A room's messages: stored ones keyed by seq (so a replayed or re-fetched message is never shown twice),
 * followed by this client's pending and failed sends in the order they were made.
 */
export class MessageList {
  private readonly bySeq = new Map<number, SentMessage>();
  private sorted: SentMessage[] = [];
  private readonly local = new Map<string, LocalMessage>();
  private snapshot: readonly ViewMessage[] | null = null;
  /**
   * The highest seq such that every message from the oldest loaded one up to it is present (0 before any).
   * A resumed subscription asks for everything after it.
   */
  contiguousSeq = 0;
  /** Bumped whenever the local copies change (added, replaced, removed), so their owner can tell. */
  localVersion = 0;

  /** Seq of the oldest stored message loaded, if any. */
  get oldestSeq(): number | undefined {
    return this.sorted[0]?.seq;
  }

  /** Seq of the newest stored message loaded, if any. */
  get newestSeq(): number | undefined {
    return this.sorted[this.sorted.length - 1]?.seq;
  }

  /** True when a message newer than {@link contiguousSeq} is loaded, i.e. some seqs in between are missing. */
  get hasGap(): boolean {
    return (this.newestSeq ?? 0) > this.contiguousSeq;
  }

  /** The stored message with this seq, if loaded. */
  get(seq: number): SentMessage | undefined {
    return this.bySeq.get(seq);
  }

  /** This client's unsent copy with this clientMsgId, if any. */
  getLocal(clientMsgId: string): LocalMessage | undefined {
    return this.local.get(clientMsgId);
  }

  /**
   * Adds a stored message; returns false when its seq is already there. A local copy with the same
   * clientMsgId is replaced by it when `ownUserId` is the sender (or unknown).
   */
  insert(message: ChatMessage, ownUserId?: string): boolean {
    const own = message.clientMsgId !== undefined && (ownUserId === undefined || message.sender?.userId === ownUserId);
    if (own && message.clientMsgId !== undefined && this.local.delete(message.clientMsgId)) {
      this.snapshot = null;
      this.localVersion += 1;
    }
    if (this.bySeq.has(message.seq)) return false;
    const view: SentMessage = { ...message, status: 'sent' };
    this.bySeq.set(message.seq, view);
    const last = this.sorted[this.sorted.length - 1];
    if (!last || last.seq < message.seq) this.sorted.push(view);
    else this.sorted.splice(this.indexAbove(message.seq), 0, view);
    while (this.bySeq.has(this.contiguousSeq + 1)) this.contiguousSeq += 1;
    this.snapshot = null;
    return true;
  }

  /**
   * Starts over from a page of the latest history (ascending): stored messages older than the page are
   * dropped, because between them and the page lies a hole nobody can see.
   */
  restartFrom(page: readonly ChatMessage[], ownUserId?: string): void {
    const first = page[0];
    const keepFrom = first ? first.seq : Number.POSITIVE_INFINITY;
    for (const m of this.sorted) if (m.seq < keepFrom) this.bySeq.delete(m.seq);
    this.sorted = this.sorted.filter((m) => m.seq >= keepFrom);
    this.contiguousSeq = first ? first.seq - 1 : 0;
    for (const m of page) this.insert(m, ownUserId);
    this.snapshot = null;
  }

  /**
   * Replaces a stored message with its tombstone (moderation, issue 11: content erased, `deleted: true`);
   * false when the list does not hold that seq.
   */
  tombstone(seq: number): boolean {
    const view = this.bySeq.get(seq);
    if (!view) return false;
    const tomb: SentMessage = { ...view, content: '', deleted: true };
    this.bySeq.set(seq, tomb);
    const i = this.sorted.indexOf(view);
    if (i >= 0) this.sorted[i] = tomb;
    this.snapshot = null;
    return true;
  }

  /** Adds or replaces a local copy; a replaced one moves to the end (it will be stored after the others). */
  putLocal(message: LocalMessage): void {
    this.local.delete(message.clientMsgId);
    this.local.set(message.clientMsgId, message);
    this.snapshot = null;
    this.localVersion += 1;
  }

  /** This client's pending and failed copies, in the order they show. */
  locals(): LocalMessage[] {
    return [...this.local.values()];
  }

  /** Removes a local copy; returns false when there was none. */
  removeLocal(clientMsgId: string): boolean {
    const removed = this.local.delete(clientMsgId);
    if (removed) {
      this.snapshot = null;
      this.localVersion += 1;
    }
    return removed;
  }

  /** Stored messages ascending by seq, then local copies; the same array until something changes. */
  view(): readonly ViewMessage[] {
    this.snapshot ??= Object.freeze([...this.sorted, ...this.local.values()]);
    return this.snapshot;
  }

  private indexAbove(seq: number): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.sorted[mid] as SentMessage).seq < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
