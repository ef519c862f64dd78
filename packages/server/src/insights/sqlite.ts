import type Database from 'better-sqlite3';
import { funnelChangesSql, toFunnelChange, type FunnelChangeRow } from './rows.js';
import type { FunnelData, InsightsStore, InsightsUser, MembershipChange } from './types.js';

/** Invites and the funnel (issue 12) of the SQLite store: the tables of migration v7. */
export class SqliteInsights implements InsightsStore {
  private readonly insertInvite: Database.Statement<[string, string, string, string, number]>;
  private readonly selectInviteOf: Database.Statement<[string, string], { code: string }>;
  private readonly selectInviter: Database.Statement<[string, string], { user_id: string; name: string }>;
  private readonly insertView: Database.Statement<[string, string, number]>;
  private readonly insertChange: Database.Statement<[string, number, string, string, number, number, string | null, number]>;
  private readonly selectViewers: Database.Statement<[string], { viewers: number }>;
  private readonly selectChats: Database.Statement<[string], { chatters: number; messages: number }>;
  private readonly selectChanges: Database.Statement<[string], FunnelChangeRow>;
  private readonly txRecordChanges: Database.Transaction<(productId: string, changes: readonly MembershipChange[]) => void>;

  constructor(db: Database.Database) {
    // The unique (room_id, user_id) index makes a second code for the same user a no-op, so two racing
    // first calls both read back the one that won.
    this.insertInvite = db.prepare(
      'INSERT INTO invites (code, room_id, user_id, name, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
    );
    this.selectInviteOf = db.prepare('SELECT code FROM invites WHERE room_id = ? AND user_id = ?');
    this.selectInviter = db.prepare('SELECT user_id, name FROM invites WHERE code = ? AND room_id = ?');
    this.insertView = db.prepare(
      'INSERT INTO room_visitors (room_id, user_id, first_view_at) VALUES (?, ?, ?) ON CONFLICT (room_id, user_id) DO NOTHING',
    );
    this.insertChange = db.prepare(
      `INSERT INTO membership_changes (room_id, seq, kind, user_id, at, participant_count, inviter_id, fills)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (room_id, seq) DO NOTHING`,
    );
    this.selectViewers = db.prepare('SELECT COUNT(*) AS viewers FROM room_visitors WHERE room_id = ?');
    // A range scan of the room's (room_id, seq) key; no content is read into the answer.
    this.selectChats = db.prepare(
      "SELECT COUNT(*) AS messages, COUNT(DISTINCT sender_id) AS chatters FROM messages WHERE room_id = ? AND type = 'CHAT'",
    );
    this.selectChanges = db.prepare(funnelChangesSql((name) => name, '?'));
    this.txRecordChanges = db.transaction((productId: string, changes: readonly MembershipChange[]) => {
      for (const c of changes) {
        this.insertChange.run(productId, c.seq, c.kind, c.userId, c.atMs, c.count, c.inviterId, c.fills ? 1 : 0);
        if (c.kind === 'JOIN') this.insertView.run(productId, c.userId, c.atMs);
      }
    });
  }

  /** See InsightsStore.inviteCode. */
  async inviteCode(productId: string, user: InsightsUser, candidate: string, nowMs: number): Promise<{ code: string; created: boolean }> {
    const created = this.insertInvite.run(candidate, productId, user.userId, user.name, nowMs).changes === 1;
    const row = this.selectInviteOf.get(productId, user.userId);
    if (!row) throw new Error('The invite code was neither stored nor found.');
    return { code: row.code, created };
  }

  /** See InsightsStore.inviter. */
  async inviter(productId: string, code: string): Promise<InsightsUser | null> {
    const row = this.selectInviter.get(code, productId);
    return row ? { userId: row.user_id, name: row.name } : null;
  }

  /** See InsightsStore.recordView. */
  async recordView(productId: string, userId: string, nowMs: number): Promise<boolean> {
    return this.insertView.run(productId, userId, nowMs).changes === 1;
  }

  /** See InsightsStore.recordChanges. */
  async recordChanges(productId: string, changes: readonly MembershipChange[]): Promise<void> {
    if (changes.length > 0) this.txRecordChanges.immediate(productId, changes);
  }

  /** See InsightsStore.funnel. */
  async funnel(productId: string): Promise<FunnelData> {
    const chats = this.selectChats.get(productId);
    return {
      viewers: this.selectViewers.get(productId)?.viewers ?? 0,
      chatters: chats?.chatters ?? 0,
      messages: chats?.messages ?? 0,
      changes: this.selectChanges.all(productId).map(toFunnelChange),
    };
  }
}
