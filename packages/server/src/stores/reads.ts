// Read positions (issue 12), shared by the SQLite, PostgreSQL and in-memory stores.

/** What `markRead` did. */
export interface ReadResult {
  /** The user's read position after the call: the larger of the old one and the asked seq, at most the room's lastSeq. */
  seq: number;
  /** True when the position moved forward (false for a repeat or an older seq: nothing was written). */
  moved: boolean;
}

/**
 * The one counting rule of every store and the SDK: a message is unread when its seq is after the reader's
 * position, it is CHAT or NOTIFICATION (SYSTEM join/leave lines are not news to badge) and the reader did not
 * write it.
 */
export function countsAsUnread(message: { type: string; senderId: string | null }, userId: string): boolean {
  return message.type !== 'SYSTEM' && message.senderId !== userId;
}

/** Read positions of a store (issue 12): `ChatStore.reads`, one class per backend. */
export interface ReadStore {
  /**
   * Moves `userId`'s read position in the room forward to `seq` (clamped to the room's lastSeq; an older
   * seq or a repeat writes nothing). Throws ROOM_NOT_FOUND.
   */
  markRead(productId: string, userId: string, seq: number): Promise<ReadResult>;
  /** Messages after `userId`'s read position that count as unread ({@link countsAsUnread}). Throws ROOM_NOT_FOUND. */
  unreadCount(productId: string, userId: string): Promise<number>;
}

/** Where a read request lands: never behind `current`, never past the room's `lastSeq`. */
export function nextReadPosition(current: number, asked: number, lastSeq: number): ReadResult {
  const seq = Math.max(current, Math.min(asked, lastSeq));
  return { seq, moved: seq > current };
}
