import { escapeIdentifier, type Pool, type PoolClient } from 'pg';
import type { ChatMessage, MessageReport } from '@groupbuy/protocol';
import type { ContentCipher } from '../content-cipher.js';
import {
  planModeration,
  snapshotOf,
  targetSeq,
  toReport,
  type ModerationChange,
  type ModerationStore,
  type ModerationResult,
  type NewReport,
} from '../moderation.js';
import { MESSAGE_COLUMNS, notFound, systemDraft, toRoom, type MessageDraft, type MessageRow, type RoomRow } from '../rows.js';
import { inTransaction } from './pool.js';

/** What the moderation statements borrow from their PostgresStore. */
export interface PostgresModerationHooks {
  /** Inserts `drafts` as seqs `afterSeq + 1 …` (the caller holds the room lock and moved last_seq). */
  insertMessages(client: PoolClient, productId: string, afterSeq: number, drafts: readonly MessageDraft[]): Promise<ChatMessage[]>;
  /** Decodes a row (decrypting through the store's cache). */
  decode(row: MessageRow): ChatMessage;
  /** Drops a message's cached plain text. */
  forget(productId: string, seq: number): void;
  /** The store's content cipher: a tombstone holds the encryption of '' under the current key. */
  cipher: ContentCipher;
}

type ReportRow = { seq: number; reporter_id: string; reason: string; created_at: number };

/** Moderation (issue 11) for {@link PostgresStore}: each write one transaction holding the room's row lock. */
export class PostgresModeration implements ModerationStore {
  private readonly sql;

  constructor(
    private readonly pool: Pool,
    schema: string,
    private readonly hooks: PostgresModerationHooks,
  ) {
    const s = escapeIdentifier(schema);
    this.sql = {
      selectRoom: `SELECT * FROM ${s}.rooms WHERE product_id = $1`,
      lockRoom: `SELECT * FROM ${s}.rooms WHERE product_id = $1 FOR UPDATE`,
      selectMessage: `SELECT ${MESSAGE_COLUMNS} FROM ${s}.messages WHERE room_id = $1 AND seq = $2`,
      eraseMessage: `UPDATE ${s}.messages SET content = $3, key_id = $4, deleted = 1 WHERE room_id = $1 AND seq = $2`,
      // COALESCE: a NULL parameter keeps the column as it is.
      updateRoom: `UPDATE ${s}.rooms SET last_seq = $2, slow_mode_ms = COALESCE($3, slow_mode_ms),
                   pinned = CASE WHEN $4::boolean THEN $5 ELSE pinned END WHERE product_id = $1 RETURNING *`,
      upsertMute: `INSERT INTO ${s}.mutes (room_id, user_id, until_ms) VALUES ($1, $2, $3)
                   ON CONFLICT (room_id, user_id) DO UPDATE SET until_ms = excluded.until_ms`,
      deleteMute: `DELETE FROM ${s}.mutes WHERE room_id = $1 AND user_id = $2`,
      selectMute: `SELECT until_ms FROM ${s}.mutes WHERE room_id = $1 AND user_id = $2`,
      upsertReport: `INSERT INTO ${s}.reports (room_id, seq, reporter_id, reason, created_at) VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (room_id, seq, reporter_id) DO UPDATE SET reason = excluded.reason, created_at = excluded.created_at`,
      selectReports: `SELECT seq, reporter_id, reason, created_at FROM ${s}.reports WHERE room_id = $1 ORDER BY seq, created_at`,
    } as const;
  }

  /** See ChatStore.message. */
  async message(productId: string, seq: number): Promise<ChatMessage | null> {
    await this.mustGetRoom(productId);
    const { rows } = await this.pool.query<MessageRow>(this.sql.selectMessage, [productId, seq]);
    return rows[0] ? this.hooks.decode(rows[0]) : null;
  }

  /** See ChatStore.moderate. */
  async moderate(productId: string, change: ModerationChange, nowMs: number): Promise<ModerationResult> {
    return inTransaction(this.pool, async (client) => {
      const locked = await client.query<RoomRow>(this.sql.lockRoom, [productId]);
      const row = locked.rows[0];
      if (!row) throw notFound(productId);
      const seq = targetSeq(change);
      const readTarget = async (): Promise<ChatMessage | null> => {
        if (seq === null) return null;
        const { rows } = await client.query<MessageRow>(this.sql.selectMessage, [productId, seq]);
        return rows[0] ? this.hooks.decode(rows[0]) : null;
      };
      const target = await readTarget();
      const plan = planModeration(row, change, target);
      if (!plan) return { room: toRoom(row), messages: [], target };
      if (plan.erase !== undefined) {
        await client.query(this.sql.eraseMessage, [productId, plan.erase, this.hooks.cipher.encrypt(''), this.hooks.cipher.keyId]);
        this.hooks.forget(productId, plan.erase);
      }
      const updated = await client.query<RoomRow>(this.sql.updateRoom, [
        productId,
        row.last_seq + 1,
        plan.slowModeMs ?? null,
        plan.pinned !== undefined,
        plan.pinned ?? null,
      ]);
      const after = updated.rows[0];
      if (!after) throw notFound(productId);
      const messages = await this.hooks.insertMessages(client, productId, row.last_seq, [systemDraft(plan.event, snapshotOf(row), nowMs)]);
      return { room: toRoom(after), messages, target: await readTarget() };
    });
  }

  /** See ChatStore.setMute. */
  async setMute(productId: string, userId: string, untilMs: number | null): Promise<void> {
    await this.mustGetRoom(productId);
    if (untilMs === null) await this.pool.query(this.sql.deleteMute, [productId, userId]);
    else await this.pool.query(this.sql.upsertMute, [productId, userId, untilMs]);
  }

  /** See ChatStore.muteUntil. */
  async muteUntil(productId: string, userId: string): Promise<number | null> {
    const { rows } = await this.pool.query<{ until_ms: number }>(this.sql.selectMute, [productId, userId]);
    return rows[0]?.until_ms ?? null;
  }

  /** See ChatStore.addReport. */
  async addReport(productId: string, report: NewReport, nowMs: number): Promise<MessageReport> {
    await this.mustGetRoom(productId);
    await this.pool.query(this.sql.upsertReport, [productId, report.seq, report.reporterId, report.reason, nowMs]);
    return toReport({ seq: report.seq, reporter_id: report.reporterId, reason: report.reason, created_at: nowMs });
  }

  /** See ChatStore.reports. */
  async reports(productId: string): Promise<MessageReport[]> {
    await this.mustGetRoom(productId);
    const { rows } = await this.pool.query<ReportRow>(this.sql.selectReports, [productId]);
    return rows.map(toReport);
  }

  private async mustGetRoom(productId: string): Promise<RoomRow> {
    const { rows } = await this.pool.query<RoomRow>(this.sql.selectRoom, [productId]);
    if (!rows[0]) throw notFound(productId);
    return rows[0];
  }
}
