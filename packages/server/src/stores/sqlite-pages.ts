import type Database from 'better-sqlite3';
import { MESSAGE_COLUMNS, rowOfValues, type MessageRow, type MessageValues } from './rows.js';

// A statement whose columns are not MESSAGE_COLUMNS' would be read into the wrong fields: refused at start-up.
function checkedRaw<P extends unknown[]>(statement: Database.Statement<P, MessageValues>): Database.Statement<P, MessageValues> {
  const names = statement.columns().map((c) => c.name);
  if (names.join(', ') !== MESSAGE_COLUMNS) throw new Error(`messages page columns are ${names.join(', ')}, not ${MESSAGE_COLUMNS}`);
  return statement.raw();
}

/**
 * The history page queries of {@link SqliteMessages}: range scans of the `(room_id, seq)` primary key
 * (`SEARCH messages USING PRIMARY KEY (room_id=? AND seq<?)`, the table is WITHOUT ROWID so a page is one
 * contiguous read) in better-sqlite3's raw mode. Arrays instead of row objects halve a 51-row read
 * (bench file of scenario 4: 241 → 120 µs), which is most of what the page costs before decryption.
 */
export class SqlitePages {
  private readonly selectAfter: Database.Statement<[string, number, number, number], MessageValues>;
  private readonly selectBefore: Database.Statement<[string, number, number], MessageValues>;

  constructor(db: Database.Database) {
    this.selectAfter = checkedRaw(
      db.prepare<[string, number, number, number], MessageValues>(
        `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE room_id = ? AND seq > ? AND seq < ? ORDER BY seq ASC LIMIT ?`,
      ),
    );
    this.selectBefore = checkedRaw(
      db.prepare<[string, number, number], MessageValues>(
        `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE room_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?`,
      ),
    );
  }

  /** Up to `limit` rows with `after` < seq < `before`, ascending. */
  after(productId: string, after: number, before: number, limit: number): MessageRow[] {
    return this.selectAfter.all(productId, after, before, limit).map(rowOfValues);
  }

  /** Up to `limit` rows with seq < `before`, descending (the newest first). */
  before(productId: string, before: number, limit: number): MessageRow[] {
    return this.selectBefore.all(productId, before, limit).map(rowOfValues);
  }
}
