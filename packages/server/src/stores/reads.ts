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

/** Where a read request lands: never behind `current`, never past the room's `lastSeq`. */
export function nextReadPosition(current: number, asked: number, lastSeq: number): ReadResult {
  const seq = Math.max(current, Math.min(asked, lastSeq));
  return { seq, moved: seq > current };
}
