import type Database from 'better-sqlite3';
import { MESSAGE_COLUMNS, type MessageRow, type MessageValues } from './rows.js';

// rowOf's order; checked against each statement's columns once, so a reordered MESSAGE_COLUMNS fails at start-up.
const VALUE_NAMES = [
  'room_id',
  'seq',
  'id',
  'type',
  'sender_id',
  'sender_name',
  'content',
  'created_at',
  'client_msg_id',
  'event',
  'room',
  'key_id',
  'deleted',
] as const satisfies readonly (keyof MessageRow)[];

function checkedRaw<P extends unknown[]>(statement: Database.Statement<P, MessageValues>): Database.Statement<P, MessageValues> {
  const names = statement.columns().map((c) => c.name);
  if (names.join() !== VALUE_NAMES.join()) throw new Error(`messages page columns are ${names.join()}, not ${VALUE_NAMES.join()}`);
  return statement.raw();
}

// One object literal of a fixed shape per row: V8 builds it in a few ns, where better-sqlite3's own row
// objects (a property defined by name per column) cost as much as the query itself.
function rowOf(v: MessageValues): MessageRow {
  return {
    room_id: v[0],
    seq: v[1],
    id: v[2],
    type: v[3],
    sender_id: v[4],
    sender_name: v[5],
    content: v[6],
    created_at: v[7],
    client_msg_id: v[8],
    event: v[9],
    room: v[10],
    key_id: v[11],
    deleted: v[12],
  };
}

/** `?, ?, …`: one positional parameter per column of {@link MESSAGE_COLUMNS}. */
export const MESSAGE_PARAMETERS = VALUE_NAMES.map(() => '?').join(', ');

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
    return this.selectAfter.all(productId, after, before, limit).map(rowOf);
  }

  /** Up to `limit` rows with seq < `before`, descending (the newest first). */
  before(productId: string, before: number, limit: number): MessageRow[] {
    return this.selectBefore.all(productId, before, limit).map(rowOf);
  }
}
