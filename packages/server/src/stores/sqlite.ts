import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  joinOutcome,
  leaveOutcome,
  orThrow,
  settleOutcome,
  type ChatMessage,
  type HistoryQuery,
  type MessagePage,
  type Participant,
  type Room,
  type RoomSnapshot,
  type RoomStatus,
  type SystemEvent,
  type ValidCreateRoomInput,
} from '@groupbuy/protocol';
import { plainCipher, type ContentCipher } from './content-cipher.js';
import { migrate } from './migrations.js';
import type { ModerationStore } from './moderation.js';
import { SqliteModeration } from './sqlite-moderation.js';
import { SqliteReads } from './sqlite-reads.js';
import { GroupCommit } from './sqlite-group-commit.js';
import { WalCheckpointer } from './sqlite-checkpointer.js';
import { SqliteMessages } from './sqlite-messages.js';
import { CachedModeration, SqliteReadCache } from './sqlite-read-cache.js';
import type { ReadStore } from './reads.js';
import { newRoomRow, notFound, ruleState, toParticipant, toRoom, type ParticipantRow, type RoomRow } from './rows.js';
import { SqliteAttachments } from './sqlite-attachments.js';
import { SqliteInsights } from '../insights/sqlite.js';
import { joinedEvent, type InsightsStore, type JoiningUser } from '../insights/types.js';
import { SqliteAddresses } from './addresses-sqlite.js';
import type { AddressStore } from './addresses.js';
import type { AttachmentStore } from './attachment-types.js';
import type { AppendResult, ChatStore, JoinResult, LeaveResult, LifecycleResult, NewMessage, SettleRequest } from './types.js';

/** How to open a {@link SqliteStore}. */
export interface SqliteStoreOptions {
  /** The database file (its directory is created when missing), or `:memory:` for a throwaway store. */
  path: string;
  /** Encrypts message content at rest. @default plainCipher (content stored as is) */
  cipher?: ContentCipher;
  /** Seals shipping addresses at rest (issue 11, ADDRESS_KEYS): never the content cipher. @default plainCipher (stored as is) */
  addressCipher?: ContentCipher;
  /** How long a write waits for another connection's write lock before failing, in ms. @default 5000 */
  busyTimeoutMs?: number;
  /**
   * Commits the appends asked for in the same event-loop turn in one transaction (see GroupCommit): one WAL
   * write for the rooms, messages and index pages they share instead of one per send. Sends from many
   * connections at once, and (since a connection starts its next send once the last one's append is queued:
   * appendsInCallOrder) sends pipelined on one connection, share a commit; every ack still follows the COMMIT.
   * A lone send waits one event-loop turn more. @default true
   */
  groupCommit?: boolean;
  /**
   * Checkpoints the WAL from a worker thread of its own (sqlite-checkpointer.ts) once the store has stored
   * {@link CHECKPOINT_THREAD_AFTER_APPENDS} messages, instead of inside the COMMIT that crosses SQLite's
   * threshold on the event loop. Files only. @default true
   */
  checkpointThread?: boolean;
}

/** Appends after which a file store starts its checkpoint thread (a store written that little never needs it). */
export const CHECKPOINT_THREAD_AFTER_APPENDS = 500;

type CreateRoomResult = { room: Room; created: boolean };

/**
 * The embedded ChatStore: one SQLite file in WAL mode through better-sqlite3. Every room rule that must
 * hold under concurrency (`@groupbuy/protocol` rules.ts) is decided inside one IMMEDIATE transaction, so it
 * also holds when several processes share the file. Message content goes through the configured {@link ContentCipher}; the store never logs it.
 */
export class SqliteStore implements ChatStore {
  /** Opens (creating and migrating when needed) the database at `options.path`. */
  static open(options: SqliteStoreOptions): SqliteStore {
    return new SqliteStore(options);
  }

  private readonly db: Database.Database;
  private readonly cipher: ContentCipher;
  private readonly addressCipher: ContentCipher;
  // The messages table: seq allocation, appends, pages, decoding (sqlite-messages.ts).
  private readonly messages: SqliteMessages;
  // The room, buyer and mute reads of every send, kept between writes (sqlite-read-cache.ts).
  private readonly cache: SqliteReadCache;

  private readonly selectRoom: Database.Statement<[string], RoomRow>;
  private readonly insertRoom: Database.Statement<[RoomRow]>;
  private readonly updateRoomCount: Database.Statement<[number, string]>;
  private readonly updateRoomStatus: Database.Statement<[RoomStatus, number, string]>;
  private readonly selectParticipant: Database.Statement<[string, string], ParticipantRow>;
  private readonly selectParticipants: Database.Statement<[string], ParticipantRow>;
  private readonly insertParticipant: Database.Statement<[string, string, string, number, number]>;
  private readonly deleteParticipant: Database.Statement<[string, string]>;
  private readonly selectDue: Database.Statement<[number], RoomRow>;
  private readonly selectNextDeadline: Database.Statement<[], { next: number | null }>;

  private readonly txCreateRoom: Database.Transaction<(input: ValidCreateRoomInput, nowMs: number) => CreateRoomResult>;
  private readonly txJoin: Database.Transaction<(productId: string, user: JoiningUser, nowMs: number) => JoinResult>;
  private readonly txLeave: Database.Transaction<(productId: string, userId: string, nowMs: number) => LeaveResult>;
  private readonly txAppend: Database.Transaction<(productId: string, message: NewMessage, nowMs: number) => AppendResult>;
  private readonly appends: GroupCommit<[productId: string, message: NewMessage, nowMs: number], AppendResult> | null;
  private readonly txSettle: Database.Transaction<(productId: string, request: SettleRequest, nowMs: number) => LifecycleResult | null>;
  /** Moderation (issue 11): sqlite-moderation.ts. */
  readonly moderation: ModerationStore;
  /** Read positions (issue 12): sqlite-reads.ts. */
  readonly reads: ReadStore;
  // The WAL checkpoints' thread, once started (see SqliteStoreOptions.checkpointThread), and the appends until then.
  private checkpointer: WalCheckpointer | null = null;
  private appendsUntilCheckpointThread: number;
  private readonly path: string;
  /** Appends run (or join the group commit's queue) synchronously, in call order: see ChatStore.appendsInCallOrder. */
  readonly appendsInCallOrder = true;

  /** Opens (creating and migrating when needed) the database at `options.path`. */
  constructor(options: SqliteStoreOptions) {
    this.cipher = options.cipher ?? plainCipher;
    this.addressCipher = options.addressCipher ?? plainCipher;
    const file = options.path !== ':memory:' && options.path !== '';
    if (file) mkdirSync(dirname(options.path), { recursive: true });
    this.db = new Database(options.path);
    this.path = options.path;
    this.appendsUntilCheckpointThread = file && options.checkpointThread !== false ? CHECKPOINT_THREAD_AFTER_APPENDS : -1;
    try {
      // WAL lets readers (history pages) run while a writer commits; NORMAL is durable across process
      // crashes in WAL mode and only risks the last commits on power loss, which chat can afford.
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      // SQLite leaves foreign keys off per connection unless asked; ours guard messages/participants → rooms.
      this.db.pragma('foreign_keys = ON');
      // Another process holding the write lock makes BEGIN IMMEDIATE wait this long instead of failing at once.
      this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
      migrate(this.db);
    } catch (err) {
      this.db.close();
      throw err;
    }

    const db = this.db;
    this.messages = new SqliteMessages(db, this.cipher);
    this.cache = new SqliteReadCache(db);
    this.selectRoom = db.prepare('SELECT * FROM rooms WHERE product_id = ?');
    this.insertRoom = db.prepare(
      `INSERT INTO rooms (product_id, title, status, max_participants, min_participants, participant_count,
                          expires_at, created_at, closed_at, host_id, last_seq)
       VALUES (@product_id, @title, @status, @max_participants, @min_participants, @participant_count,
               @expires_at, @created_at, @closed_at, @host_id, @last_seq)
       ON CONFLICT (product_id) DO NOTHING`,
    );
    this.updateRoomCount = db.prepare('UPDATE rooms SET participant_count = ? WHERE product_id = ?');
    this.updateRoomStatus = db.prepare('UPDATE rooms SET status = ?, closed_at = ? WHERE product_id = ?');
    this.selectParticipant = db.prepare('SELECT user_id, name, joined_at FROM participants WHERE room_id = ? AND user_id = ?');
    this.selectParticipants = db.prepare('SELECT user_id, name, joined_at FROM participants WHERE room_id = ? ORDER BY joined_seq');
    this.insertParticipant = db.prepare('INSERT INTO participants (room_id, user_id, name, joined_at, joined_seq) VALUES (?, ?, ?, ?, ?)');
    this.deleteParticipant = db.prepare('DELETE FROM participants WHERE room_id = ? AND user_id = ?');
    this.selectDue = db.prepare("SELECT * FROM rooms WHERE status = 'ACTIVE' AND expires_at <= ? ORDER BY expires_at");
    this.selectNextDeadline = db.prepare("SELECT MIN(expires_at) AS next FROM rooms WHERE status = 'ACTIVE'");

    this.txCreateRoom = db.transaction((input: ValidCreateRoomInput, nowMs: number) => {
      const inserted = this.insertRoom.run(newRoomRow(input, nowMs));
      return { room: toRoom(this.mustGetRoom(input.productId)), created: inserted.changes === 1 };
    });
    this.txJoin = db.transaction((productId: string, user: JoiningUser, nowMs: number): JoinResult => {
      const row = this.mustGetRoom(productId);
      const alreadyIn = this.selectParticipant.get(productId, user.userId) !== undefined;
      const outcome = orThrow(joinOutcome(ruleState(row), alreadyIn));
      if (!outcome.joined) return { room: toRoom(row), messages: [], joined: false };

      const count = outcome.participantCount;
      this.updateRoomCount.run(count, productId);
      const joined = this.writeSystem(
        productId,
        joinedEvent(user),
        { status: 'ACTIVE', participantCount: count, maxParticipants: row.max_participants },
        nowMs,
      );
      this.insertParticipant.run(productId, user.userId, user.name, nowMs, joined.seq);
      const messages = [joined];
      if (outcome.fills) {
        // The join that reaches the cap closes the deal in the same transaction: no later join can
        // observe "ACTIVE and full", and the CLOSED message follows the JOINED one with no gap.
        this.updateRoomStatus.run('CLOSED', nowMs, productId);
        messages.push(
          this.writeSystem(
            productId,
            { type: 'CLOSED', reason: 'FILLED' },
            { status: 'CLOSED', participantCount: count, maxParticipants: row.max_participants },
            nowMs,
          ),
        );
      }
      return { room: toRoom(this.mustGetRoom(productId)), messages, joined: true };
    });
    this.txLeave = db.transaction((productId: string, userId: string, nowMs: number): LeaveResult => {
      const row = this.mustGetRoom(productId);
      const participant = this.selectParticipant.get(productId, userId);
      const outcome = orThrow(leaveOutcome(row.status, participant !== undefined));
      if (!outcome.left || !participant) return { room: toRoom(row), messages: [], left: false };

      const count = row.participant_count - 1;
      this.deleteParticipant.run(productId, userId);
      this.updateRoomCount.run(count, productId);
      const left = this.writeSystem(
        productId,
        { type: 'LEFT', userId, name: participant.name },
        { status: 'ACTIVE', participantCount: count, maxParticipants: row.max_participants },
        nowMs,
      );
      return { room: toRoom(this.mustGetRoom(productId)), messages: [left], left: true };
    });
    const append = (productId: string, message: NewMessage, nowMs: number): AppendResult => this.messages.append(productId, message, nowMs);
    this.txAppend = db.transaction(append);
    this.appends = options.groupCommit === false ? null : new GroupCommit(db, append);
    this.txSettle = db.transaction((productId: string, request: SettleRequest, nowMs: number): LifecycleResult | null => {
      const row = this.mustGetRoom(productId);
      const status = settleOutcome(ruleState(row), 'status' in request ? request.status : 'DEADLINE');
      if (status === null) return null;
      this.updateRoomStatus.run(status, nowMs, productId);
      const message = this.writeSystem(
        productId,
        { type: status, reason: request.reason },
        { status, participantCount: row.participant_count, maxParticipants: row.max_participants },
        nowMs,
      );
      return { room: toRoom(this.mustGetRoom(productId)), messages: [message] };
    });
    this.reads = new SqliteReads(db);
    const moderation = new SqliteModeration(db, {
      writeSystem: (productId, event, room, nowMs) => this.writeSystem(productId, event, room, nowMs),
      decode: (row) => this.messages.decode(row),
      forget: (productId, seq) => {
        this.forgetDecrypted(productId, seq);
      },
      cipher: this.cipher,
    });
    this.moderation = new CachedModeration(moderation, this.cache);
  }

  /** Creates a room; an existing product id returns the stored room unchanged with `created: false`. */
  async createRoom(input: ValidCreateRoomInput, nowMs: number): Promise<CreateRoomResult> {
    const result = this.txCreateRoom.immediate(input, nowMs);
    this.cache.changed();
    return result;
  }

  /** The room, or null. */
  async getRoom(productId: string): Promise<Room | null> {
    return this.cache.room(productId, () => {
      const row = this.selectRoom.get(productId);
      return row ? toRoom(row) : null;
    });
  }

  /** Adds a buyer atomically against the cap; see {@link ChatStore.join}. */
  async join(productId: string, user: JoiningUser, nowMs: number): Promise<JoinResult> {
    // better-sqlite3 is synchronous, so calls from this process never interleave; IMMEDIATE is for a
    // second process on the same file. A DEFERRED transaction would read the count under a shared lock
    // and then fail with SQLITE_BUSY (no busy wait) when upgrading to write; IMMEDIATE takes the write
    // lock up front, waits busy_timeout for it, and reads a count no other writer can change.
    return this.txJoin.immediate(productId, user, nowMs);
  }

  /** Removes a buyer while the room is ACTIVE; see {@link ChatStore.leave}. */
  async leave(productId: string, userId: string, nowMs: number): Promise<LeaveResult> {
    return this.txLeave.immediate(productId, userId, nowMs);
  }

  /** True when the user is a buyer in the room. */
  async isParticipant(productId: string, userId: string): Promise<boolean> {
    return this.cache.isBuyer(productId, userId, () => this.selectParticipant.get(productId, userId) !== undefined);
  }

  /** The buyers, in join order. */
  async participants(productId: string): Promise<Participant[]> {
    return this.selectParticipants.all(productId).map(toParticipant);
  }

  /** Stores a message with the room's next seq, idempotently per (room, sender, clientMsgId). */
  async append(productId: string, message: NewMessage, nowMs: number): Promise<AppendResult> {
    const result = await this.messages.settled(() =>
      this.appends ? this.appends.run(productId, message, nowMs) : this.txAppend.immediate(productId, message, nowMs),
    );
    // Committed: a held room's lastSeq follows (before the caller's next read).
    if (!result.duplicate) this.cache.seqStored(productId, result.message.seq);
    if (this.appendsUntilCheckpointThread > 0 && --this.appendsUntilCheckpointThread === 0 && this.db.open) {
      this.checkpointer = new WalCheckpointer(this.db, this.path);
    }
    return result;
  }

  /** A page of history, ascending by seq; see {@link ChatStore.page}. */
  async page(productId: string, query: HistoryQuery): Promise<MessagePage> {
    return this.messages.page(productId, query);
  }

  /** Moves an ACTIVE room to CLOSED or CANCELLED; null when it already left ACTIVE. */
  async settle(productId: string, request: SettleRequest, nowMs: number): Promise<LifecycleResult | null> {
    return this.txSettle.immediate(productId, request, nowMs);
  }

  /** ACTIVE rooms whose deadline is at or before `nowMs`, earliest first. */
  async dueRooms(nowMs: number): Promise<Room[]> {
    return this.selectDue.all(nowMs).map(toRoom);
  }

  /** The earliest deadline of any ACTIVE room (epoch ms), or null. */
  async nextDeadline(): Promise<number | null> {
    return this.selectNextDeadline.get()?.next ?? null;
  }

  private addressStatements?: SqliteAddresses;
  /** The shipping addresses (issue 11): addresses-sqlite.ts, sealed under `addressCipher`. */
  get addresses(): AddressStore {
    return (this.addressStatements ??= new SqliteAddresses(this.db, this.addressCipher));
  }

  private attachmentStatements?: SqliteAttachments;
  /** The uploads (issue 12): sqlite-attachments.ts. Prepared on first use (after the migrations made the table). */
  get attachments(): AttachmentStore {
    return (this.attachmentStatements ??= new SqliteAttachments(this.db));
  }

  private insightStatements?: SqliteInsights;
  /** Invites and the funnel (issue 12): insights/sqlite.ts. Prepared on first use, like attachments. */
  get insights(): InsightsStore {
    return (this.insightStatements ??= new SqliteInsights(this.db));
  }

  /** Resolves when the database file answers `SELECT 1` (throws once closed). */
  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  /** Closes the database; calling it again does nothing. */
  async close(): Promise<void> {
    if (this.db.open) this.appends?.flush();
    await this.checkpointer?.stop();
    if (this.db.open) this.db.close();
  }

  /** WAL frames the checkpoint thread has copied into the database file (0 while it has not started). */
  get checkpointedFrames(): number {
    return this.checkpointer?.checkpointedFrames ?? 0;
  }

  private mustGetRoom(productId: string): RoomRow {
    const row = this.selectRoom.get(productId);
    if (!row) throw notFound(productId);
    return row;
  }

  // Every write of a room's state but an append (join, leave, settle, moderation) writes a SYSTEM message.
  private writeSystem(productId: string, event: SystemEvent, room: RoomSnapshot, nowMs: number): ChatMessage {
    this.cache.changed();
    return this.messages.writeSystem(productId, event, room, nowMs);
  }

  /**
   * Drops the cached plain text of one message (or of the whole room): call it when a message's content is
   * deleted or rewritten in place. (A rewritten row is never answered from the cache anyway: entries are
   * checked against the stored value; this frees the text at once.)
   */
  forgetDecrypted(productId: string, seq?: number): void {
    this.messages.forget(productId, seq);
  }
}
