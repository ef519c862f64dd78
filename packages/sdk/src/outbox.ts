import type { AttachmentRef, ErrorInfo } from '@groupbuy/protocol';

/** A send waiting to reach the server. */
export interface OutboxEntry {
  /** Idempotency key: resending it never stores the message twice. */
  clientMsgId: string;
  /** Normalised text. */
  content: string;
  /** Uploaded images (issue 12) with their alt text. */
  attachments?: readonly AttachmentRef[];
}

/** What one delivery attempt came to. */
export type Delivery =
  /** The server stored it. */
  | { outcome: 'sent' }
  /** The server refused it (or the client knows it would): it leaves the outbox as failed. */
  | { outcome: 'failed'; error: ErrorInfo }
  /** No answer (offline, connection lost): it stays at the head and the flush stops until the next one. */
  | { outcome: 'retry' };

/**
 * Sends waiting for a connection, delivered one at a time in the order they were made: the next is sent
 * only after the previous one's acknowledgement, so a reconnect never reorders a user's messages.
 */
export class Outbox {
  private readonly queue: OutboxEntry[] = [];
  private inflight: string | undefined;
  private flushing: Promise<void> | undefined;
  private again = false;

  /**
   * @param deliver sends one entry and says how it went (it must not throw).
   * @param settled called when an entry leaves the outbox as sent or failed.
   */
  constructor(
    private readonly deliver: (entry: OutboxEntry) => Promise<Delivery>,
    private readonly settled: (entry: OutboxEntry, result: Exclude<Delivery, { outcome: 'retry' }>) => void,
  ) {}

  /** How many entries wait (the one in flight included). */
  get size(): number {
    return this.queue.length;
  }

  /** The waiting client message ids, in order. */
  ids(): string[] {
    return this.queue.map((e) => e.clientMsgId);
  }

  /** True when the entry waits or is in flight. */
  has(clientMsgId: string): boolean {
    return this.queue.some((e) => e.clientMsgId === clientMsgId);
  }

  /** True when the entry is being delivered right now. */
  isInflight(clientMsgId: string): boolean {
    return this.inflight === clientMsgId;
  }

  /** Queues a send at the end. */
  enqueue(entry: OutboxEntry): void {
    if (!this.has(entry.clientMsgId)) this.queue.push(entry);
  }

  /**
   * Puts entries persisted by an earlier page ahead of everything queued since (behind the one in flight),
   * in their order; ids already waiting are skipped.
   */
  restore(entries: readonly OutboxEntry[]): void {
    const fresh = entries.filter((e) => !this.has(e.clientMsgId));
    const at = this.inflight !== undefined && this.queue[0]?.clientMsgId === this.inflight ? 1 : 0;
    this.queue.splice(at, 0, ...fresh);
  }

  /** Forgets an entry (it was stored through another path, or discarded); its `settled` never fires. */
  remove(clientMsgId: string): boolean {
    const i = this.queue.findIndex((e) => e.clientMsgId === clientMsgId);
    if (i < 0) return false;
    this.queue.splice(i, 1);
    return true;
  }

  /** Fails every waiting entry (not the one in flight) that `refuse` has an error for. */
  refuseWaiting(refuse: (entry: OutboxEntry) => ErrorInfo | undefined): void {
    for (const entry of [...this.queue]) {
      if (entry.clientMsgId === this.inflight) continue;
      const error = refuse(entry);
      if (error && this.remove(entry.clientMsgId)) this.settled(entry, { outcome: 'failed', error });
    }
  }

  /**
   * Delivers the waiting entries in order; resolves when empty or stopped by a `retry`. One flush runs at a
   * time: asking again while one runs makes it try once more after a `retry` (a new connection came up
   * while the old one's delivery was still waiting to fail).
   */
  flush(): Promise<void> {
    if (this.flushing) {
      this.again = true;
      return this.flushing;
    }
    this.again = false;
    this.flushing = this.run().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async run(): Promise<void> {
    for (let head = this.queue[0]; head; head = this.queue[0]) {
      this.inflight = head.clientMsgId;
      const result = await this.deliver(head);
      this.inflight = undefined;
      if (result.outcome === 'retry') {
        if (!this.again) return;
        this.again = false;
        continue;
      }
      if (this.remove(head.clientMsgId)) this.settled(head, result);
    }
  }
}
