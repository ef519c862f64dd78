import type Database from 'better-sqlite3';

/** One schema step: `sql` moves the database from version `version - 1` to `version`. */
export interface Migration {
  /** The `PRAGMA user_version` the database has after this step (1, 2, 3 …, no gaps). */
  readonly version: number;
  /** The DDL of the step; runs inside the same transaction that bumps `user_version`. */
  readonly sql: string;
  /**
   * A step that landed after later ones were released (v4, addresses, after v5 and v6): it also runs on a
   * database already past its version, so one that skipped it gets it. Its SQL must be idempotent
   * (`IF NOT EXISTS`): SQLite keeps no list of applied steps, so on SQLite it runs again on every open.
   */
  readonly catchUp?: boolean;
}

/**
 * The SQLite schema, oldest step first. Append new steps, never edit a released one: a database that
 * already ran a step will not run it again. Times are INTEGER epoch milliseconds.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE rooms (
        product_id        TEXT    PRIMARY KEY,
        title             TEXT    NOT NULL,
        status            TEXT    NOT NULL CHECK (status IN ('ACTIVE', 'CLOSED', 'CANCELLED')),
        max_participants  INTEGER NOT NULL,
        min_participants  INTEGER NOT NULL,
        -- Kept on the row (not COUNT(*)) so the cap check and the snapshot in SYSTEM messages are one read.
        participant_count INTEGER NOT NULL DEFAULT 0,
        expires_at        INTEGER NOT NULL,
        created_at        INTEGER NOT NULL,
        closed_at         INTEGER,
        host_id           TEXT,
        -- The seq allocator: incremented in the transaction that inserts the message, so seqs are gap-free.
        last_seq          INTEGER NOT NULL DEFAULT 0
      );

      -- The deadline scheduler asks for MIN(expires_at) and "expires_at <= now" among ACTIVE rooms only;
      -- with status first both are a short range scan instead of a walk over every room ever created.
      CREATE INDEX rooms_status_expires ON rooms (status, expires_at);

      CREATE TABLE participants (
        room_id   TEXT    NOT NULL REFERENCES rooms (product_id),
        user_id   TEXT    NOT NULL,
        name      TEXT    NOT NULL,
        joined_at INTEGER NOT NULL,
        -- The seq of the JOINED message: a total join order even when two joins share a millisecond.
        joined_seq INTEGER NOT NULL,
        -- "Is this user in this room?" on every join, leave and send, and the room's buyer list.
        PRIMARY KEY (room_id, user_id)
      ) WITHOUT ROWID;

      -- The seed's "participant by user + room" lookup led by the user: the rooms one user is in.
      CREATE INDEX participants_user_room ON participants (user_id, room_id);

      CREATE TABLE messages (
        room_id       TEXT    NOT NULL REFERENCES rooms (product_id),
        seq           INTEGER NOT NULL,
        id            TEXT    NOT NULL,
        type          TEXT    NOT NULL CHECK (type IN ('CHAT', 'SYSTEM', 'NOTIFICATION')),
        sender_id     TEXT,
        sender_name   TEXT,
        -- Written through the store's ContentCipher: ciphertext when a key is configured.
        content       TEXT    NOT NULL,
        created_at    INTEGER NOT NULL,
        client_msg_id TEXT,
        -- SYSTEM only: the event and the room snapshot as JSON.
        event         TEXT,
        room          TEXT,
        -- History pages and resume replays are range scans by room + seq; WITHOUT ROWID clusters the
        -- rows in exactly that order, so a page is one contiguous read and there is no second rowid index.
        PRIMARY KEY (room_id, seq)
      ) WITHOUT ROWID;

      -- Idempotent retries: a resent (room, sender, clientMsgId) finds the stored message, and a second
      -- insert cannot slip past the lookup. Partial, because most rows (SYSTEM, notices) have no key.
      CREATE UNIQUE INDEX messages_client_msg_id ON messages (room_id, sender_id, client_msg_id)
        WHERE client_msg_id IS NOT NULL;
    `,
  },
  {
    version: 2,
    // Content key rotation (CHAT_CONTENT_KEYS): each row names the key it was written under. Rows from
    // before carry the one key there was (CHAT_CONTENT_KEY or the key file, id 'legacy') when they look
    // like ciphertext, NULL (stored as is) otherwise; `groupbuy-server rekey` moves rows to the first key.
    sql: `
      ALTER TABLE messages ADD COLUMN key_id TEXT;
      UPDATE messages SET key_id = 'legacy' WHERE content LIKE 'v1:%:%:%';
    `,
  },
  {
    version: 3,
    // Moderation (issue 11): tombstones, slow mode, the pinned notice (its ChatMessage JSON: a NOTIFICATION
    // is public, the SSE feed shows it to signed-out readers), mutes and reports.
    sql: `
      ALTER TABLE messages ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE rooms ADD COLUMN slow_mode_ms INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE rooms ADD COLUMN pinned TEXT;
      CREATE TABLE mutes (
        room_id  TEXT    NOT NULL REFERENCES rooms (product_id),
        user_id  TEXT    NOT NULL,
        until_ms INTEGER NOT NULL,
        -- Looked up on every send of that user in that room.
        PRIMARY KEY (room_id, user_id)
      ) WITHOUT ROWID;
      CREATE TABLE reports (
        room_id     TEXT    NOT NULL REFERENCES rooms (product_id),
        seq         INTEGER NOT NULL,
        reporter_id TEXT    NOT NULL,
        reason      TEXT    NOT NULL,
        created_at  INTEGER NOT NULL,
        -- One report per reporter and message; the host lists a room's reports in seq order.
        PRIMARY KEY (room_id, seq, reporter_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    // Private shipping addresses (issue 11): apart from chat, one row per buyer and room, the whole address
    // (every field, the room and the user) sealed under ADDRESS_KEYS in `data`, the key's id in `key_id`.
    // It landed after v5 and v6: catchUp runs it on a database that is past it without it.
    catchUp: true,
    sql: `
      CREATE TABLE IF NOT EXISTS addresses (
        room_id    TEXT    NOT NULL REFERENCES rooms (product_id),
        user_id    TEXT    NOT NULL,
        data       TEXT    NOT NULL,
        key_id     TEXT,
        updated_at INTEGER NOT NULL,
        -- The buyer's own address, and the seller's list of a room: both lead by the room.
        PRIMARY KEY (room_id, user_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 5,
    // Read positions (issue 12): the seq each user read up to in each room; unread = later messages.
    sql: `
      CREATE TABLE read_positions (
        room_id TEXT    NOT NULL REFERENCES rooms (product_id),
        user_id TEXT    NOT NULL,
        seq     INTEGER NOT NULL,
        -- One row per reader and room, read on every GET room and subscribe of a signed-in user.
        PRIMARY KEY (room_id, user_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 6,
    // Attachments (issue 12): one row per uploaded image; message_seq is set when a sent message carries it
    // (an upload no message carries after a day is an orphan, swept with its blobs).
    sql: `
      CREATE TABLE attachments (
        id          TEXT    PRIMARY KEY,
        room_id     TEXT    NOT NULL REFERENCES rooms (product_id),
        uploader_id TEXT    NOT NULL,
        mime        TEXT    NOT NULL,
        width       INTEGER NOT NULL,
        height      INTEGER NOT NULL,
        bytes       INTEGER NOT NULL,
        created_at  INTEGER NOT NULL,
        alt         TEXT    NOT NULL DEFAULT '',
        claim_key   TEXT,
        message_seq INTEGER,
        position    INTEGER NOT NULL DEFAULT 0
      );
      -- Serving a page looks up the images of its messages by room + seq.
      CREATE INDEX attachments_message ON attachments (room_id, message_seq) WHERE message_seq IS NOT NULL;
      -- The orphan sweep scans unsent uploads by age.
      CREATE INDEX attachments_orphans ON attachments (created_at) WHERE message_seq IS NULL;
    `,
  },
  {
    version: 7,
    // Invites and the seller's funnel (issue 12, insights/): one invite code per user and room (the code
    // alone travels in links), each signed-in viewer's first view, and every join and leave
    // (by the seq of its SYSTEM message) with the inviter and the buyer count after it.
    sql: `
      CREATE TABLE invites (
        code       TEXT    PRIMARY KEY,
        room_id    TEXT    NOT NULL REFERENCES rooms (product_id),
        user_id    TEXT    NOT NULL,
        name       TEXT    NOT NULL,
        created_at INTEGER NOT NULL
      );
      -- One code per user and room: a second call (or a racing first) finds the stored one.
      CREATE UNIQUE INDEX invites_room_user ON invites (room_id, user_id);
      CREATE TABLE room_visitors (
        room_id       TEXT    NOT NULL REFERENCES rooms (product_id),
        user_id       TEXT    NOT NULL,
        first_view_at INTEGER NOT NULL,
        PRIMARY KEY (room_id, user_id)
      ) WITHOUT ROWID;
      CREATE TABLE membership_changes (
        room_id           TEXT    NOT NULL REFERENCES rooms (product_id),
        seq               INTEGER NOT NULL,
        kind              TEXT    NOT NULL CHECK (kind IN ('JOIN', 'LEAVE')),
        user_id           TEXT    NOT NULL,
        at                INTEGER NOT NULL,
        participant_count INTEGER NOT NULL,
        inviter_id        TEXT,
        fills             INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (room_id, seq)
      ) WITHOUT ROWID;
    `,
  },
];

/** The schema version this build writes: the `version` of the last migration. */
export const SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

/**
 * Brings `db` up to {@link SCHEMA_VERSION}, running each missing step once. Safe to call on every open
 * and from several processes at once. Throws when the database was written by a newer build.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  // IMMEDIATE takes the write lock before reading user_version, so two processes opening a fresh file
  // at the same moment cannot both decide to run step 1; the loser waits (busy_timeout) and sees v1.
  const run = db.transaction((): number => {
    const current = Number(db.pragma('user_version', { simple: true }));
    const latest = migrations[migrations.length - 1]?.version ?? 0;
    if (current > latest) {
      throw new Error(
        `The database is at schema version ${current} but this server knows only up to ${latest}; ` + 'it was written by a newer release.',
      );
    }
    let reached = current;
    for (const m of migrations) {
      if (m.version <= current && m.catchUp !== true) continue;
      db.exec(m.sql);
      // user_version lives in the file header and is part of this transaction: a crash mid-step
      // rolls back both the DDL and the bump. A catch-up step run on a database past it keeps the higher
      // version (setting its own would make the next open run the later steps again).
      reached = Math.max(reached, m.version);
      db.pragma(`user_version = ${reached}`);
    }
    return Math.max(current, latest);
  });
  return run.immediate();
}
