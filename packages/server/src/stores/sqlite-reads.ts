import type Database from 'better-sqlite3';
import { notFound } from './rows.js';
import { nextReadPosition, type ReadResult, type ReadStore } from './reads.js';

/** Read positions (issue 12) of {@link SqliteStore}: the `read_positions` table of migration v5. */
export class SqliteReads implements ReadStore {
  private readonly selectLastSeq: Database.Statement<[string], { last_seq: number }>;
  private readonly selectPosition: Database.Statement<[string, string], { seq: number }>;
  private readonly upsertPosition: Database.Statement<[string, string, number]>;
  private readonly countUnread: Database.Statement<[string, number, string], { n: number }>;
  private readonly txMarkRead: Database.Transaction<(productId: string, userId: string, seq: number) => ReadResult>;

  constructor(db: Database.Database) {
    this.selectLastSeq = db.prepare('SELECT last_seq FROM rooms WHERE product_id = ?');
    this.selectPosition = db.prepare('SELECT seq FROM read_positions WHERE room_id = ? AND user_id = ?');
    // Only forward, even when two tabs race: the MAX is taken again on the row being replaced.
    this.upsertPosition = db.prepare(
      `INSERT INTO read_positions (room_id, user_id, seq) VALUES (?, ?, ?)
       ON CONFLICT (room_id, user_id) DO UPDATE SET seq = MAX(seq, excluded.seq)`,
    );
    // A range scan of the (room_id, seq) primary key after the position; the rule is reads.ts countsAsUnread.
    this.countUnread = db.prepare(
      `SELECT COUNT(*) AS n FROM messages
       WHERE room_id = ? AND seq > ? AND type <> 'SYSTEM' AND (sender_id IS NULL OR sender_id <> ?)`,
    );
    this.txMarkRead = db.transaction((productId: string, userId: string, seq: number): ReadResult => {
      const room = this.selectLastSeq.get(productId);
      if (!room) throw notFound(productId);
      const result = nextReadPosition(this.position(productId, userId), seq, room.last_seq);
      if (result.moved) this.upsertPosition.run(productId, userId, result.seq);
      return result;
    });
  }

  /** See ChatStore.markRead. */
  async markRead(productId: string, userId: string, seq: number): Promise<ReadResult> {
    return this.txMarkRead.immediate(productId, userId, seq);
  }

  /** See ChatStore.unreadCount. */
  async unreadCount(productId: string, userId: string): Promise<number> {
    if (!this.selectLastSeq.get(productId)) throw notFound(productId);
    return this.countUnread.get(productId, this.position(productId, userId), userId)?.n ?? 0;
  }

  private position(productId: string, userId: string): number {
    return this.selectPosition.get(productId, userId)?.seq ?? 0;
  }
}
