import type { ClientBase, Pool, PoolClient } from 'pg';
import {
  appendOutcome,
  joinOutcome,
  leaveOutcome,
  orThrow,
  settleOutcome,
  type ChatMessage,
  type HistoryQuery,
  type MessagePage,
  type Participant,
  type Room,
  type ValidCreateRoomInput,
} from '@groupbuy/protocol';
import { plainCipher, type ContentCipher } from './content-cipher.js';
import { DecryptedContentCache } from './content-cache.js';
import { inTransaction, openPool, type PoolOptions } from './postgres/pool.js';
import { PostgresReads } from './postgres-reads.js';
import type { ReadStore } from './reads.js';
import { statements, type Statements } from './postgres/statements.js';
import { PostgresModeration } from './postgres/moderation.js';
import type { ModerationStore } from './moderation.js';
import {
  assertPageLimit,
  newMessageRow,
  notFound,
  ruleState,
  sentDraft,
  systemDraft,
  toMessage,
  toParticipant,
  toRoom,
  valuesOf,
  type MessageDraft,
  type MessageRow,
  type ParticipantRow,
  type RoomRow,
} from './rows.js';
import { PostgresAttachments } from './postgres-attachments.js';
import { PostgresInsights } from '../insights/postgres.js';
import { joinedEvent, type InsightsStore, type JoiningUser } from '../insights/types.js';
import type { AttachmentStore } from './attachment-types.js';
import { PostgresAddresses } from './postgres/addresses.js';
import type { AddressStore } from './addresses.js';
import type { AppendResult, ChatStore, JoinResult, LeaveResult, LifecycleResult, NewMessage, SettleRequest } from './types.js';

export { POSTGRES_MIGRATIONS, POSTGRES_SCHEMA_VERSION, migratePostgres } from './postgres/migrations.js';

/** How to open a {@link PostgresStore}: how its pool connects, plus what it stores where. */
export interface PostgresStoreOptions extends PoolOptions {
  /** Encrypts message content at rest. @default plainCipher (content stored as is) */
  cipher?: ContentCipher;
  /** Seals shipping addresses at rest (issue 11, ADDRESS_KEYS): never the content cipher. @default plainCipher (stored as is) */
  addressCipher?: ContentCipher;
  /**
   * The schema holding the tables, created when missing; case-sensitive (it is always quoted), so several
   * deployments or test runs can share one database. @default 'public'
   */
  schema?: string;
}

/** The columns of a room row that lifecycle changes write. */
type RoomChange = Pick<RoomRow, 'participant_count' | 'status' | 'closed_at' | 'last_seq'>;

/**
 * The ChatStore for running several server instances on one PostgreSQL database. Every write to a room
 * runs in a READ COMMITTED transaction that first locks the room's row (`SELECT … FOR UPDATE`), so joins,
 * leaves, appends and settles on one room serialise across connections and instances while other rooms
 * proceed in parallel, and the room rules (`@groupbuy/protocol` rules.ts) are decided on the locked row.
 * Behaviour, errors and JSON are those of {@link SqliteStore}. Message content goes through the configured
 * {@link ContentCipher}. Schema: postgres/migrations.ts; SQL: postgres/statements.ts; pool: postgres/pool.ts.
 */
export class PostgresStore implements ChatStore {
  /** Connects, brings the schema up to date (creating it when missing) and returns the store. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const schema = options.schema ?? 'public';
    if (schema.length === 0) throw new RangeError('The PostgreSQL schema name is empty.');
    const pool = await openPool(options, schema);
    return new PostgresStore(pool, schema, options.cipher ?? plainCipher, options.addressCipher ?? plainCipher);
  }

  private readonly sql: Statements;
  private ended = false;
  // Recent messages' plain text, so history pages read again skip AES-GCM (see DecryptedContentCache).
  private readonly contentCache: DecryptedContentCache;
  /** Moderation (issue 11): postgres/moderation.ts. */
  readonly moderation: ModerationStore;

  /** Read positions (issue 12): postgres-reads.ts. */
  readonly reads: ReadStore;
  /** The uploads (issue 12): postgres-attachments.ts. */
  readonly attachments: AttachmentStore;
  /** Invites and the funnel (issue 12): insights/postgres.ts. */
  readonly insights: InsightsStore;
  /** The shipping addresses (issue 11): postgres/addresses.ts, sealed under the address cipher. */
  readonly addresses: AddressStore;

  private constructor(
    private readonly pool: Pool,
    schema: string,
    private readonly cipher: ContentCipher,
    addressCipher: ContentCipher,
  ) {
    this.sql = statements(schema);
    this.addresses = new PostgresAddresses(pool, schema, addressCipher);
    this.contentCache = new DecryptedContentCache(cipher);
    this.reads = new PostgresReads(pool, schema);
    this.attachments = new PostgresAttachments(pool, schema);
    this.insights = new PostgresInsights(pool, schema);
    this.moderation = new PostgresModeration(pool, schema, {
      insertMessages: (client, productId, afterSeq, drafts) => this.insertMessages(client, productId, afterSeq, drafts),
      decode: (row) => this.decode(row),
      forget: (productId, seq) => {
        this.forgetDecrypted(productId, seq);
      },
      cipher,
    });
  }

  /** Creates a room; an existing product id returns the stored room unchanged with `created: false`. */
  async createRoom(input: ValidCreateRoomInput, nowMs: number): Promise<{ room: Room; created: boolean }> {
    // ON CONFLICT waits for a concurrent insert of the same id to commit, and the SELECT after it (a new
    // snapshot under READ COMMITTED) then sees that row: no transaction needed, rooms are never deleted.
    const inserted = await this.pool.query<RoomRow>(this.sql.insertRoom, [
      input.productId,
      input.title,
      input.maxParticipants,
      input.minParticipants,
      Date.parse(input.expiresAt),
      nowMs,
      input.hostId,
    ]);
    const row = inserted.rows[0];
    if (row) return { room: toRoom(row), created: true };
    return { room: toRoom(await this.mustGetRoom(this.pool, input.productId)), created: false };
  }

  /** The room, or null. */
  async getRoom(productId: string): Promise<Room | null> {
    const { rows } = await this.pool.query<RoomRow>(this.sql.selectRoom, [productId]);
    return rows[0] ? toRoom(rows[0]) : null;
  }

  /** Adds a buyer atomically against the cap; see {@link ChatStore.join}. */
  async join(productId: string, user: JoiningUser, nowMs: number): Promise<JoinResult> {
    return inTransaction(this.pool, async (client) => {
      const row = await this.lockRoom(client, productId);
      const alreadyIn = (await this.findParticipant(client, productId, user.userId)) !== null;
      const outcome = orThrow(joinOutcome(ruleState(row), alreadyIn));
      if (!outcome.joined) return { room: toRoom(row), messages: [], joined: false };

      const count = outcome.participantCount;
      const max = row.max_participants;
      const drafts = [systemDraft(joinedEvent(user), { status: 'ACTIVE', participantCount: count, maxParticipants: max }, nowMs)];
      // The join that reaches the cap closes the deal in the same transaction: no later join can observe
      // "ACTIVE and full", and the CLOSED message follows the JOINED one with no gap.
      const { fills } = outcome;
      if (fills) {
        drafts.push(
          systemDraft({ type: 'CLOSED', reason: 'FILLED' }, { status: 'CLOSED', participantCount: count, maxParticipants: max }, nowMs),
        );
      }
      const room = await this.updateRoom(client, productId, {
        participant_count: count,
        status: fills ? 'CLOSED' : 'ACTIVE',
        closed_at: fills ? nowMs : null,
        last_seq: row.last_seq + drafts.length,
      });
      const messages = await this.insertMessages(client, productId, row.last_seq, drafts);
      const joinedSeq = row.last_seq + 1;
      await client.query(this.sql.insertParticipant, [productId, user.userId, user.name, nowMs, joinedSeq]);
      return { room, messages, joined: true };
    });
  }

  /** Removes a buyer while the room is ACTIVE; see {@link ChatStore.leave}. */
  async leave(productId: string, userId: string, nowMs: number): Promise<LeaveResult> {
    return inTransaction(this.pool, async (client) => {
      const row = await this.lockRoom(client, productId);
      const participant = await this.findParticipant(client, productId, userId);
      const outcome = orThrow(leaveOutcome(row.status, participant !== null));
      if (!outcome.left || !participant) return { room: toRoom(row), messages: [], left: false };

      const count = row.participant_count - 1;
      await client.query(this.sql.deleteParticipant, [productId, userId]);
      const room = await this.updateRoom(client, productId, {
        participant_count: count,
        status: row.status,
        closed_at: row.closed_at,
        last_seq: row.last_seq + 1,
      });
      const messages = await this.insertMessages(client, productId, row.last_seq, [
        systemDraft(
          { type: 'LEFT', userId, name: participant.name },
          { status: 'ACTIVE', participantCount: count, maxParticipants: row.max_participants },
          nowMs,
        ),
      ]);
      return { room, messages, left: true };
    });
  }

  /** True when the user is a buyer in the room. */
  async isParticipant(productId: string, userId: string): Promise<boolean> {
    return (await this.findParticipant(this.pool, productId, userId)) !== null;
  }

  /** The buyers, in join order. */
  async participants(productId: string): Promise<Participant[]> {
    const { rows } = await this.pool.query<ParticipantRow>(this.sql.selectParticipants, [productId]);
    return rows.map(toParticipant);
  }

  /** Stores a message with the room's next seq, idempotently per (room, sender, clientMsgId). */
  async append(productId: string, message: NewMessage, nowMs: number): Promise<AppendResult> {
    return inTransaction(this.pool, async (client) => {
      const row = await this.lockRoom(client, productId);
      const existing = await this.findRetried(client, productId, message);
      const outcome = orThrow(appendOutcome(row.status, message.allowedStatuses, existing !== null));
      if (outcome.duplicate && existing) return { message: this.decode(existing), duplicate: true };
      await this.updateRoom(client, productId, {
        participant_count: row.participant_count,
        status: row.status,
        closed_at: row.closed_at,
        last_seq: row.last_seq + 1,
      });
      const [stored] = await this.insertMessages(client, productId, row.last_seq, [sentDraft(message, nowMs)]);
      if (!stored) throw new Error('append inserted no message');
      return { message: stored, duplicate: false };
    });
  }

  /** A page of history, ascending by seq; see {@link ChatStore.page}. */
  async page(productId: string, query: HistoryQuery): Promise<MessagePage> {
    // Two statements without a transaction are still one consistent answer: rooms are never deleted,
    // and a message becomes visible only after every lower seq of its room (seqs are taken under the
    // room lock, so they commit in order).
    await this.mustGetRoom(this.pool, productId);
    const { limit } = query;
    assertPageLimit(limit);
    const before = query.before ?? Number.MAX_SAFE_INTEGER;
    // One row past the page answers hasMore without a second query.
    if (query.after !== undefined) {
      const { rows } = await this.pool.query<MessageRow>(this.sql.selectAfter, [productId, query.after, before, limit + 1]);
      return { messages: rows.slice(0, limit).map((r) => this.decode(r)), hasMore: rows.length > limit };
    }
    const { rows } = await this.pool.query<MessageRow>(this.sql.selectBefore, [productId, before, limit + 1]);
    return {
      messages: rows
        .slice(0, limit)
        .reverse()
        .map((r) => this.decode(r)),
      hasMore: rows.length > limit,
    };
  }

  /** Moves an ACTIVE room to CLOSED or CANCELLED; null when it already left ACTIVE. */
  async settle(productId: string, request: SettleRequest, nowMs: number): Promise<LifecycleResult | null> {
    return inTransaction(this.pool, async (client) => {
      // Of two settles (on this or another instance) the second waits here for the first's row lock and
      // then reads the committed row, no longer ACTIVE: it writes nothing.
      const row = await this.lockRoom(client, productId);
      const status = settleOutcome(ruleState(row), 'status' in request ? request.status : 'DEADLINE');
      if (status === null) return null;
      const room = await this.updateRoom(client, productId, {
        participant_count: row.participant_count,
        status,
        closed_at: nowMs,
        last_seq: row.last_seq + 1,
      });
      const messages = await this.insertMessages(client, productId, row.last_seq, [
        systemDraft(
          { type: status, reason: request.reason },
          { status, participantCount: row.participant_count, maxParticipants: row.max_participants },
          nowMs,
        ),
      ]);
      return { room, messages };
    });
  }

  /** ACTIVE rooms whose deadline is at or before `nowMs`, earliest first. */
  async dueRooms(nowMs: number): Promise<Room[]> {
    const { rows } = await this.pool.query<RoomRow>(this.sql.selectDue, [nowMs]);
    return rows.map(toRoom);
  }

  /** The earliest deadline of any ACTIVE room (epoch ms), or null. */
  async nextDeadline(): Promise<number | null> {
    const { rows } = await this.pool.query<{ next: number | null }>(this.sql.selectNextDeadline);
    return rows[0]?.next ?? null;
  }

  /** Resolves when PostgreSQL answers `SELECT 1` through the pool. */
  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  /** Waits for calls in flight to release their connections, then closes the pool; calling it again does nothing. */
  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.pool.end();
  }

  private async mustGetRoom(db: ClientBase | Pool, productId: string): Promise<RoomRow> {
    const { rows } = await db.query<RoomRow>(this.sql.selectRoom, [productId]);
    if (!rows[0]) throw notFound(productId);
    return rows[0];
  }

  private async lockRoom(client: PoolClient, productId: string): Promise<RoomRow> {
    const { rows } = await client.query<RoomRow>(this.sql.lockRoom, [productId]);
    if (!rows[0]) throw notFound(productId);
    return rows[0];
  }

  private async findParticipant(db: ClientBase | Pool, productId: string, userId: string): Promise<ParticipantRow | null> {
    const { rows } = await db.query<ParticipantRow>(this.sql.selectParticipant, [productId, userId]);
    return rows[0] ?? null;
  }

  /** The message stored earlier under `message`'s (sender, clientMsgId), or null. */
  private async findRetried(client: PoolClient, productId: string, message: NewMessage): Promise<MessageRow | null> {
    if (message.clientMsgId === undefined) return null;
    const params = [productId, message.sender?.userId ?? '', message.clientMsgId];
    const { rows } = await client.query<MessageRow>(this.sql.selectByClientMsgId, params);
    return rows[0] ?? null;
  }

  private async updateRoom(client: PoolClient, productId: string, change: RoomChange): Promise<Room> {
    const { rows } = await client.query<RoomRow>(this.sql.updateRoom, [
      productId,
      change.participant_count,
      change.status,
      change.closed_at,
      change.last_seq,
    ]);
    if (!rows[0]) throw notFound(productId);
    return toRoom(rows[0]);
  }

  /** Inserts `drafts` as seqs `afterSeq + 1 …`; the caller holds the room lock and has moved last_seq past them. */
  private async insertMessages(
    client: PoolClient,
    productId: string,
    afterSeq: number,
    drafts: readonly MessageDraft[],
  ): Promise<ChatMessage[]> {
    const out: ChatMessage[] = [];
    for (const [i, draft] of drafts.entries()) {
      const row = newMessageRow(productId, afterSeq + 1 + i, draft, this.cipher);
      await client.query(this.sql.insertMessage, valuesOf(row));
      // Decoded from the row just written (with the plain text we already hold), so a send's answer and
      // a later page are built by the same code and agree exactly.
      // Remembered before the commit: an entry for a rolled-back row matches no row ever read.
      this.contentCache.remember(productId, row.seq, row.content, row.key_id, draft.content);
      out.push(toMessage(row, draft.content));
    }
    return out;
  }

  /** Drops the cached plain text of one message (or of the whole room); see SqliteStore.forgetDecrypted. */
  forgetDecrypted(productId: string, seq?: number): void {
    this.contentCache.forget(productId, seq);
  }

  private decode(row: MessageRow): ChatMessage {
    return toMessage(row, this.contentCache.plain(row.room_id, row.seq, row.content, row.key_id));
  }
}
