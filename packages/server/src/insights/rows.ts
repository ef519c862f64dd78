import type { FunnelChange } from './types.js';

// The row shapes of the v7 tables both SQL stores read, and their one mapping to the funnel.

/** A `membership_changes` row joined with the buyer's first view and the inviter's name (SQLite and PostgreSQL). */
export interface FunnelChangeRow {
  seq: number | string;
  kind: 'JOIN' | 'LEAVE';
  user_id: string;
  at: number | string;
  participant_count: number | string;
  inviter_id: string | null;
  fills: number | boolean;
  first_view_at: number | string | null;
  inviter_name: string | null;
}

/** The SELECT list and joins of the funnel's changes query; the caller adds the schema and `WHERE c.room_id = ?`. */
export function funnelChangesSql(table: (name: string) => string, param: string): string {
  return `SELECT c.seq, c.kind, c.user_id, c.at, c.participant_count, c.inviter_id, c.fills,
                 v.first_view_at, i.name AS inviter_name
          FROM ${table('membership_changes')} c
          LEFT JOIN ${table('room_visitors')} v ON v.room_id = c.room_id AND v.user_id = c.user_id
          LEFT JOIN ${table('invites')} i ON i.room_id = c.room_id AND i.user_id = c.inviter_id
          WHERE c.room_id = ${param}
          ORDER BY c.seq`;
}

/** One row as a {@link FunnelChange} (PostgreSQL's bigints arrive as strings). */
export function toFunnelChange(row: FunnelChangeRow): FunnelChange {
  return {
    seq: Number(row.seq),
    kind: row.kind,
    userId: row.user_id,
    atMs: Number(row.at),
    count: Number(row.participant_count),
    inviterId: row.inviter_id,
    fills: row.fills === true || Number(row.fills) === 1,
    firstViewAtMs: row.first_view_at === null ? null : Number(row.first_view_at),
    inviterName: row.inviter_name,
  };
}
