import { escapeIdentifier, type Pool } from 'pg';
import { inTransaction } from '../stores/postgres/pool.js';
import { funnelChangesSql, toFunnelChange, type FunnelChangeRow } from './rows.js';
import type { FunnelData, InsightsStore, InsightsUser, MembershipChange } from './types.js';

/** Invites and the funnel (issue 12) of the PostgreSQL store: the tables of migration v7, as SQLite's. */
export class PostgresInsights implements InsightsStore {
  private readonly sql: {
    insertInvite: string;
    inviteOf: string;
    inviter: string;
    insertView: string;
    insertChange: string;
    viewers: string;
    chats: string;
    changes: string;
  };

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    const s = escapeIdentifier(schema);
    const t = (name: string): string => `${s}.${name}`;
    this.sql = {
      // The unique (room_id, user_id) index turns a racing second code into a no-op; both read the winner.
      insertInvite: `INSERT INTO ${t('invites')} (code, room_id, user_id, name, created_at) VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT DO NOTHING`,
      inviteOf: `SELECT code FROM ${t('invites')} WHERE room_id = $1 AND user_id = $2`,
      inviter: `SELECT user_id, name FROM ${t('invites')} WHERE code = $1 AND room_id = $2`,
      insertView: `INSERT INTO ${t('room_visitors')} (room_id, user_id, first_view_at) VALUES ($1, $2, $3)
                   ON CONFLICT (room_id, user_id) DO NOTHING`,
      insertChange: `INSERT INTO ${t('membership_changes')} (room_id, seq, kind, user_id, at, participant_count, inviter_id, fills)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (room_id, seq) DO NOTHING`,
      viewers: `SELECT COUNT(*)::int AS viewers FROM ${t('room_visitors')} WHERE room_id = $1`,
      // An index range scan of the room's (room_id, seq) key.
      chats: `SELECT COUNT(*)::int AS messages, COUNT(DISTINCT sender_id)::int AS chatters
              FROM ${t('messages')} WHERE room_id = $1 AND type = 'CHAT'`,
      changes: funnelChangesSql(t, '$1'),
    };
  }

  /** See InsightsStore.inviteCode. */
  async inviteCode(productId: string, user: InsightsUser, candidate: string, nowMs: number): Promise<{ code: string; created: boolean }> {
    const inserted = await this.pool.query(this.sql.insertInvite, [candidate, productId, user.userId, user.name, nowMs]);
    const { rows } = await this.pool.query<{ code: string }>(this.sql.inviteOf, [productId, user.userId]);
    const row = rows[0];
    if (!row) throw new Error('The invite code was neither stored nor found.');
    return { code: row.code, created: inserted.rowCount === 1 };
  }

  /** See InsightsStore.inviter. */
  async inviter(productId: string, code: string): Promise<InsightsUser | null> {
    const { rows } = await this.pool.query<{ user_id: string; name: string }>(this.sql.inviter, [code, productId]);
    const row = rows[0];
    return row ? { userId: row.user_id, name: row.name } : null;
  }

  /** See InsightsStore.recordView. */
  async recordView(productId: string, userId: string, nowMs: number): Promise<boolean> {
    return (await this.pool.query(this.sql.insertView, [productId, userId, nowMs])).rowCount === 1;
  }

  /** See InsightsStore.recordChanges. */
  async recordChanges(productId: string, changes: readonly MembershipChange[]): Promise<void> {
    if (changes.length === 0) return;
    await inTransaction(this.pool, async (client) => {
      for (const c of changes) {
        await client.query(this.sql.insertChange, [productId, c.seq, c.kind, c.userId, c.atMs, c.count, c.inviterId, c.fills]);
        if (c.kind === 'JOIN') await client.query(this.sql.insertView, [productId, c.userId, c.atMs]);
      }
    });
  }

  /** See InsightsStore.funnel. */
  async funnel(productId: string): Promise<FunnelData> {
    const viewers = (await this.pool.query<{ viewers: number }>(this.sql.viewers, [productId])).rows[0];
    const chats = (await this.pool.query<{ chatters: number; messages: number }>(this.sql.chats, [productId])).rows[0];
    const { rows } = await this.pool.query<FunnelChangeRow>(this.sql.changes, [productId]);
    return {
      viewers: viewers?.viewers ?? 0,
      chatters: chats?.chatters ?? 0,
      messages: chats?.messages ?? 0,
      changes: rows.map(toFunnelChange),
    };
  }
}
