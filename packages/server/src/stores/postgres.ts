import { createHash } from 'node:crypto';
import { Pool, TypeOverrides, escapeIdentifier, type ClientBase, type PoolClient } from 'pg';
import type {
  ChatMessage,
  HistoryQuery,
  MessagePage,
  Participant,
  Room,
  ValidCreateRoomInput,
} from '@groupbuy/protocol';
import type { Logger } from '../logger.js';
import { plainCipher, type ContentCipher } from './content-cipher.js';
import type { Migration } from './migrations.js';
import {
  MESSAGE_COLUMNS,
  assertPageLimit,
  newMessageRow,
  notActive,
  notFound,
  roomFull,
  systemDraft,
  toMessage,
  toParticipant,
  toRoom,
  type MessageDraft,
  type MessageRow,
  type ParticipantRow,
  type RoomRow,
} from './rows.js';
import type {
  AppendResult,
  ChatStore,
  JoinResult,
  LeaveResult,
  LifecycleResult,
  NewMessage,
  SettleRequest,
  UserRef,
} from './types.js';

/** How to open a {@link PostgresStore}. */
export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database`; the usual libpq parameters (`sslmode`, …) apply. */
  connectionString: string;
  /** Encrypts message content at rest. @default plainCipher (content stored as is) */
  cipher?: ContentCipher;
  /**
   * The schema holding the tables, created when missing; case-sensitive (it is always quoted), so several
   * deployments or test runs can share one database. @default 'public'
   */
  schema?: string;
  /** Connections this instance keeps open at most; each concurrent write holds one. @default 10 */
  poolSize?: number;
  /** How long a call waits for a connection (a new one, or a free one from a busy pool), in ms. @default 10000 */
  connectTimeoutMs?: number;
  /** Told about connections the pool lost while idle (it replaces them on its own). */
  logger?: Logger;
}

/**
 * The PostgreSQL schema, oldest step first; each step runs once per schema, in the transaction that
 * records it in `schema_migrations`. Append new steps, never edit a released one. The DDL names tables
 * unqualified: the migration runs with `search_path` set to the store's schema alone.
 */
export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE rooms (
        product_id        text    PRIMARY KEY,
        title             text    NOT NULL,
        status            text    NOT NULL CHECK (status IN ('ACTIVE', 'CLOSED', 'CANCELLED')),
        max_participants  integer NOT NULL,
        min_participants  integer NOT NULL,
        -- Kept on the row (not COUNT(*)) so the cap check and the snapshot in SYSTEM messages are one read
        -- of the row the transaction already holds locked.
        participant_count integer NOT NULL DEFAULT 0,
        -- Epoch ms, as in SQLite: the mapping to ISO strings is shared and needs no time-zone handling.
        expires_at        bigint  NOT NULL,
        created_at        bigint  NOT NULL,
        closed_at         bigint,
        host_id           text,
        -- The seq allocator, advanced under the row lock in the transaction that inserts the message,
        -- so seqs are gap-free and become visible in order (a waiter reads the committed value).
        last_seq          bigint  NOT NULL DEFAULT 0
      -- Every message rewrites its room row (last_seq). Free space on the page lets that be a HOT update,
      -- no index entries written and the dead version pruned in place, as no indexed column changes.
      ) WITH (fillfactor = 80);

      -- The deadline scheduler asks for MIN(expires_at) and "expires_at <= now" among ACTIVE rooms only.
      -- SQLite indexes (status, expires_at); here a partial index does the same job holding ACTIVE rooms
      -- only, so it stays as small as the live set however many settled rooms pile up.
      CREATE INDEX rooms_active_expires ON rooms (expires_at) WHERE status = 'ACTIVE';

      CREATE TABLE participants (
        room_id    text    NOT NULL REFERENCES rooms (product_id),
        user_id    text    NOT NULL,
        name       text    NOT NULL,
        joined_at  bigint  NOT NULL,
        -- The seq of the JOINED message: a total join order even when two joins share a millisecond.
        joined_seq bigint  NOT NULL,
        -- "Is this user in this room?" on every join, leave and send, and the room's buyer list.
        PRIMARY KEY (room_id, user_id)
      );

      -- The rooms one user is in: the primary key led by the user.
      CREATE INDEX participants_user_room ON participants (user_id, room_id);

      CREATE TABLE messages (
        room_id       text    NOT NULL REFERENCES rooms (product_id),
        seq           bigint  NOT NULL,
        id            uuid    NOT NULL,
        type          text    NOT NULL CHECK (type IN ('CHAT', 'SYSTEM', 'NOTIFICATION')),
        sender_id     text,
        sender_name   text,
        -- Written through the store's ContentCipher: ciphertext when a key is configured.
        content       text    NOT NULL,
        created_at    bigint  NOT NULL,
        client_msg_id text,
        -- SYSTEM only: the event and the room snapshot as JSON text. Not jsonb: jsonb reorders keys, and
        -- the text read back must parse to the same JSON the SQLite store hands out.
        event         text,
        room          text,
        -- History pages and resume replays are range scans by room + seq; the key also makes a second
        -- message with a taken seq fail instead of forking the room's history.
        PRIMARY KEY (room_id, seq)
      );

      -- Idempotent retries: a resent (room, sender, clientMsgId) finds the stored message, and a second
      -- insert cannot slip past the lookup. COALESCE because NULLs are distinct in a unique index, and a
      -- service notice (no sender) must dedupe too; '' is free since a user id is never empty (JWT sub).
      -- Partial, because most rows (SYSTEM, notices without a key) have no key.
      CREATE UNIQUE INDEX messages_client_msg_id ON messages (room_id, COALESCE(sender_id, ''), client_msg_id)
        WHERE client_msg_id IS NOT NULL;
    `,
  },
];

/** The schema version this build writes: the `version` of the last PostgreSQL migration. */
export const POSTGRES_SCHEMA_VERSION: number = POSTGRES_MIGRATIONS[POSTGRES_MIGRATIONS.length - 1]?.version ?? 0;

/** The advisory lock key that serialises migrations of one schema: 64 bits of a hash of its name. */
function migrationLockKey(schema: string): string {
  return createHash('sha256').update(`groupbuy-chat:migrate:${schema}`).digest().readBigInt64BE(0).toString();
}

/**
 * Brings `schema` (created when missing) up to the last of `migrations`, running each missing step once,
 * all in one transaction. Safe to call on every start and from several instances at once. Returns the
 * schema version; throws when the schema was written by a newer build.
 */
export async function migratePostgres(
  client: ClientBase,
  schema: string,
  migrations: readonly Migration[] = POSTGRES_MIGRATIONS,
): Promise<number> {
  const ident = escapeIdentifier(schema);
  await client.query('BEGIN');
  try {
    // Instances starting together queue here until the first commits; the next then sees its version
    // rows and has nothing to do. Without it both would run step 1 and one would fail on a catalog
    // unique violation halfway through CREATE TABLE IF NOT EXISTS.
    await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [migrationLockKey(schema)]);
    // CREATE SCHEMA checks the CREATE privilege on the database even with IF NOT EXISTS, so it runs only
    // when the schema is missing: a role that may use an existing schema needs no more than that.
    const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    if (exists.rowCount === 0) await client.query(`CREATE SCHEMA ${ident}`);
    await client.query(`SET LOCAL search_path TO ${ident}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version    integer     PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const found = await client.query<{ version: number }>('SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations');
    const current = found.rows[0]?.version ?? 0;
    const latest = migrations[migrations.length - 1]?.version ?? 0;
    if (current > latest) {
      throw new Error(
        `The schema "${schema}" is at version ${current} but this server knows only up to ${latest}; ` +
          'it was written by a newer release.',
      );
    }
    for (const m of migrations) {
      if (m.version <= current) continue;
      // DDL is transactional in PostgreSQL: a failing step rolls back with everything before it.
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [m.version]);
    }
    await client.query('COMMIT');
    return Math.max(current, latest);
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

// pg hands out bigint columns as strings, since they may exceed 2^53. Ours are epoch ms and seqs, far
// below that; the check turns silent precision loss into an error should one ever get there.
const int8AsNumber = new TypeOverrides();
int8AsNumber.setTypeParser(20 /* INT8 */, (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`A bigint column holds ${value}, beyond a safe JS integer.`);
  return n;
});

/** The store's statements, with the schema's quoted name in every table reference. */
function statements(schema: string) {
  const s = escapeIdentifier(schema);
  return {
    selectRoom: `SELECT * FROM ${s}.rooms WHERE product_id = $1`,
    // The room row lock is where every write to one room queues, whichever instance it comes from: the
    // cap, the seq and the idempotency lookup are read only after the previous writer committed.
    lockRoom: `SELECT * FROM ${s}.rooms WHERE product_id = $1 FOR UPDATE`,
    insertRoom: `INSERT INTO ${s}.rooms (product_id, title, status, max_participants, min_participants,
                                        participant_count, expires_at, created_at, closed_at, host_id, last_seq)
                 VALUES ($1, $2, 'ACTIVE', $3, $4, 0, $5, $6, NULL, $7, 0)
                 ON CONFLICT (product_id) DO NOTHING
                 RETURNING *`,
    updateRoom: `UPDATE ${s}.rooms SET participant_count = $2, status = $3, closed_at = $4, last_seq = $5
                 WHERE product_id = $1 RETURNING *`,
    // Conditional on ACTIVE, so of two settles (on this or another instance) the second waits for the
    // first's row lock, re-checks the condition against the committed row, and updates nothing.
    settleRoom: `UPDATE ${s}.rooms
                 SET status = CASE WHEN $2::text IS NOT NULL THEN $2::text
                                   WHEN participant_count >= min_participants THEN 'CLOSED'
                                   ELSE 'CANCELLED' END,
                     closed_at = $3, last_seq = last_seq + 1
                 WHERE product_id = $1 AND status = 'ACTIVE'
                 RETURNING *`,
    selectParticipant: `SELECT user_id, name, joined_at FROM ${s}.participants WHERE room_id = $1 AND user_id = $2`,
    selectParticipants: `SELECT user_id, name, joined_at FROM ${s}.participants WHERE room_id = $1 ORDER BY joined_seq`,
    insertParticipant: `INSERT INTO ${s}.participants (room_id, user_id, name, joined_at, joined_seq)
                        VALUES ($1, $2, $3, $4, $5)`,
    deleteParticipant: `DELETE FROM ${s}.participants WHERE room_id = $1 AND user_id = $2`,
    insertMessage: `INSERT INTO ${s}.messages (${MESSAGE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    // The same COALESCE expression as the unique index, so the lookup is an index probe and finds a
    // service notice (sender NULL) retried with the same key.
    selectByClientMsgId: `SELECT ${MESSAGE_COLUMNS} FROM ${s}.messages
                          WHERE room_id = $1 AND COALESCE(sender_id, '') = $2 AND client_msg_id = $3`,
    selectAfter: `SELECT ${MESSAGE_COLUMNS} FROM ${s}.messages
                  WHERE room_id = $1 AND seq > $2 AND seq < $3 ORDER BY seq ASC LIMIT $4`,
    selectBefore: `SELECT ${MESSAGE_COLUMNS} FROM ${s}.messages
                   WHERE room_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3`,
    selectDue: `SELECT * FROM ${s}.rooms WHERE status = 'ACTIVE' AND expires_at <= $1 ORDER BY expires_at`,
    selectNextDeadline: `SELECT MIN(expires_at) AS next FROM ${s}.rooms WHERE status = 'ACTIVE'`,
  } as const;
}

type Statements = ReturnType<typeof statements>;

/** The columns of a room row that lifecycle changes write. */
type RoomChange = Pick<RoomRow, 'participant_count' | 'status' | 'closed_at' | 'last_seq'>;

/**
 * The ChatStore for running several server instances on one PostgreSQL database. Every write to a room
 * runs in a READ COMMITTED transaction that first locks the room's row (`SELECT … FOR UPDATE`), so joins,
 * leaves and appends on one room serialise across connections and instances while other rooms proceed in
 * parallel; settling is a conditional update that exactly one caller wins. Behaviour, errors and JSON are
 * those of {@link SqliteStore}. Message content goes through the configured {@link ContentCipher}.
 */
export class PostgresStore implements ChatStore {
  /** Connects, brings the schema up to date (creating it when missing) and returns the store. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const schema = options.schema ?? 'public';
    if (schema.length === 0) throw new RangeError('The PostgreSQL schema name is empty.');
    const pool = new Pool({
      connectionString: options.connectionString,
      max: Math.max(1, Math.floor(options.poolSize ?? 10)),
      connectionTimeoutMillis: Math.max(0, Math.floor(options.connectTimeoutMs ?? 10_000)),
      types: int8AsNumber,
      // Names our sessions in pg_stat_activity unless the connection string sets application_name.
      fallback_application_name: 'groupbuy-chat',
    });
    // An idle connection that dies (server restart, failover) is reported here and dropped by the pool;
    // without a listener Node would treat the event as an uncaught error and exit.
    pool.on('error', (err) => options.logger?.log('warn', 'postgres idle connection lost', { error: err.message }));
    try {
      const client = await pool.connect();
      try {
        await migratePostgres(client, schema);
      } finally {
        client.release();
      }
    } catch (err) {
      await pool.end();
      throw err;
    }
    return new PostgresStore(pool, schema, options.cipher ?? plainCipher);
  }

  private readonly sql: Statements;
  private ended = false;

  private constructor(
    private readonly pool: Pool,
    schema: string,
    private readonly cipher: ContentCipher,
  ) {
    this.sql = statements(schema);
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
  async join(productId: string, user: UserRef, nowMs: number): Promise<JoinResult> {
    return this.transaction(async (client) => {
      const row = await this.lockRoom(client, productId);
      // Checked before the cap and the status, so a retried join that filled (and closed) the room is a
      // no-op, not an error.
      if (await this.findParticipant(client, productId, user.userId)) {
        return { room: toRoom(row), messages: [], joined: false };
      }
      if (row.participant_count >= row.max_participants) throw roomFull(row.max_participants);
      if (row.status !== 'ACTIVE') throw notActive(row.status, 'joining');

      const count = row.participant_count + 1;
      const max = row.max_participants;
      const drafts = [
        systemDraft(
          { type: 'JOINED', userId: user.userId, name: user.name },
          { status: 'ACTIVE', participantCount: count, maxParticipants: max },
          nowMs,
        ),
      ];
      // The join that reaches the cap closes the deal in the same transaction: no later join can observe
      // "ACTIVE and full", and the CLOSED message follows the JOINED one with no gap.
      const fills = count >= max;
      if (fills) {
        drafts.push(
          systemDraft(
            { type: 'CLOSED', reason: 'FILLED' },
            { status: 'CLOSED', participantCount: count, maxParticipants: max },
            nowMs,
          ),
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
    return this.transaction(async (client) => {
      const row = await this.lockRoom(client, productId);
      if (row.status !== 'ACTIVE') throw notActive(row.status, 'leaving');
      const participant = await this.findParticipant(client, productId, userId);
      if (!participant) return { room: toRoom(row), messages: [], left: false };

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
    return this.transaction(async (client) => {
      const row = await this.lockRoom(client, productId);
      if (message.clientMsgId !== undefined) {
        // Before the status check: a retry of a message stored just before the room closed must still
        // get its stored copy back rather than an error for something that succeeded.
        const { rows } = await client.query<MessageRow>(this.sql.selectByClientMsgId, [
          productId,
          message.sender?.userId ?? '',
          message.clientMsgId,
        ]);
        if (rows[0]) return { message: this.decode(rows[0]), duplicate: true };
      }
      if (!message.allowedStatuses.includes(row.status)) throw notActive(row.status, 'posting here');
      await this.updateRoom(client, productId, {
        participant_count: row.participant_count,
        status: row.status,
        closed_at: row.closed_at,
        last_seq: row.last_seq + 1,
      });
      const [stored] = await this.insertMessages(client, productId, row.last_seq, [
        {
          type: message.type,
          sender: message.sender,
          content: message.content,
          clientMsgId: message.clientMsgId,
          event: undefined,
          room: undefined,
          nowMs,
        },
      ]);
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
    return { messages: rows.slice(0, limit).reverse().map((r) => this.decode(r)), hasMore: rows.length > limit };
  }

  /** Moves an ACTIVE room to CLOSED or CANCELLED; null when it already left ACTIVE. */
  async settle(productId: string, request: SettleRequest, nowMs: number): Promise<LifecycleResult | null> {
    return this.transaction(async (client) => {
      const requested = 'status' in request ? request.status : null;
      const { rows } = await client.query<RoomRow>(this.sql.settleRoom, [productId, requested, nowMs]);
      const row = rows[0];
      if (!row) {
        // Nothing updated: the room is missing (an error) or already settled by someone else (null).
        await this.mustGetRoom(client, productId);
        return null;
      }
      const status = row.status as 'CLOSED' | 'CANCELLED';
      const messages = await this.insertMessages(client, productId, row.last_seq - 1, [
        systemDraft(
          { type: status, reason: request.reason },
          { status, participantCount: row.participant_count, maxParticipants: row.max_participants },
          nowMs,
        ),
      ]);
      return { room: toRoom(row), messages };
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

  /** Waits for calls in flight to release their connections, then closes the pool; calling it again does nothing. */
  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.pool.end();
  }

  /** Runs `work` in one READ COMMITTED transaction on one pooled connection; rolls back when it throws. */
  private async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackErr) {
        // A connection that cannot roll back is in an unknown state: the pool must not hand it out again.
        broken = rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr));
      }
      throw err;
    } finally {
      client.release(broken);
    }
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
      await client.query(this.sql.insertMessage, [
        row.room_id,
        row.seq,
        row.id,
        row.type,
        row.sender_id,
        row.sender_name,
        row.content,
        row.created_at,
        row.client_msg_id,
        row.event,
        row.room,
      ]);
      // Decoded from the row just written (with the plain text we already hold), so a send's answer and
      // a later page are built by the same code and agree exactly.
      out.push(toMessage(row, draft.content));
    }
    return out;
  }

  private decode(row: MessageRow): ChatMessage {
    return toMessage(row, this.cipher.decrypt(row.content));
  }
}
