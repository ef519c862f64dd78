import { createHash } from 'node:crypto';
import { escapeIdentifier, type ClientBase } from 'pg';
import type { Migration } from '../migrations.js';

// The PostgreSQL schema and the code that brings a database up to it; the store's statements are in
// statements.ts and the store itself in ../postgres.ts.

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
  {
    version: 2,
    // Content key rotation (CHAT_CONTENT_KEYS): each row names the key it was written under. Rows from
    // before carry the one key there was (CHAT_CONTENT_KEY or the key file, id 'legacy') when they look
    // like ciphertext, NULL (stored as is) otherwise; `groupbuy-server rekey` moves rows to the first key.
    sql: `
      ALTER TABLE messages ADD COLUMN key_id text;
      UPDATE messages SET key_id = 'legacy' WHERE content LIKE 'v1:%:%:%';
    `,
  },
  {
    version: 3,
    // Moderation (issue 11): tombstones, slow mode, the pinned notice (its ChatMessage JSON text, as the
    // SQLite store keeps it), mutes and reports. The same shape as SQLite's step 3.
    sql: `
      ALTER TABLE messages ADD COLUMN deleted smallint NOT NULL DEFAULT 0;
      ALTER TABLE rooms ADD COLUMN slow_mode_ms integer NOT NULL DEFAULT 0;
      ALTER TABLE rooms ADD COLUMN pinned text;
      CREATE TABLE mutes (
        room_id  text   NOT NULL REFERENCES rooms (product_id),
        user_id  text   NOT NULL,
        until_ms bigint NOT NULL,
        PRIMARY KEY (room_id, user_id)
      );
      CREATE TABLE reports (
        room_id     text   NOT NULL REFERENCES rooms (product_id),
        seq         bigint NOT NULL,
        reporter_id text   NOT NULL,
        reason      text   NOT NULL,
        created_at  bigint NOT NULL,
        PRIMARY KEY (room_id, seq, reporter_id)
      );
    `,
  },
  {
    version: 4,
    // Private shipping addresses (issue 11): as SQLite's v4; catchUp runs it on a schema past it without it.
    catchUp: true,
    sql: `
      CREATE TABLE IF NOT EXISTS addresses (
        room_id    text   NOT NULL REFERENCES rooms (product_id),
        user_id    text   NOT NULL,
        data       text   NOT NULL,
        key_id     text,
        updated_at bigint NOT NULL,
        PRIMARY KEY (room_id, user_id)
      );
    `,
  },
  {
    version: 5,
    // Read positions (issue 12): as SQLite's v5.
    sql: `
      CREATE TABLE read_positions (
        room_id text   NOT NULL REFERENCES rooms (product_id),
        user_id text   NOT NULL,
        seq     bigint NOT NULL,
        PRIMARY KEY (room_id, user_id)
      );
    `,
  },
  {
    version: 6,
    // Attachments (issue 12): as SQLite's v6.
    sql: `
      CREATE TABLE attachments (
        id          text    PRIMARY KEY,
        room_id     text    NOT NULL REFERENCES rooms (product_id),
        uploader_id text    NOT NULL,
        mime        text    NOT NULL,
        width       integer NOT NULL,
        height      integer NOT NULL,
        bytes       integer NOT NULL,
        created_at  bigint  NOT NULL,
        alt         text    NOT NULL DEFAULT '',
        claim_key   text,
        message_seq bigint,
        position    integer NOT NULL DEFAULT 0
      );
      CREATE INDEX attachments_message ON attachments (room_id, message_seq) WHERE message_seq IS NOT NULL;
      CREATE INDEX attachments_orphans ON attachments (created_at) WHERE message_seq IS NULL;
    `,
  },
  {
    version: 7,
    // Invites and the seller's funnel (issue 12, insights/): as SQLite's v7.
    sql: `
      CREATE TABLE invites (
        code       text   PRIMARY KEY,
        room_id    text   NOT NULL REFERENCES rooms (product_id),
        user_id    text   NOT NULL,
        name       text   NOT NULL,
        created_at bigint NOT NULL
      );
      CREATE UNIQUE INDEX invites_room_user ON invites (room_id, user_id);
      CREATE TABLE room_visitors (
        room_id       text    NOT NULL REFERENCES rooms (product_id),
        user_id       text    NOT NULL,
        first_view_at bigint  NOT NULL,
        PRIMARY KEY (room_id, user_id)
      );
      CREATE TABLE membership_changes (
        room_id           text    NOT NULL REFERENCES rooms (product_id),
        seq               bigint  NOT NULL,
        kind              text    NOT NULL CHECK (kind IN ('JOIN', 'LEAVE')),
        user_id           text    NOT NULL,
        at                bigint  NOT NULL,
        participant_count integer NOT NULL,
        inviter_id        text,
        fills             boolean NOT NULL DEFAULT false,
        PRIMARY KEY (room_id, seq)
      );
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
    const found = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(found.rows.map((r) => r.version));
    const current = Math.max(0, ...applied);
    const latest = migrations[migrations.length - 1]?.version ?? 0;
    if (current > latest) {
      throw new Error(
        `The schema "${schema}" is at version ${current} but this server knows only up to ${latest}; ` +
          'it was written by a newer release.',
      );
    }
    for (const m of migrations) {
      // A catch-up step (see Migration.catchUp) missing from the list runs even below the schema's version.
      if (m.version <= current && !(m.catchUp === true && !applied.has(m.version))) continue;
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
