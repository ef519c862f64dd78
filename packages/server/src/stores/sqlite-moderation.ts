import type Database from 'better-sqlite3';
import type { ChatMessage, MessageReport, RoomSnapshot, SystemEvent } from '@groupbuy/protocol';
import type { ContentCipher } from './content-cipher.js';
import {
  planModeration,
  snapshotOf,
  targetSeq,
  toReport,
  type ModerationChange,
  type ModerationStore,
  type ModerationResult,
  type NewReport,
} from './moderation.js';
import { MESSAGE_COLUMNS, notFound, toRoom, type MessageRow, type RoomRow } from './rows.js';

/** What the moderation statements borrow from their SqliteStore (its seq allocator and its decoding). */
export interface SqliteModerationHooks {
  /** Writes a SYSTEM message with the room's next seq; must run inside the write transaction. */
  writeSystem(productId: string, event: SystemEvent, room: RoomSnapshot, nowMs: number): ChatMessage;
  /** Decodes a row (decrypting through the store's cache). */
  decode(row: MessageRow): ChatMessage;
  /** Drops a message's cached plain text. */
  forget(productId: string, seq: number): void;
  /** The store's content cipher: a tombstone holds the encryption of '' under the current key. */
  cipher: ContentCipher;
}

type ReportRow = { seq: number; reporter_id: string; reason: string; created_at: number };

/** Moderation (issue 11) for {@link SqliteStore}: each write one IMMEDIATE transaction, as the store's own. */
export class SqliteModeration implements ModerationStore {
  private readonly selectRoom: Database.Statement<[string], RoomRow>;
  private readonly selectMessage: Database.Statement<[string, number], MessageRow>;
  private readonly eraseMessage: Database.Statement<[string, string | null, string, number]>;
  private readonly updateSlowMode: Database.Statement<[number, string]>;
  private readonly updatePinned: Database.Statement<[string | null, string]>;
  private readonly upsertMute: Database.Statement<[string, string, number]>;
  private readonly deleteMute: Database.Statement<[string, string]>;
  private readonly selectMute: Database.Statement<[string, string], { until_ms: number }>;
  private readonly upsertReport: Database.Statement<[string, number, string, string, number]>;
  private readonly selectReports: Database.Statement<[string], ReportRow>;
  private readonly txModerate: Database.Transaction<(productId: string, change: ModerationChange, nowMs: number) => ModerationResult>;

  constructor(
    db: Database.Database,
    private readonly hooks: SqliteModerationHooks,
  ) {
    this.selectRoom = db.prepare('SELECT * FROM rooms WHERE product_id = ?');
    this.selectMessage = db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE room_id = ? AND seq = ?`);
    // The content goes from the row itself, not only from the API: a tombstone keeps no trace of the text.
    this.eraseMessage = db.prepare('UPDATE messages SET content = ?, key_id = ?, deleted = 1 WHERE room_id = ? AND seq = ?');
    this.updateSlowMode = db.prepare('UPDATE rooms SET slow_mode_ms = ? WHERE product_id = ?');
    this.updatePinned = db.prepare('UPDATE rooms SET pinned = ? WHERE product_id = ?');
    this.upsertMute = db.prepare(
      'INSERT INTO mutes (room_id, user_id, until_ms) VALUES (?, ?, ?) ON CONFLICT (room_id, user_id) DO UPDATE SET until_ms = excluded.until_ms',
    );
    this.deleteMute = db.prepare('DELETE FROM mutes WHERE room_id = ? AND user_id = ?');
    this.selectMute = db.prepare('SELECT until_ms FROM mutes WHERE room_id = ? AND user_id = ?');
    this.upsertReport = db.prepare(
      `INSERT INTO reports (room_id, seq, reporter_id, reason, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (room_id, seq, reporter_id) DO UPDATE SET reason = excluded.reason, created_at = excluded.created_at`,
    );
    this.selectReports = db.prepare('SELECT seq, reporter_id, reason, created_at FROM reports WHERE room_id = ? ORDER BY seq, created_at');
    this.txModerate = db.transaction((productId: string, change: ModerationChange, nowMs: number): ModerationResult => {
      const row = this.mustGetRoom(productId);
      const seq = targetSeq(change);
      const targetRow = seq === null ? undefined : this.selectMessage.get(productId, seq);
      const target = targetRow ? this.hooks.decode(targetRow) : null;
      const plan = planModeration(row, change, target);
      if (!plan) return { room: toRoom(row), messages: [], target };
      if (plan.erase !== undefined) {
        this.eraseMessage.run(this.hooks.cipher.encrypt(''), this.hooks.cipher.keyId, productId, plan.erase);
        this.hooks.forget(productId, plan.erase);
      }
      if (plan.slowModeMs !== undefined) this.updateSlowMode.run(plan.slowModeMs, productId);
      if (plan.pinned !== undefined) this.updatePinned.run(plan.pinned, productId);
      const message = this.hooks.writeSystem(productId, plan.event, snapshotOf(row), nowMs);
      const after = seq === null ? undefined : this.selectMessage.get(productId, seq);
      return { room: toRoom(this.mustGetRoom(productId)), messages: [message], target: after ? this.hooks.decode(after) : null };
    });
  }

  /** See ChatStore.message. */
  async message(productId: string, seq: number): Promise<ChatMessage | null> {
    this.mustGetRoom(productId);
    const row = this.selectMessage.get(productId, seq);
    return row ? this.hooks.decode(row) : null;
  }

  /** See ChatStore.moderate. */
  async moderate(productId: string, change: ModerationChange, nowMs: number): Promise<ModerationResult> {
    return this.txModerate.immediate(productId, change, nowMs);
  }

  /** See ChatStore.setMute. */
  async setMute(productId: string, userId: string, untilMs: number | null): Promise<void> {
    this.mustGetRoom(productId);
    if (untilMs === null) this.deleteMute.run(productId, userId);
    else this.upsertMute.run(productId, userId, untilMs);
  }

  /** See ChatStore.muteUntil. */
  async muteUntil(productId: string, userId: string): Promise<number | null> {
    return this.selectMute.get(productId, userId)?.until_ms ?? null;
  }

  /** See ChatStore.addReport. */
  async addReport(productId: string, report: NewReport, nowMs: number): Promise<MessageReport> {
    this.mustGetRoom(productId);
    this.upsertReport.run(productId, report.seq, report.reporterId, report.reason, nowMs);
    return toReport({ seq: report.seq, reporter_id: report.reporterId, reason: report.reason, created_at: nowMs });
  }

  /** See ChatStore.reports. */
  async reports(productId: string): Promise<MessageReport[]> {
    this.mustGetRoom(productId);
    return this.selectReports.all(productId).map(toReport);
  }

  private mustGetRoom(productId: string): RoomRow {
    const row = this.selectRoom.get(productId);
    if (!row) throw notFound(productId);
    return row;
  }
}
