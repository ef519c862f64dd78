import { escapeIdentifier, type Pool } from 'pg';
import { inTransaction } from './postgres/pool.js';
import { notFound } from './rows.js';
import { nextReadPosition, type ReadResult, type ReadStore } from './reads.js';

/** Read positions (issue 12) of {@link PostgresStore}: the `read_positions` table of migration v5. */
export class PostgresReads implements ReadStore {
  private readonly sql: { lockRoom: string; lastSeq: string; position: string; upsert: string; countUnread: string };

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    const s = escapeIdentifier(schema);
    this.sql = {
      // FOR SHARE: the room cannot vanish or be locked for a rewrite while a position is moved; joins and
      // sends (FOR UPDATE on the row) still wait only as long as this short transaction.
      lockRoom: `SELECT last_seq FROM ${s}.rooms WHERE product_id = $1 FOR SHARE`,
      lastSeq: `SELECT last_seq FROM ${s}.rooms WHERE product_id = $1`,
      position: `SELECT seq FROM ${s}.read_positions WHERE room_id = $1 AND user_id = $2`,
      // Only forward, even when two tabs race: GREATEST on the row being replaced.
      upsert: `INSERT INTO ${s}.read_positions (room_id, user_id, seq) VALUES ($1, $2, $3)
               ON CONFLICT (room_id, user_id) DO UPDATE SET seq = GREATEST(${s}.read_positions.seq, EXCLUDED.seq)`,
      // An index range scan of messages (room_id, seq) after the position; the rule is reads.ts countsAsUnread.
      countUnread: `SELECT COUNT(*)::int AS n FROM ${s}.messages
                    WHERE room_id = $1 AND seq > $2 AND type <> 'SYSTEM' AND sender_id IS DISTINCT FROM $3`,
    };
  }

  /** See ChatStore.markRead. */
  async markRead(productId: string, userId: string, seq: number): Promise<ReadResult> {
    return inTransaction(this.pool, async (client) => {
      const room = (await client.query<{ last_seq: string | number }>(this.sql.lockRoom, [productId])).rows[0];
      if (!room) throw notFound(productId);
      const current = (await client.query<{ seq: string | number }>(this.sql.position, [productId, userId])).rows[0];
      const result = nextReadPosition(Number(current?.seq ?? 0), seq, Number(room.last_seq));
      if (result.moved) await client.query(this.sql.upsert, [productId, userId, result.seq]);
      return result;
    });
  }

  /** See ChatStore.unreadCount. */
  async unreadCount(productId: string, userId: string): Promise<number> {
    const room = (await this.pool.query<{ last_seq: string | number }>(this.sql.lastSeq, [productId])).rows[0];
    if (!room) throw notFound(productId);
    const current = (await this.pool.query<{ seq: string | number }>(this.sql.position, [productId, userId])).rows[0];
    const { rows } = await this.pool.query<{ n: number }>(this.sql.countUnread, [productId, Number(current?.seq ?? 0), userId]);
    return rows[0]?.n ?? 0;
  }
}
