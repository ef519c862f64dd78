import type { ChatMessage } from '@groupbuy/protocol';

// Unread count (issue 12), the SDK half: the server's count for the caller (GET room, the subscribe ack),
// kept live as messages arrive and as the user's reads (here or on another device) move the position.

/** The counting rule the server's stores apply (stores/reads.ts): not SYSTEM, not the user's own. */
export function countsAsUnread(message: Pick<ChatMessage, 'type' | 'sender'>, userId: string | undefined): boolean {
  return message.type !== 'SYSTEM' && message.sender?.userId !== userId;
}

/** One room's unread count for the signed-in user. */
export class UnreadCounter {
  private count = 0;
  // The read position known here, and the highest seq already counted (a replayed message is not counted twice).
  private readSeq = 0;
  private countedUpTo = 0;

  constructor(private readonly changed: (count: number) => void) {}

  /** Messages after the user's read position that are someone else's. */
  get value(): number {
    return this.count;
  }

  /** The server's count for a room snapshot whose latest message is `lastSeq` (GET room, subscribe ack). */
  fromServer(unreadCount: number | undefined, lastSeq: number): void {
    if (unreadCount === undefined) return;
    this.countedUpTo = Math.max(this.countedUpTo, lastSeq);
    this.set(unreadCount);
  }

  /** A stored message arrived live. */
  arrived(message: ChatMessage, userId: string | undefined): void {
    if (message.seq <= this.countedUpTo) return;
    this.countedUpTo = message.seq;
    if (message.seq > this.readSeq && countsAsUnread(message, userId)) this.set(this.count + 1);
  }

  /**
   * The read position moved to `seq` (here, or a `read` event from another connection): what stays unread is
   * counted again from the `loaded` messages after it (the server's figure when the answer carries one).
   */
  readUpTo(seq: number, loaded: readonly ChatMessage[], userId: string | undefined, serverCount?: number): void {
    if (seq < this.readSeq) return;
    this.readSeq = seq;
    const left = serverCount ?? loaded.filter((m) => m.seq > seq && countsAsUnread(m, userId)).length;
    this.set(serverCount ?? Math.min(this.count, left));
  }

  private set(count: number): void {
    if (count === this.count) return;
    this.count = count;
    this.changed(count);
  }
}
