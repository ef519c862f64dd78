import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChatError } from '@groupbuy/protocol';
import Database from 'better-sqlite3';
import { escapeIdentifier, type Pool } from 'pg';
import type { ServerConfig } from './config.js';
import type { Logger } from './logger.js';
import { contentKeyFile, createKeyring, parseContentKeys, type ContentCipher } from './stores/content-cipher.js';
import { migrate } from './stores/migrations.js';
import { inTransaction, openPool } from './stores/postgres/pool.js';

// `groupbuy-server rekey`: moves every encrypted message row to the first key of CHAT_CONTENT_KEYS, so
// the older keys can be dropped from the list. Batches are committed one by one and a row already under
// the first key is never selected again, so a run that is killed resumes where it stopped when started again.

/** The counts a rekey run reports, in rows. */
export interface RekeyProgress {
  /** Rows re-encrypted by this run so far. */
  readonly rekeyed: number;
  /** Rows still under an older key. */
  readonly remaining: number;
}

/** What a finished rekey run did, in rows. */
export interface RekeyResult extends RekeyProgress {
  /** The key every encrypted row is now under. */
  readonly keyId: string;
  /** Rows stored without encryption (no key id), left as they are. */
  readonly unencrypted: number;
}

/** How a rekey run paces itself. */
export interface RekeyOptions {
  /** Rows re-encrypted per transaction. @default 500 */
  batchSize?: number;
  /** Pause between batches in ms, so a live server's writes get the database in between. @default 0 */
  pauseMs?: number;
  /** Called after every committed batch. */
  onProgress?: (progress: RekeyProgress) => void;
}

/** One message row as the rekey reads it. */
interface StoredContent {
  room_id: string;
  seq: number;
  content: string;
  key_id: string;
}

/** The database side of a rekey: SQLite or PostgreSQL. */
interface RekeyTarget {
  /** Rows under a key other than `keyId`, and rows with no key id. */
  count(keyId: string): Promise<{ pending: number; unencrypted: number }>;
  /** Up to `limit` rows under a key other than `keyId`. */
  pending(keyId: string, limit: number): Promise<StoredContent[]>;
  /** Writes the re-encrypted rows in one transaction, each only if its key id is still the one it was read with. */
  rewrite(rows: readonly (StoredContent & { newContent: string; newKeyId: string })[]): Promise<void>;
  /** Releases the database. */
  close(): Promise<void>;
}

function sqliteTarget(path: string): RekeyTarget {
  const db = new Database(path, { fileMustExist: true });
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  const count = db.prepare<[string], { pending: number; unencrypted: number }>(
    'SELECT COUNT(*) FILTER (WHERE key_id <> ?) AS pending, COUNT(*) FILTER (WHERE key_id IS NULL) AS unencrypted FROM messages',
  );
  const pending = db.prepare<[string, number], StoredContent>(
    'SELECT room_id, seq, content, key_id FROM messages WHERE key_id <> ? ORDER BY room_id, seq LIMIT ?',
  );
  const update = db.prepare('UPDATE messages SET content = ?, key_id = ? WHERE room_id = ? AND seq = ? AND key_id = ?');
  const rewrite = db.transaction((rows: readonly (StoredContent & { newContent: string; newKeyId: string })[]) => {
    for (const r of rows) update.run(r.newContent, r.newKeyId, r.room_id, r.seq, r.key_id);
  });
  return {
    count: async (keyId) => count.get(keyId) ?? { pending: 0, unencrypted: 0 },
    pending: async (keyId, limit) => pending.all(keyId, limit),
    rewrite: async (rows) => rewrite.immediate(rows),
    close: async () => void db.close(),
  };
}

async function postgresTarget(connectionString: string, schema: string): Promise<RekeyTarget> {
  const pool: Pool = await openPool({ connectionString, poolSize: 1 }, schema);
  const messages = `${escapeIdentifier(schema)}.messages`;
  return {
    async count(keyId) {
      const { rows } = await pool.query<{ pending: string; unencrypted: string }>(
        `SELECT COUNT(*) FILTER (WHERE key_id <> $1) AS pending, COUNT(*) FILTER (WHERE key_id IS NULL) AS unencrypted FROM ${messages}`,
        [keyId],
      );
      return { pending: Number(rows[0]?.pending ?? 0), unencrypted: Number(rows[0]?.unencrypted ?? 0) };
    },
    async pending(keyId, limit) {
      const { rows } = await pool.query<StoredContent>(
        `SELECT room_id, seq, content, key_id FROM ${messages} WHERE key_id <> $1 ORDER BY room_id, seq LIMIT $2`,
        [keyId, limit],
      );
      return rows;
    },
    async rewrite(rows) {
      await inTransaction(pool, async (client) => {
        for (const r of rows) {
          await client.query(`UPDATE ${messages} SET content = $1, key_id = $2 WHERE room_id = $3 AND seq = $4 AND key_id = $5`, [
            r.newContent,
            r.newKeyId,
            r.room_id,
            r.seq,
            r.key_id,
          ]);
        }
      });
    },
    close: () => pool.end(),
  };
}

async function run(target: RekeyTarget, cipher: ContentCipher, options: RekeyOptions): Promise<RekeyResult> {
  const keyId = cipher.keyId;
  if (keyId === null) throw new ChatError('INVALID_INPUT', 'rekey needs a content key to encrypt under (CHAT_CONTENT_KEYS).');
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 500));
  const { pending, unencrypted } = await target.count(keyId);
  let rekeyed = 0;
  let remaining = pending;
  for (;;) {
    const rows = await target.pending(keyId, batchSize);
    if (rows.length === 0) break;
    const rewritten = rows.map((row) => {
      try {
        return { ...row, newContent: cipher.encrypt(cipher.decrypt(row.content, row.key_id)), newKeyId: keyId };
      } catch (cause) {
        // Fails closed: a row that does not authenticate is never rewritten, and the run stops naming it.
        throw new ChatError(
          'INTERNAL',
          `Message ${row.seq} of room "${row.room_id}" cannot be re-encrypted: ${cause instanceof Error ? cause.message : String(cause)}`,
          { cause },
        );
      }
    });
    await target.rewrite(rewritten);
    rekeyed += rows.length;
    remaining = Math.max(0, remaining - rows.length);
    options.onProgress?.({ rekeyed, remaining });
    if (options.pauseMs) await sleep(options.pauseMs);
  }
  return { keyId, rekeyed, remaining: 0, unencrypted };
}

/** Re-encrypts the messages of the SQLite file at `path` under `cipher`'s first key, in batches. */
export async function rekeySqlite(path: string, cipher: ContentCipher, options: RekeyOptions = {}): Promise<RekeyResult> {
  const target = sqliteTarget(path);
  try {
    return await run(target, cipher, options);
  } finally {
    await target.close();
  }
}

/** Re-encrypts the messages in PostgreSQL `schema` under `cipher`'s first key, in batches. @default schema 'public' */
export async function rekeyPostgres(
  connectionString: string,
  cipher: ContentCipher,
  options: RekeyOptions & { schema?: string } = {},
): Promise<RekeyResult> {
  const target = await postgresTarget(connectionString, options.schema ?? 'public');
  try {
    return await run(target, cipher, options);
  } finally {
    await target.close();
  }
}

/**
 * The `rekey` command: the database and keys of `config` (the server's loadConfig), progress as log lines
 * (`rekey progress` after each batch, `rekey done` at the end). Keys come from CHAT_CONTENT_KEYS, else
 * CHAT_CONTENT_KEY, else the SQLite key file, exactly as the server reads them.
 */
export async function rekeyFromConfig(config: ServerConfig, logger: Logger, options: RekeyOptions = {}): Promise<RekeyResult> {
  const isPostgres = /^postgres(ql)?:\/\//.test(config.databaseUrl);
  const path = resolve(config.databaseUrl.replace(/^file:/, ''));
  const keyFile = contentKeyFile(path);
  const keys =
    config.contentKeys ?? config.contentKey ?? (!isPostgres && existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : undefined);
  if (!keys) throw new ChatError('INVALID_INPUT', 'rekey needs the content keys: set CHAT_CONTENT_KEYS (the new key first).');
  const cipher = createKeyring(parseContentKeys(keys));
  const onProgress = (p: RekeyProgress) => {
    logger.log('info', 'rekey progress', { rekeyed: p.rekeyed, remaining: p.remaining });
    options.onProgress?.(p);
  };
  logger.log('info', 'rekey started', { keyId: cipher.keyId });
  const result = isPostgres
    ? await rekeyPostgres(config.databaseUrl, cipher, { ...options, onProgress })
    : await rekeySqlite(path, cipher, { ...options, onProgress });
  logger.log('info', 'rekey done', { keyId: result.keyId, rekeyed: result.rekeyed, unencrypted: result.unencrypted });
  return result;
}
